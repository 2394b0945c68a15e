import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/** The DuckDB connection that inference reads files with: the caller's, or a small instance opened for the call. */
export interface ParquetReaderOptions {
  /** A connection to use and leave open. Without it, an in-memory instance is opened and closed for the call. */
  connection?: DuckDBConnection;
  /** DuckDB `memory_limit` of the instance opened for the call. Reading footers needs little. */
  memoryLimit?: string;
}

/** One column of a Parquet file, with its type as DuckDB names it. */
export interface ParquetFileColumn {
  name: string;
  duckDbType: string;
}

const DEFAULT_MEMORY_LIMIT = '128MB';

/**
 * Run `work` with a DuckDB connection: the caller's, or one on a new in-memory
 * instance with one thread, closed when `work` settles. Extensions are never
 * installed or loaded, so a path can never reach the network.
 */
export async function withParquetReader<T>(
  options: ParquetReaderOptions,
  work: (connection: DuckDBConnection) => Promise<T>,
): Promise<T> {
  if (options.connection) return work(options.connection);

  const instance = await DuckDBInstance.create(':memory:', {
    threads: '1',
    memory_limit: options.memoryLimit ?? DEFAULT_MEMORY_LIMIT,
    autoinstall_known_extensions: 'false',
    autoload_known_extensions: 'false',
  });
  try {
    const connection = await instance.connect();
    try {
      return await work(connection);
    } finally {
      connection.closeSync();
    }
  } finally {
    instance.closeSync();
  }
}

/**
 * Read the top-level columns of one local Parquet file from its footer.
 * `hive_partitioning` is off so that `key=value` folders in the path do not
 * add columns, because partitions are read from the path separately.
 */
export async function readParquetFileColumns(
  connection: DuckDBConnection,
  path: string,
): Promise<ParquetFileColumn[]> {
  const literal = quoteLiteral(globLiteral(path));
  const reader = await connection.runAndReadAll(
    `SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet(${literal}, hive_partitioning = false))`,
  );
  return reader.getRowObjectsJS().map((row) => ({
    name: String(row['column_name']),
    duckDbType: String(row['column_type']),
  }));
}

/**
 * Escape a path for DuckDB's file glob, which would otherwise read `x[1].parquet`
 * as a pattern that matches `x1.parquet`. A glob character inside brackets
 * matches itself.
 */
export function globLiteral(path: string): string {
  return path.replace(/[*?[]/g, (char) => `[${char}]`);
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
