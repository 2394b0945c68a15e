import type { DatasetDefinition } from '@carelake/core';
import { quoteIdentifier } from './duckdb';

/** Derive the dataset of a history table's `<table>_current` companion. */
export function currentDatasetOf(history: DatasetDefinition): DatasetDefinition {
  return {
    ...history,
    table: `${history.table}_current`,
    description: `Latest version per ${history.key.join(', ')} of ${history.table}, with deletes applied. Rebuilt by the runner on each commit to ${history.table}.`,
    kind: 'append',
    dedupeBy: undefined,
  };
}

/**
 * SELECT that keeps the newest version of each key: ordered by the dataset's
 * `versionOrder` columns (a null sorts as oldest), then by arrival
 * (`ingested_at`, `source_position`) when those columns exist, and drops keys
 * whose newest version is a delete.
 */
export function currentSelectSql(history: DatasetDefinition, sourceSql: string): string {
  const arrival = ['ingested_at', 'source_position'].filter(
    (name) => name in history.columns && !history.versionOrder.includes(name),
  );
  const order = [...history.versionOrder, ...arrival]
    .map((name) => `${quoteIdentifier(name)} DESC NULLS LAST`)
    .join(', ');
  const partition = history.key.map(quoteIdentifier).join(', ');
  const deleted = history.deletedFlag ? ` AND NOT coalesce(${quoteIdentifier(history.deletedFlag)}, false)` : '';
  const columns = Object.keys(history.columns).map(quoteIdentifier).join(', ');

  return `SELECT ${columns} FROM (
  SELECT *, row_number() OVER (PARTITION BY ${partition} ORDER BY ${order || '1'}) AS carelake_version_rank
  FROM (${sourceSql})
) WHERE carelake_version_rank = 1${deleted}`;
}
