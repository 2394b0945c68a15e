import type { TableSnapshot } from './snapshot';
import { duckDbType } from './parquet-writer';
import { quoteIdentifier, quoteLiteral } from './duckdb';

/**
 * DuckDB SQL that reads exactly the committed files of a snapshot: one
 * `read_parquet` per partition, with the partition values added as typed
 * constants, joined by UNION ALL. Filters on partition columns prune whole
 * branches. `pathOf` maps a file's key to a local path DuckDB can open.
 */
export function snapshotSourceSql(snapshot: TableSnapshot, pathOf: (key: string) => string): string {
  const partitionColumns = snapshot.partitionBy;
  const dataColumns = snapshot.columns.filter((column) => !partitionColumns.includes(column.name));
  const selectList = snapshot.columns.map((column) => quoteIdentifier(column.name)).join(', ');

  if (snapshot.files.length === 0) {
    const typed = snapshot.columns.map((column) => `NULL::${duckDbType(column.type)} AS ${quoteIdentifier(column.name)}`);
    return `SELECT ${typed.join(', ')} WHERE false`;
  }

  const groups = new Map<string, { partition: Record<string, string | null>; paths: string[] }>();
  for (const file of snapshot.files) {
    const groupKey = JSON.stringify(partitionColumns.map((column) => file.partition[column] ?? null));
    const group = groups.get(groupKey) ?? { partition: file.partition, paths: [] };
    group.paths.push(pathOf(file.key));
    groups.set(groupKey, group);
  }

  const branches = [...groups.values()].map((group) => {
    const constants = partitionColumns.map((name) => {
      const column = snapshot.columns.find((candidate) => candidate.name === name);
      const type = duckDbType(column?.type ?? 'string');
      const value = group.partition[name];
      const literal = value === null || value === undefined ? 'NULL' : quoteLiteral(value);
      return `CAST(${literal} AS ${type}) AS ${quoteIdentifier(name)}`;
    });
    const files = `[${group.paths.map(quoteLiteral).join(', ')}]`;
    const dataList = dataColumns.map((column) => quoteIdentifier(column.name));
    const inner = [...dataList, ...constants].join(', ');
    // union_by_name lets files written before a column was added read as NULL for it.
    return `SELECT ${selectList} FROM (SELECT ${inner} FROM read_parquet(${files}, union_by_name = true))`;
  });
  return branches.join('\nUNION ALL\n');
}
