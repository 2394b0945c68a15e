import type { DatasetDefinition, Row } from '@carelake/core';
import { compareStreamPositions } from '@carelake/stream';
import type { TableSnapshot } from '@carelake/tables';
import { requireDataset } from '../datasets';
import { quarantine } from '../quarantine';
import {
  appendAndRegister,
  companionSources,
  refreshCurrentTable,
  storeAttachments,
  type CommitCounts,
} from '../runner';
import { runSqlTransforms, type SourceTableChange } from '../transform-batch';
import type { CommittedStreamRanges } from './committed-ranges';
import type { StreamMicroBatch } from './micro-batch';
import type { StagedRecord } from './record-staging';
import type { StreamPipelineSetup } from './stream-pipeline-setup';
import { landingNameOf, quarantineStreamRecord } from './stream-quarantine';
import { fileLabelOf, formatStreamRange, type StreamRange } from './stream-ranges';

/** Counts of the micro-batches of one run or invocation. */
export interface MicroBatchCounts extends CommitCounts {
  microBatches: number;
  /** Records staged, quarantined ones included. */
  recordsIn: number;
  /** Quarantine items written: undecodable records, rows that failed validation, records that did not decrypt. */
  quarantined: number;
  warnings: number;
  /** Rows left out because a commit of the same stream range already contains them: a replay after a crash. */
  rowsAlreadyCommitted: number;
}

export function emptyMicroBatchCounts(): MicroBatchCounts {
  return {
    microBatches: 0,
    recordsIn: 0,
    rowsOut: 0,
    rowsByTable: {},
    rowsSkippedAsDuplicate: 0,
    quarantined: 0,
    warnings: 0,
    rowsAlreadyCommitted: 0,
  };
}

/**
 * Points between the steps of a micro-batch commit where a test stops the writer, to prove that a
 * crash there loses nothing and writes nothing twice.
 * - `after-table-commit`: one shard's rows are committed to one table.
 * - `before-checkpoint`: every table is committed and no checkpoint is stored yet.
 */
export type StreamFaultPoint = 'after-table-commit' | 'before-checkpoint';

export type StreamFaultHook = (
  point: StreamFaultPoint,
  detail: { microBatch: number; table?: string; shardId?: string },
) => void | Promise<void>;

/**
 * Commit a micro-batch: quarantine its rejected records, store attachments, append each shard's
 * rows to each table as its own commit, and run the SQL transforms. `_current` companions are
 * rebuilt separately, by `refreshStreamCompanions`, because a rebuild reads a table's whole history.
 * Each commit records the shard's sequence range in `inputs` and in its data file names. Rows of
 * records that a commit of the same range already contains are left out, so that a replay writes
 * nothing twice. The caller stores the checkpoints afterwards.
 */
export async function commitMicroBatch(
  setup: StreamPipelineSetup,
  batch: StreamMicroBatch,
  committed: CommittedStreamRanges,
  counts: MicroBatchCounts,
  onFaultPoint?: StreamFaultHook,
): Promise<void> {
  const { lake } = setup;
  const microBatch = counts.microBatches + 1;
  const ranges = batch.shardRanges();
  const recordsByShard = groupByShard(batch.records);

  for (const record of batch.records) {
    counts.warnings += record.warnings;
    if (record.data) counts.quarantined += await quarantineStagedRecord(setup, record);
    await storeAttachments(lake.store, record.attachments);
  }

  const sourceTables = new Set(setup.tables.transforms.flatMap((transform) => transform.sources));
  const changes = new Map<string, SourceTableChange>();
  for (const dataset of setup.tables.outputs) {
    const before = sourceTables.has(dataset.table)
      ? await lake.tables.snapshot(dataset.table)
      : undefined;
    const skipped = await appendShardRanges(
      setup,
      dataset,
      ranges,
      recordsByShard,
      committed,
      counts,
      microBatch,
      onFaultPoint,
    );
    if (sourceTables.has(dataset.table)) {
      changes.set(dataset.table, await changeOf(setup, dataset.table, before, skipped));
    }
  }
  await runTransforms(setup, ranges, changes, counts);

  counts.microBatches = microBatch;
  counts.recordsIn += batch.recordCount;
  await onFaultPoint?.('before-checkpoint', { microBatch });
}

/**
 * Rebuild the `_current` companion of each history output from everything committed so far, after
 * all appends, so that one following another table's merges reads them.
 */
export async function refreshStreamCompanions(setup: StreamPipelineSetup): Promise<void> {
  for (const dataset of companionSources(setup.tables.outputs, setup.datasets)) {
    await refreshCurrentTable(setup, setup.principal, dataset, setup.logger);
  }
}

/** Append one table's rows, one commit per shard. Returns the rows left out as already stored. */
async function appendShardRanges(
  setup: StreamPipelineSetup,
  dataset: DatasetDefinition,
  ranges: readonly StreamRange[],
  recordsByShard: ReadonlyMap<string, StagedRecord[]>,
  committed: CommittedStreamRanges,
  counts: MicroBatchCounts,
  microBatch: number,
  onFaultPoint: StreamFaultHook | undefined,
): Promise<number> {
  const { principal, logger } = setup;
  const writtenThrough = await committed.writtenThroughOf(
    dataset.table,
    ranges.map((range) => range.shardId),
  );
  let skipped = 0;

  for (const range of ranges) {
    const through = writtenThrough.get(range.shardId);
    const rows: Row[] = [];
    for (const record of recordsByShard.get(range.shardId) ?? []) {
      const recordRows = record.rowsByTable.get(dataset.table);
      if (!recordRows) continue;
      if (through && compareStreamPositions(record.position, through) <= 0) {
        counts.rowsAlreadyCommitted += recordRows.length;
        skipped += recordRows.length;
        continue;
      }
      rows.push(...recordRows);
    }
    if (rows.length === 0) continue;

    const context = {
      principal: principal.name,
      inputs: [formatStreamRange(range)],
      fileLabel: fileLabelOf(range),
    };
    const result = await appendAndRegister(
      setup,
      principal,
      dataset,
      rows,
      context,
      counts,
      logger,
    );
    committed.noteCommitted(dataset.table, range);
    skipped += result.rowsSkippedAsDuplicate;
    await onFaultPoint?.('after-table-commit', {
      microBatch,
      table: dataset.table,
      shardId: range.shardId,
    });
  }
  return skipped;
}

/** Describe what this micro-batch's commits did to a table that transforms read. */
async function changeOf(
  setup: StreamPipelineSetup,
  table: string,
  before: TableSnapshot | undefined,
  rowsSkipped: number,
): Promise<SourceTableChange> {
  const after = await setup.lake.tables.snapshot(table);
  const known = new Set(before?.files.map((file) => file.key));
  return {
    snapshot: after,
    filesAdded:
      after && after.version !== before?.version
        ? after.files.filter((file) => !known.has(file.key))
        : [],
    // Rows already stored make the transforms read the whole view table, as a replayed file does.
    rowsSkippedAsDuplicate: rowsSkipped,
  };
}

async function runTransforms(
  setup: StreamPipelineSetup,
  ranges: readonly StreamRange[],
  changes: ReadonlyMap<string, SourceTableChange>,
  counts: MicroBatchCounts,
): Promise<void> {
  const { lake, pipeline, principal, logger, tables } = setup;
  if (tables.transforms.length === 0) return;
  const byTable = new Map(tables.outputs.map((dataset) => [dataset.table, dataset]));
  const transformed = await runSqlTransforms({
    tables: lake.tables,
    limits: lake.duckdb,
    transforms: tables.transforms,
    changes,
    datasetOf: (table) => requireDataset(byTable, table),
  });
  const [onlyRange] = ranges;
  const context = {
    principal: principal.name,
    inputs: ranges.map(formatStreamRange),
    ...(ranges.length === 1 && onlyRange ? { fileLabel: fileLabelOf(onlyRange) } : {}),
  };
  for (const result of transformed) {
    for (const item of result.rejected) await quarantine(lake.store, pipeline.name, item);
    counts.quarantined += result.rejected.length;
    await appendAndRegister(setup, principal, result.dataset, result.rows, context, counts, logger);
  }
}

async function quarantineStagedRecord(
  setup: StreamPipelineSetup,
  record: StagedRecord,
): Promise<number> {
  return quarantineStreamRecord(setup, {
    landingName: landingNameOf(
      record.shardId,
      record.position.sequenceNumber,
      record.position.subSequenceNumber,
    ),
    data: record.data as Uint8Array,
    streamRecord: {
      stream: setup.source.stream,
      partitionKey: record.partitionKey,
      shardId: record.shardId,
      sequenceNumber: record.position.sequenceNumber,
      subSequenceNumber: record.position.subSequenceNumber,
    },
    problems: record.problems,
  });
}

function groupByShard(records: readonly StagedRecord[]): Map<string, StagedRecord[]> {
  const byShard = new Map<string, StagedRecord[]>();
  for (const record of records) {
    const list = byShard.get(record.shardId) ?? [];
    list.push(record);
    byShard.set(record.shardId, list);
  }
  return byShard;
}
