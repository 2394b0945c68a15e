import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import {
  closeDuckDb,
  openDuckDb,
  quoteIdentifier,
  quoteLiteral,
  type DuckDbLimits,
} from '@carelake/tables';
import type { DuckDbResultStream } from './duckdb-engine';
import { interruptionError } from './query-stop';

export interface ResultParquetOptions {
  /** Threads and memory of the DuckDB that writes the file; the folder for spill files is always a private temp folder. */
  limits?: DuckDbLimits;
  /** Stops the write, such as on Ctrl-C; the write then rejects as `interruptionError` describes. */
  signal?: AbortSignal;
}

/**
 * Write a streamed query result to one Parquet file (ZSTD) at `path`, keeping
 * DuckDB's column types: DECIMAL, LIST and STRUCT stay what they are. The
 * engine's connection may not write files, so the chunks go to a separate
 * in-memory DuckDB that has no lake table, which copies them to a temporary
 * file beside `path` and renames it into place, readable by the owner only.
 * A failure or a stop leaves no file behind. Resolves with the number of rows
 * written.
 */
export async function writeResultParquet(
  stream: DuckDbResultStream,
  path: string,
  options: ResultParquetOptions = {},
): Promise<number> {
  // NOTE: the staging table keeps the whole result until COPY. DuckDB spills it
  // to the private folder past its memory limit, so disk, not memory, bounds it.
  const spillFolder = await mkdtemp(join(options.limits?.scratchDir ?? tmpdir(), 'carelake-result-'));
  const partialPath = join(
    dirname(path),
    `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`,
  );
  const duck = await openDuckDb({ ...options.limits, tempDirectory: spillFolder });
  const onAbort = (): void => duck.connection.interrupt();
  options.signal?.addEventListener('abort', onAbort, { once: true });

  try {
    const columns = stream.columns.map(
      (column, index) => `${quoteIdentifier(column.name)} ${stream.columnTypes[index]?.toString()}`,
    );
    await duck.connection.run(`CREATE TABLE result (${columns.join(', ')})`);

    let rowCount = 0;
    const appender = await duck.connection.createAppender('result');
    try {
      for await (const chunk of stream.chunks) {
        appender.appendDataChunk(chunk);
        rowCount += chunk.rowCount;
      }
      appender.flushSync();
    } finally {
      appender.closeSync();
    }

    throwIfAborted(options.signal);
    await duck.connection.run(
      `COPY result TO ${quoteLiteral(partialPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    throwIfAborted(options.signal);
    // Readable by the owner only, like the lake's own files, because a result can hold health data.
    await chmod(partialPath, 0o600);
    await rename(partialPath, path);
    return rowCount;
  } catch (error) {
    await rm(partialPath, { force: true });
    throwIfAborted(options.signal);
    throw error;
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    closeDuckDb(duck);
    await rm(spillFolder, { recursive: true, force: true });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw interruptionError(signal.reason);
}
