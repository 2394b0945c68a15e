import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import {
  Bool,
  DateDay,
  Float64,
  Int32,
  Int64,
  RecordBatchStreamWriter,
  Table,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import type { QueryColumn, QueryResult, QueryValue } from '@carelake/query';
import { formatValue } from './output-format';

/** Returns the Arrow type a DuckDB column is written as; types not listed are written as text. */
function arrowTypeOf(column: QueryColumn): DataType {
  const type = column.type.toUpperCase();
  if (type === 'BOOLEAN') return new Bool();
  if (['TINYINT', 'SMALLINT', 'INTEGER', 'UTINYINT', 'USMALLINT'].includes(type)) return new Int32();
  if (['BIGINT', 'UINTEGER'].includes(type)) return new Int64();
  if (['FLOAT', 'DOUBLE'].includes(type)) return new Float64();
  if (type === 'DATE') return new DateDay();
  if (type.startsWith('TIMESTAMP')) return new TimestampMillisecond();
  // DECIMAL stays exact as text, and LIST, STRUCT and MAP values are written as JSON text.
  return new Utf8();
}

function arrowValue(value: QueryValue | undefined, type: DataType, column: QueryColumn): unknown {
  if (value === null || value === undefined) return null;
  if (type instanceof Int64) return typeof value === 'bigint' ? value : BigInt(value as number);
  if (type instanceof Utf8) return typeof value === 'string' ? value : formatValue(value, column);
  return value;
}

/**
 * Writes a query result as an Arrow IPC stream, one record batch per result batch, so a large
 * result never sits in memory. The file appears under its name only when complete, readable by its
 * owner only, and a failure or a stop leaves nothing behind. Resolves with the number of rows.
 */
export async function writeResultArrow(result: QueryResult, path: string): Promise<number> {
  const partialPath = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`);
  const types = result.columns.map(arrowTypeOf);
  const writer = new RecordBatchStreamWriter();
  const written = pipeline(writer.toNodeStream(), createWriteStream(partialPath, { mode: 0o600 }));

  let rows = 0;
  try {
    for await (const batch of result.batches) {
      writer.write(tableOf(result.columns, types, batch));
      rows += batch.length;
    }
    if (rows === 0) writer.write(tableOf(result.columns, types, []));
    writer.finish();
    await written;
    await rename(partialPath, path);
    return rows;
  } catch (error) {
    writer.abort();
    await written.catch(() => undefined);
    await rm(partialPath, { force: true });
    throw error;
  }
}

function tableOf(columns: readonly QueryColumn[], types: readonly DataType[], batch: readonly Record<string, QueryValue>[]): Table {
  const vectors: Record<string, Vector> = {};
  columns.forEach((column, index) => {
    const type = types[index] as DataType;
    vectors[column.name] = vectorFromArray(
      batch.map((row) => arrowValue(row[column.name], type, column)),
      type,
    );
  });
  return new Table(vectors);
}
