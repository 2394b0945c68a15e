import { dateValue, timestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { ColumnType, Row, RowValue } from '@carelake/core';
import { quoteIdentifier, quoteLiteral } from './duckdb';
import { RowSchemaError } from './errors';
import type { SnapshotColumn } from './snapshot';

const DUCKDB_TYPES: Record<ColumnType, string> = {
  string: 'VARCHAR',
  int: 'INTEGER',
  bigint: 'BIGINT',
  double: 'DOUBLE',
  boolean: 'BOOLEAN',
  date: 'DATE',
  timestamp: 'TIMESTAMP',
};

const MS_PER_DAY = 86_400_000;

export function duckDbType(type: ColumnType): string {
  return DUCKDB_TYPES[type];
}

let stagingCounter = 0;

/**
 * Write rows to one Parquet file (ZSTD) at a local path through DuckDB's
 * appender, the writer chosen in docs/decisions/0001-parquet-writer.md.
 * `columns` are the columns stored in the file, in order.
 */
export async function writeParquetFile(
  connection: DuckDBConnection,
  columns: readonly SnapshotColumn[],
  rows: readonly Row[],
  path: string,
): Promise<void> {
  const staging = `staging_${process.pid}_${++stagingCounter}`;
  const columnSql = columns.map((column) => `${quoteIdentifier(column.name)} ${duckDbType(column.type)}`).join(', ');
  await connection.run(`CREATE TABLE ${staging} (${columnSql})`);

  try {
    const appender = await connection.createAppender(staging);
    try {
      rows.forEach((row, index) => appendRow(appender, columns, row, index));
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await connection.run(`COPY ${staging} TO ${quoteLiteral(path)} (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    await connection.run(`DROP TABLE IF EXISTS ${staging}`);
  }
}

function appendRow(appender: DuckDBAppender, columns: readonly SnapshotColumn[], row: Row, rowIndex: number): void {
  for (const column of columns) {
    const value = row[column.name];
    if (value === null || value === undefined) {
      appender.appendNull();
      continue;
    }
    appendValue(appender, column, value, rowIndex);
  }
  appender.endRow();
}

function appendValue(appender: DuckDBAppender, column: SnapshotColumn, value: RowValue, rowIndex: number): void {
  const mismatch = (): never => {
    throw new RowSchemaError(
      `column ${column.name} is declared ${column.type} but row ${rowIndex} contains a ${value instanceof Date ? 'Date' : typeof value}`,
      { position: { record: rowIndex, field: column.name }, hint: 'Fix the mapping that produced the row, or the dataset file.' },
    );
  };

  switch (column.type) {
    case 'string':
      if (typeof value !== 'string') mismatch();
      appender.appendVarchar(value as string);
      return;
    case 'int':
      if (typeof value !== 'number' || !Number.isInteger(value)) mismatch();
      appender.appendInteger(value as number);
      return;
    case 'bigint':
      if (typeof value === 'bigint') appender.appendBigInt(value);
      else if (typeof value === 'number' && Number.isInteger(value)) appender.appendBigInt(BigInt(value));
      else mismatch();
      return;
    case 'double':
      if (typeof value !== 'number') mismatch();
      appender.appendDouble(value as number);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') mismatch();
      appender.appendBoolean(value as boolean);
      return;
    case 'date':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) mismatch();
      appender.appendDate(dateValue(Math.floor((value as Date).getTime() / MS_PER_DAY)));
      return;
    case 'timestamp':
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) mismatch();
      appender.appendTimestamp(timestampValue(BigInt((value as Date).getTime()) * 1000n));
      return;
  }
}
