import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

export interface DuckDbLimits {
  /** Worker threads; tests set 1 or 2 so parallel workers do not take every core. */
  threads?: number;
  /** DuckDB memory limit, such as `1GB`. */
  memoryLimit?: string;
  /** Folder for DuckDB's spill files. */
  tempDirectory?: string;
}

/**
 * Open an in-memory DuckDB with explicit limits. External access stays on
 * because the engine reads the lake's files, but extensions are never
 * downloaded: the lake must work offline.
 */
export async function openDuckDb(limits: DuckDbLimits = {}): Promise<{ instance: DuckDBInstance; connection: DuckDBConnection }> {
  const options: Record<string, string> = {
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  };
  if (limits.threads !== undefined) options['threads'] = String(limits.threads);
  if (limits.memoryLimit !== undefined) options['memory_limit'] = limits.memoryLimit;
  if (limits.tempDirectory !== undefined) options['temp_directory'] = limits.tempDirectory;

  const instance = await DuckDBInstance.create(':memory:', options);
  const connection = await instance.connect();
  return { instance, connection };
}

export function closeDuckDb(handle: { instance: DuckDBInstance; connection: DuckDBConnection }): void {
  handle.connection.closeSync();
  handle.instance.closeSync();
}

/** Quote an identifier for DuckDB SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** Quote a string literal for DuckDB SQL. */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
