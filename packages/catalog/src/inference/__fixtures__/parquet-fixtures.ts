import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** A real in-memory DuckDB for tests: one thread and a small memory limit, as the shared machine needs. */
export interface TestDuckDb {
  connection: DuckDBConnection;
  close(): void;
}

export async function openTestDuckDb(): Promise<TestDuckDb> {
  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: '64MB',
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  const connection = await instance.connect();
  return {
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * Write the rows of `selectSql` to a Parquet file at `relativePath` under
 * `folder` with DuckDB's `COPY ... TO`, creating the partition folders.
 */
export async function writeParquet(
  connection: DuckDBConnection,
  folder: string,
  relativePath: string,
  selectSql: string,
): Promise<string> {
  const path = join(folder, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await connection.run(`COPY (${selectSql}) TO '${path.replace(/'/g, "''")}' (FORMAT parquet)`);
  return path;
}
