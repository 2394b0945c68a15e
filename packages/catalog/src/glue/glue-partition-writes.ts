import type { CatalogPartition, PartitionInput } from '../catalog';
import { InvalidPartitionInputError, type CatalogIssue } from '../errors';
import { checkPartitionValues, normalizePartitionInputs } from '../partition-input';
import type { TableDefinition } from '../table-input';
import type { GlueCalls } from './glue-calls';
import {
  MAX_ENTRIES_PER_BATCH_UPDATE,
  MAX_PARTITIONS_PER_BATCH_CREATE,
  MAX_PARTITIONS_PER_BATCH_DELETE,
  runPartitionBatches,
  type PartitionBatchResult,
} from './glue-partition-batches';
import { gluePartitionInput } from './glue-requests';
import type { S3Locations } from './s3-locations';

/** The parts of a Glue catalog that partition writes use. */
export interface PartitionWriteContext {
  calls: GlueCalls;
  locations: S3Locations;
}

/**
 * Validate partitions as the local catalog does, and check that each location
 * can become an `s3://` URI. Raises `InvalidPartitionInputError` listing every problem.
 */
export function normalizeGluePartitions(
  locations: S3Locations,
  table: TableDefinition,
  partitions: readonly PartitionInput[],
): CatalogPartition[] {
  const qualified = `${table.database}.${table.name}`;
  const normalized = normalizePartitionInputs(qualified, table.partitionKeys, partitions);
  const issues = normalized
    .map((partition, index) =>
      locations.locationIssue(partition.location, `partitions[${index}].location`),
    )
    .filter((issue): issue is CatalogIssue => issue !== undefined);
  throwIfIssues(qualified, issues);
  return normalized;
}

/** Raise `InvalidPartitionInputError` unless each list has one value per partition key. */
export function checkPartitionValueLists(
  table: TableDefinition,
  partitionValues: readonly string[][],
): void {
  const issues: CatalogIssue[] = [];
  partitionValues.forEach((values, index) =>
    checkPartitionValues(values, table.partitionKeys, `partitionValues[${index}]`, issues),
  );
  throwIfIssues(`${table.database}.${table.name}`, issues);
}

/** Two locations for one partition in the same switch would leave it at either. */
export function checkDistinctValues(
  table: TableDefinition,
  partitions: readonly CatalogPartition[],
): void {
  const firstIndex = new Map<string, number>();
  const issues: CatalogIssue[] = [];
  partitions.forEach((partition, index) => {
    const key = JSON.stringify(partition.values);
    const first = firstIndex.get(key);
    if (first === undefined) {
      firstIndex.set(key, index);
      return;
    }
    issues.push({
      keyPath: `partitions[${index}].values`,
      message: `the same values as partitions[${first}]`,
    });
  });
  throwIfIssues(`${table.database}.${table.name}`, issues);
}

/** Keep the first entry for each list of values, so that each entry of a batch call is distinct. */
export function uniqueByValues<T extends { values: readonly string[] }>(
  entries: readonly T[],
): T[] {
  const seen = new Set<string>();
  return entries.filter((entry) => {
    const key = JSON.stringify(entry.values);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Create partitions with `BatchCreatePartition`. Those that already exist are returned as `skipped`. */
export async function createPartitions(
  context: PartitionWriteContext,
  table: TableDefinition,
  partitions: CatalogPartition[],
): Promise<PartitionBatchResult<CatalogPartition>> {
  const { database, name } = table;
  return runPartitionBatches(
    {
      operation: 'BatchCreatePartition',
      database,
      table: name,
      entries: partitions,
      maxEntriesPerCall: MAX_PARTITIONS_PER_BATCH_CREATE,
      valuesOf: (partition) => partition.values,
      skippedErrorCode: 'AlreadyExistsException',
      send: (entries) =>
        context.calls.batchCreatePartition(
          database,
          name,
          entries.map((partition) => gluePartitionInput(partition, table, context.locations)),
        ),
    },
    context.calls.retry,
  );
}

/**
 * Replace existing partitions with `BatchUpdatePartition`: their location,
 * parameters and the table's current storage descriptor. Returns how many were updated.
 */
export async function updatePartitions(
  context: PartitionWriteContext,
  table: TableDefinition,
  partitions: CatalogPartition[],
): Promise<number> {
  const { database, name } = table;
  const result = await runPartitionBatches(
    {
      operation: 'BatchUpdatePartition',
      database,
      table: name,
      entries: partitions,
      maxEntriesPerCall: MAX_ENTRIES_PER_BATCH_UPDATE,
      valuesOf: (partition) => partition.values,
      send: (entries) =>
        context.calls.batchUpdatePartition(
          database,
          name,
          entries.map((partition) => ({
            PartitionValueList: [...partition.values],
            PartitionInput: gluePartitionInput(partition, table, context.locations),
          })),
        ),
    },
    context.calls.retry,
  );
  return result.writtenCount;
}

/** Delete partitions with `BatchDeletePartition`. Returns how many existed and were deleted. */
export async function deletePartitionValues(
  context: PartitionWriteContext,
  table: TableDefinition,
  partitionValues: readonly string[][],
): Promise<number> {
  const { database, name } = table;
  const unique = uniqueByValues(partitionValues.map((values) => ({ values })));
  const result = await runPartitionBatches(
    {
      operation: 'BatchDeletePartition',
      database,
      table: name,
      entries: unique.map((entry) => entry.values),
      maxEntriesPerCall: MAX_PARTITIONS_PER_BATCH_DELETE,
      valuesOf: (values) => values,
      skippedErrorCode: 'EntityNotFoundException',
      send: (entries) => context.calls.batchDeletePartition(database, name, entries),
    },
    context.calls.retry,
  );
  return result.writtenCount;
}

function throwIfIssues(qualifiedTable: string, issues: CatalogIssue[]): void {
  if (issues.length === 0) return;
  throw new InvalidPartitionInputError(
    `invalid partitions for ${qualifiedTable}: ${issues.length} problem(s)`,
    issues,
  );
}
