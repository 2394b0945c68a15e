import { basename } from 'node:path';
import type { DatasetDefinition, Row } from '@carelake/core';
import {
  snapshotSourceSql,
  validateRow,
  type CommitResult,
  type DataFile,
  type DuckDbLimits,
  type MaterializedSnapshot,
  type TableSnapshot,
  type TableStore,
} from '@carelake/tables';
import { SqlTransformError } from './errors';
import type { QuarantineItem } from './quarantine';
import type { SqlTransform } from './sql-transforms';
import { duckDbMessageOf, TransformEngine } from './transform-engine';

/** The effect of one batch commit on a table that transforms read. */
export interface SourceTableChange {
  /** The table's snapshot after the commit; undefined for a table never written. */
  snapshot: TableSnapshot | undefined;
  /** Data files the commit added. */
  filesAdded: DataFile[];
  /** Rows of the batch that the table already held, which the commit skipped. */
  rowsSkippedAsDuplicate: number;
}

/**
 * The view rows a transform reads in a batch. `added`: the rows of the data files
 * this batch's commits added. `history`: every row, because a view row of the batch was already
 * stored and may come from a run that stopped before its transforms ran.
 */
export type TransformScope = 'added' | 'history';

/** The rows one transform returned for its table in a batch. */
export interface TransformResult {
  transform: SqlTransform;
  /** The dataset of the transform's table. */
  dataset: DatasetDefinition;
  scope: TransformScope;
  /** Rows that fit the dataset, to append. */
  rows: Row[];
  /** Rows that do not fit it, as quarantine items named by the view row's file and position. */
  rejected: QuarantineItem[];
}

export interface RunSqlTransformsOptions {
  tables: TableStore;
  limits: DuckDbLimits;
  transforms: readonly SqlTransform[];
  /** The change of every source table in this batch, by table name. */
  changes: ReadonlyMap<string, SourceTableChange>;
  datasetOf: (table: string) => DatasetDefinition;
}

/** Describe a commit to a source table from the snapshot before it and its result. */
export function sourceTableChange(
  before: TableSnapshot | undefined,
  result: CommitResult,
): SourceTableChange {
  const known = new Set(before?.files.map((file) => file.key));
  return {
    snapshot: result.snapshot ?? before,
    filesAdded: result.snapshot ? result.snapshot.files.filter((file) => !known.has(file.key)) : [],
    rowsSkippedAsDuplicate: result.rowsSkippedAsDuplicate,
  };
}

/**
 * Run the transforms whose view tables changed in this batch, each in its own DuckDB engine over
 * the view files it needs, and check their rows against their tables. A transform whose views
 * neither gained files nor skipped duplicates does not run.
 * @throws SqlTransformError when DuckDB fails to run a transform.
 */
export async function runSqlTransforms(
  options: RunSqlTransformsOptions,
): Promise<TransformResult[]> {
  const results: TransformResult[] = [];
  for (const transform of options.transforms) {
    const changes = transform.sources.map((table) => options.changes.get(table));
    const added = changes.some((change) => change !== undefined && change.filesAdded.length > 0);
    const resent = changes.some(
      (change) => change !== undefined && change.rowsSkippedAsDuplicate > 0,
    );
    if (!added && !resent) continue;

    // NOTE: one resent view row makes the transform read the whole history of its views, which
    // grows with the lake. A batch of new resources reads only the files it added.
    const scope: TransformScope = resent ? 'history' : 'added';
    const dataset = options.datasetOf(transform.table);
    const rows = await runTransform(options, transform, scope);
    results.push({ transform, dataset, scope, ...splitByValidity(transform, dataset, rows) });
  }
  return results;
}

async function runTransform(
  options: RunSqlTransformsOptions,
  transform: SqlTransform,
  scope: TransformScope,
): Promise<Row[]> {
  const engine = await TransformEngine.open(options.limits);
  const opened: MaterializedSnapshot[] = [];
  try {
    for (const table of transform.sources) {
      const change = options.changes.get(table);
      const snapshot = change?.snapshot;
      const files = scope === 'history' ? (snapshot?.files ?? []) : (change?.filesAdded ?? []);
      if (snapshot === undefined || files.length === 0) {
        await engine.defineEmptyTable(options.datasetOf(table));
        continue;
      }

      const part: TableSnapshot = { ...snapshot, files };
      const materialized = await options.tables.materializeSnapshot(part);
      opened.push(materialized);
      await engine.defineTable(table, snapshotSourceSql(part, materialized.pathOf));
    }
    await engine.lockDown(opened.flatMap((materialized) => materialized.paths()));

    try {
      return await engine.run(transform.sql);
    } catch (error) {
      // DuckDB's message can quote a field value, such as a string it could not cast, so only
      // its error class is kept.
      throw new SqlTransformError(
        `SQL transform ${transform.file} failed in DuckDB with a ${errorClassOf(error)}`,
        {
          hint: `Run its SELECT with carelake query over the ${transform.sources.join(', ')} tables to see DuckDB's message.`,
        },
      );
    }
  } finally {
    await engine.close();
    for (const materialized of opened) await materialized.release();
  }
}

function splitByValidity(
  transform: SqlTransform,
  dataset: DatasetDefinition,
  rows: readonly Row[],
): Pick<TransformResult, 'rows' | 'rejected'> {
  const valid: Row[] = [];
  const rejected: QuarantineItem[] = [];
  rows.forEach((row, index) => {
    const problem = validateRow(dataset, row, index);
    if (!problem) {
      valid.push(row);
      return;
    }
    const landingKey = typeof row['source_file'] === 'string' ? row['source_file'] : 'unknown';
    const position = row['source_position'];
    rejected.push({
      landingKey,
      fileSha256: landingSha256Of(landingKey),
      position: {
        file: landingKey,
        ...(typeof position === 'bigint' || typeof position === 'number'
          ? { record: Number(position) }
          : {}),
        ...(problem.position?.field ? { field: problem.position.field } : {}),
        keyPath: basename(transform.file),
      },
      stage: 'validate',
      reason: `${dataset.table}: ${problem.message}`,
    });
  });
  return { rows: valid, rejected };
}

/**
 * Return the content hash in a landing key `landing/<pipeline>/<sha256[0:2]>/<sha256>/<name>`, or
 * `unknown` for a source_file that is not one.
 */
function landingSha256Of(landingKey: string): string {
  return /^landing\/[^/]+\/[0-9a-f]{2}\/([0-9a-f]{64})\//.exec(landingKey)?.[1] ?? 'unknown';
}

function errorClassOf(error: unknown): string {
  return /^([A-Za-z ]+Error):/.exec(duckDbMessageOf(error))?.[1] ?? 'DuckDB error';
}
