import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDbLimits {
  /** Worker threads; tests set 1 or 2 so parallel workers do not take every core. */
  threads?: number;
  /** DuckDB memory limit, such as `1GB`. */
  memoryLimit?: string;
  /** Folder for DuckDB's spill files. Left out, each engine makes a private one under `scratchDir`. */
  tempDirectory?: string;
  /**
   * Parent of the private working folders that engines create for spill files, staged Parquet
   * and decrypted copies; `os.tmpdir()` by default. An encrypted lake points it at memory-backed
   * storage, because those files hold plaintext.
   */
  scratchDir?: string;
}

export interface DuckDbHandle {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  /** The spill folder `openDuckDb` created, removed by `closeDuckDb`. */
  spillDir?: string;
}

/**
 * Open an in-memory DuckDB with explicit limits. External access stays on
 * because the engine reads the lake's files, but extensions are never
 * downloaded: the lake must work offline.
 */
export async function openDuckDb(limits: DuckDbLimits = {}): Promise<DuckDbHandle> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (limits.threads !== undefined) options['threads'] = String(limits.threads);
  if (limits.memoryLimit !== undefined) options['memory_limit'] = limits.memoryLimit;

  // An in-memory DuckDB spills to `.tmp` in the working folder by default, where other users may
  // read it; a folder of mode 0700 that close removes keeps spilled rows private and short-lived.
  const spillDir = limits.tempDirectory === undefined ? mkdtempSync(join(limits.scratchDir ?? tmpdir(), 'duckdb-spill-')) : undefined;
  options['temp_directory'] = limits.tempDirectory ?? (spillDir as string);

  try {
    const instance = await DuckDBInstance.create(':memory:', options);
    const connection = await instance.connect();
    return { instance, connection, ...(spillDir ? { spillDir } : {}) };
  } catch (error) {
    if (spillDir) rmSync(spillDir, { recursive: true, force: true });
    throw error;
  }
}

export function closeDuckDb(handle: DuckDbHandle): void {
  handle.connection.closeSync();
  handle.instance.closeSync();
  if (handle.spillDir) rmSync(handle.spillDir, { recursive: true, force: true });
}

/** Quote an identifier for DuckDB SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a string literal for DuckDB SQL. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
