import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Principal } from '@carelake/core';
import { readGovernanceSnapshot } from '@carelake/governance';
import type { Lake } from '@carelake/pipeline';
import {
  DuckDbQueryEngine,
  QueryInterruptedError,
  QueryTimeoutError,
  writeResultParquet,
  type QueryResult,
} from '@carelake/query';
import { CliUsageError } from '../errors';
import { loadArrowWriter } from '../result-arrow-loader';
import {
  BINARY_FORMATS,
  createTextRenderer,
  type OutputFormat,
  type TextFormat,
} from '../output-format';

export interface RunQueryOptions {
  principal: Principal;
  format: OutputFormat;
  limit?: number;
  /** Stop the query after this many seconds, reading and writing the result included. */
  timeoutSeconds?: number;
  /** File to write instead of `write`; required for the binary formats. */
  out?: string;
  /** Print one block of lines to standard output; a returned promise is awaited, for back-pressure. */
  write: (text: string) => void | Promise<void>;
}

/**
 * Run one SQL statement through the local engine, opened for this call and
 * the principal, and closed afterwards, and write its result as it streams.
 * A statement the principal may not run raises `QueryDeniedError`. Ctrl-C interrupts
 * the query and rejects with `QueryInterruptedError`; `--timeout` rejects with
 * `QueryTimeoutError`. Either way no partial output file is left behind.
 * Resolves with the number of rows written.
 */
export async function runQuery(lake: Lake, sql: string, options: RunQueryOptions): Promise<number> {
  const out = await checkQueryOutput(options);
  const controls = openQueryControls(options, out);

  let engine: DuckDbQueryEngine | undefined;
  try {
    // The engine exposes only what the policies in force grant the principal, reads only the
    // snapshot files behind that, and releases them on close. It prepares only the tables the
    // statement names, so an encrypted lake decrypts no other table.
    const governance = readGovernanceSnapshot(lake.root);
    engine = await DuckDbQueryEngine.open({
      catalog: lake.catalog,
      tables: lake.tables,
      principal: options.principal,
      ...(governance === undefined ? {} : { governance }),
      audit: lake.audit,
      limits: lake.duckdb,
      prepareOnFirstStatement: true,
    });
    const queryOptions = {
      principal: options.principal,
      signal: controls.signal,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    };
    if (options.format === 'parquet') {
      const stream = await engine.stream(sql, queryOptions);
      return await writeResultParquet(stream, out as string, {
        limits: lake.duckdb,
        signal: controls.signal,
      });
    }
    if (options.format === 'arrow') return await loadArrowWriter()(await engine.query(sql, queryOptions), out as string);
    return await writeText(
      await engine.query(sql, queryOptions),
      options.format as TextFormat,
      out,
      options.write,
    );
  } finally {
    controls.dispose();
    await engine?.close();
  }
}

/** The abort signal of a running query, fired by Ctrl-C or by `--timeout`. */
export interface QueryControls {
  signal: AbortSignal;
  /** Stop listening for Ctrl-C and clear the timer. */
  dispose(): void;
}

/**
 * Abort the query on Ctrl-C with `QueryInterruptedError`, and after `timeoutSeconds`
 * with `QueryTimeoutError`, each with a hint about the output.
 */
export function openQueryControls(options: Pick<RunQueryOptions, 'out' | 'timeoutSeconds'>, out: string | undefined): QueryControls {
  const controller = new AbortController();
  const onInterrupt = (): void => {
    const hint =
      out === undefined
        ? 'The rows printed so far are only part of the result.'
        : `${options.out} was not written.`;
    controller.abort(new QueryInterruptedError('query interrupted by Ctrl-C', { hint }));
  };
  process.once('SIGINT', onInterrupt);
  const timer =
    options.timeoutSeconds === undefined
      ? undefined
      : setTimeout(() => {
          const hint =
            'Raise --timeout, or narrow the query with WHERE, partition filters or --limit.';
          controller.abort(
            new QueryTimeoutError(Math.round((options.timeoutSeconds as number) * 1000), { hint }),
          );
        }, options.timeoutSeconds * 1000);
  return {
    signal: controller.signal,
    dispose() {
      if (timer) clearTimeout(timer);
      process.removeListener('SIGINT', onInterrupt);
    },
  };
}

/**
 * Check the output options: a binary format needs `--out`, and `--out` must
 * name a file in an existing folder. Returns the
 * absolute output path, if any. `runQuery` checks too; call it first to fail
 * before opening the lake.
 */
export async function checkQueryOutput(
  options: Pick<RunQueryOptions, 'format' | 'out'>,
): Promise<string | undefined> {
  if (BINARY_FORMATS.has(options.format) && options.out === undefined) {
    throw new CliUsageError(`--format ${options.format} writes binary data and needs --out FILE`, {
      hint: `Add --out result.${options.format}.`,
    });
  }
  if (options.out === undefined) return undefined;

  const out = resolve(options.out);
  const folder = await stat(dirname(out)).catch(() => undefined);
  if (!folder?.isDirectory()) {
    throw new CliUsageError(`--out ${options.out}: folder ${dirname(options.out)} not found`, {
      hint: 'Create the folder first.',
    });
  }
  if ((await stat(out).catch(() => undefined))?.isDirectory()) {
    throw new CliUsageError(`--out ${options.out} is a folder`, { hint: 'Name a file to write.' });
  }
  return out;
}

/** Render rows as text, to standard output or to a temporary file renamed to `out` at the end. */
export async function writeText(
  result: QueryResult,
  format: TextFormat,
  out: string | undefined,
  write: RunQueryOptions['write'],
): Promise<number> {
  const file = out === undefined ? undefined : await PartialFile.create(out);
  const print = file ? (text: string) => file.write(`${text}\n`) : write;
  const renderer = createTextRenderer(format, result.columns);
  let rowCount = 0;
  try {
    for await (const rows of result.batches) {
      rowCount += rows.length;
      const lines = renderer.add(rows);
      if (lines.length > 0) await print(lines.join('\n'));
    }
    const last = renderer.end();
    if (last.length > 0) await print(last.join('\n'));
    await file?.commit();
    return rowCount;
  } catch (error) {
    await file?.discard();
    throw error;
  }
}

/** A file written beside its final path and renamed into place only when complete. */
class PartialFile {
  private constructor(
    private readonly path: string,
    private readonly partialPath: string,
    private readonly stream: WriteStream,
  ) {}

  static async create(path: string): Promise<PartialFile> {
    const partialPath = join(
      dirname(path),
      `.${basename(path)}.${randomBytes(6).toString('hex')}.partial`,
    );
    // Readable by the owner only, like the lake's own files, because a result can hold health data.
    const stream = createWriteStream(partialPath, { flags: 'wx', mode: 0o600 });
    await new Promise<void>((resolveOpen, rejectOpen) => {
      stream.once('open', () => resolveOpen());
      stream.once('error', rejectOpen);
    });
    return new PartialFile(path, partialPath, stream);
  }

  async write(text: string): Promise<void> {
    if (!this.stream.write(text))
      await new Promise<void>((resolveDrain) => this.stream.once('drain', resolveDrain));
  }

  async commit(): Promise<void> {
    await new Promise<void>((resolveEnd, rejectEnd) =>
      this.stream.end((error?: Error | null) => (error ? rejectEnd(error) : resolveEnd())),
    );
    await rename(this.partialPath, this.path);
  }

  async discard(): Promise<void> {
    this.stream.destroy();
    await rm(this.partialPath, { force: true });
  }
}

/**
 * Map the error of a stopped query to its exit code, as shells report them:
 * 124 for a timeout, as timeout(1) exits, and 130 (128 + SIGINT) for Ctrl-C.
 * Returns undefined for any other error.
 */
export function interruptionExitCode(error: unknown): number | undefined {
  if (error instanceof QueryTimeoutError) return 124;
  // The Athena engine stops the query on the abort and raises QueryCancelledError, caused by the timeout.
  if (error instanceof QueryInterruptedError && error.cause instanceof QueryTimeoutError) return 124;
  return error instanceof QueryInterruptedError ? 130 : undefined;
}
