import type { DatasetDefinition } from '@carelake/core';
import { quoteIdentifier } from './duckdb';

/**
 * Steps of a merge chain followed before it is cut, so that a cycle cannot loop forever. Athena
 * engine version 3 stops recursive queries at a depth of 10, and the same SQL must run there.
 */
const MAX_MERGE_DEPTH = 10;

/** Derive the dataset of a history table's `<table>_current` companion. */
export function currentDatasetOf(history: DatasetDefinition): DatasetDefinition {
  return {
    ...history,
    table: `${history.table}_current`,
    description: `Latest version per ${history.key.join(', ')} of ${history.table}, with deletes and merges applied. Rebuilt at the end of each pipeline run that writes ${history.table}, and after each stream micro-batch.`,
    kind: 'append',
    dedupeBy: undefined,
  };
}

/** The history table whose merge rows a `_current` companion follows, and its rows as SQL. */
export interface MergeSource {
  dataset: DatasetDefinition;
  sourceSql: string;
}

/**
 * SELECT that keeps the newest version of each key: ordered by the dataset's
 * `versionOrder` columns (a null sorts as oldest), then by arrival
 * (`ingested_at`, `source_position`) when those columns exist, and drops keys
 * whose newest version is a delete. A `rowsPerVersion: many` table keeps every row of
 * the newest version. With a merge source, the followed column
 * is replaced by the survivor at the end of its merge chain.
 */
export function currentSelectSql(history: DatasetDefinition, sourceSql: string, merges?: MergeSource): string {
  const partition = history.key.map(quoteIdentifier).join(', ');
  const deleted = history.deletedFlag ? ` AND NOT coalesce(${quoteIdentifier(history.deletedFlag)}, false)` : '';
  const names = Object.keys(history.columns);

  // rank() ties every row of the newest version; row_number() keeps exactly one.
  const ranking = history.rowsPerVersion === 'many' ? 'rank()' : 'row_number()';
  const latest = `SELECT * FROM (
  SELECT *, ${ranking} OVER (PARTITION BY ${partition} ORDER BY ${newestFirst(history)}) AS carelake_version_rank
  FROM (${sourceSql})
) WHERE carelake_version_rank = 1${deleted}`;

  const follow = history.followMerges;
  if (!follow || !merges) return `SELECT ${names.map(quoteIdentifier).join(', ')} FROM (${latest})`;

  const column = quoteIdentifier(follow.column);
  const selected = names
    .map((name) => (name === follow.column ? `coalesce(merge_final.survivor, latest.${column}) AS ${column}` : `latest.${quoteIdentifier(name)}`))
    .join(', ');
  return `WITH RECURSIVE ${mergeChainSql(merges.dataset, follow.key, follow.mergedInto, merges.sourceSql)}
SELECT ${selected} FROM (${latest}) AS latest
LEFT JOIN merge_final ON merge_final.merged_key = latest.${column}`;
}

/**
 * CTEs `merge_link` (each merged key's newest merge target), `merge_chain` (every
 * step along the chain) and `merge_final` (the last survivor per merged key). A key
 * whose newest version names no survivor is not merged, so a later unmerge wins.
 */
function mergeChainSql(source: DatasetDefinition, keyColumn: string, mergedIntoColumn: string, sourceSql: string): string {
  const key = quoteIdentifier(keyColumn);
  const into = quoteIdentifier(mergedIntoColumn);
  return `merge_link AS (
  SELECT ${key} AS merged_key, ${into} AS survivor FROM (
    SELECT ${key}, ${into}, row_number() OVER (PARTITION BY ${key} ORDER BY ${newestFirst(source)}) AS merge_rank
    FROM (${sourceSql})
  ) WHERE merge_rank = 1 AND ${into} IS NOT NULL AND ${into} <> ${key}
),
merge_chain AS (
  SELECT merged_key, survivor, 1 AS depth FROM merge_link
  UNION ALL
  SELECT merge_chain.merged_key, merge_link.survivor, merge_chain.depth + 1
  FROM merge_chain JOIN merge_link ON merge_link.merged_key = merge_chain.survivor
  WHERE merge_chain.depth < ${MAX_MERGE_DEPTH} AND merge_link.survivor <> merge_chain.merged_key
),
merge_final AS (
  SELECT merged_key, arg_max(survivor, depth) AS survivor FROM merge_chain GROUP BY merged_key
)`;
}

/** ORDER BY that puts a key's newest version first. */
function newestFirst(dataset: DatasetDefinition): string {
  const arrival = ['ingested_at', 'source_position'].filter(
    (name) => name in dataset.columns && !dataset.versionOrder.includes(name),
  );
  const order = [...dataset.versionOrder, ...arrival].map((name) => `${quoteIdentifier(name)} DESC NULLS LAST`).join(', ');
  return order || '1';
}
