import type { Row, RowValue } from '@carelake/core';
import { closeDuckDb, openDuckDb, snapshotSourceSql, type TableSnapshot } from '@carelake/tables';
import type { Lake } from '../lake';

/**
 * Reads every row of a committed snapshot through the table layer, with date and timestamp
 * columns as Date objects, as the de-identification functions take them. An optional WHERE
 * clause narrows the rows.
 * NOTE: the whole result is held in memory, which bounds the size of a table a run can take.
 */
export async function readSnapshotRows(lake: Lake, snapshot: TableSnapshot, where = ''): Promise<Row[]> {
  const duck = await openDuckDb(lake.duckdb);
  try {
    return await lake.tables.withMaterialized(snapshot, async (pathOf) => {
      const sql = `SELECT * FROM (${snapshotSourceSql(snapshot, pathOf)})${where === '' ? '' : ` WHERE ${where}`}`;
      const reader = await duck.connection.runAndReadAll(sql);
      return reader.getRowObjectsJS().map((row) => row as Record<string, RowValue>);
    });
  } finally {
    closeDuckDb(duck);
  }
}
