import type { CatalogColumn, CatalogPartition, PartitionInput } from './catalog';
import { InvalidPartitionInputError, type CatalogIssue } from './errors';
import { MAX_PARTITION_VALUE_BYTES, utf8Bytes } from './glue-limits';
import { checkParameters } from './table-input';

/**
 * Validate partitions against the table's partition keys and fill in their
 * defaults. Raises `InvalidPartitionInputError` listing every problem. Messages
 * give positions and lengths, never the values, which may come from health data.
 */
export function normalizePartitionInputs(
  qualifiedTable: string,
  partitionKeys: readonly CatalogColumn[],
  partitions: readonly PartitionInput[],
): CatalogPartition[] {
  const issues: CatalogIssue[] = [];
  if (partitionKeys.length === 0 && partitions.length > 0) {
    throw new InvalidPartitionInputError(
      `table ${qualifiedTable} has no partition keys, so it takes no partitions`,
      [{ keyPath: 'partitions', message: 'the table is not partitioned' }],
    );
  }

  partitions.forEach((partition, index) => {
    const at = `partitions[${index}]`;
    checkPartitionValues(partition.values, partitionKeys, `${at}.values`, issues);
    if (partition.location.trim() === '') {
      issues.push({ keyPath: `${at}.location`, message: 'location is empty' });
    }
    checkParameters(partition.parameters ?? {}, `${at}.parameters`, issues);
  });

  if (issues.length > 0) {
    throw new InvalidPartitionInputError(
      `invalid partitions for ${qualifiedTable}: ${issues.length} problem(s)`,
      issues,
    );
  }
  return partitions.map((partition) => ({
    values: [...partition.values],
    location: partition.location,
    parameters: { ...(partition.parameters ?? {}) },
  }));
}

/** Check one list of partition values: one per key, each 1 to 1024 bytes as in Glue. */
export function checkPartitionValues(
  values: readonly string[],
  partitionKeys: readonly CatalogColumn[],
  keyPath: string,
  issues: CatalogIssue[],
): void {
  if (values.length !== partitionKeys.length) {
    const names = partitionKeys.map((key) => key.name).join(', ');
    issues.push({
      keyPath,
      message: `found ${values.length} value(s), expected ${partitionKeys.length}, one for each partition key (${names})`,
    });
    return;
  }
  values.forEach((value, index) => {
    const keyName = partitionKeys[index]?.name ?? `key ${index}`;
    if (typeof value !== 'string') {
      issues.push({
        keyPath: `${keyPath}[${index}]`,
        message: `value for ${keyName} is a ${typeof value}, expected a string`,
      });
      return;
    }
    const bytes = utf8Bytes(value);
    if (bytes === 0 || bytes > MAX_PARTITION_VALUE_BYTES) {
      issues.push({
        keyPath: `${keyPath}[${index}]`,
        message: `value for ${keyName} is ${bytes} bytes, Glue allows 1 to ${MAX_PARTITION_VALUE_BYTES}`,
      });
    }
  });
}
