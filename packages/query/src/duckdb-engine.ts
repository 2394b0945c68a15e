import { performance } from 'node:perf_hooks';
import { formatTableName, sha256Hex, type Principal } from '@carelake/core';
import type { AuditLog } from '@carelake/audit';
import type { Catalog } from '@carelake/catalog';
import {
  closeDuckDb,
  openDuckDb,
  quoteIdentifier,
  quoteLiteral,
  type DuckDbLimits,
  type MaterializedSnapshot,
  type TableStore,
} from '@carelake/tables';
import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBInstance,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { describeDuckDbError } from './duckdb-error-message';
import { QueryExecutionError, QueryUnsupportedConstructError } from './errors';
import type {
  QueryColumn,
  QueryEngine,
  QueryOptions,
  QueryResult,
  QueryValue,
} from './query-engine';
import { QueryStop } from './query-stop';
import { PartitionLinks, snapshotViewSql } from './snapshot-view';
import { applyTrinoDialect } from './trino/trino-session';
import { findUnsupportedConstructs } from './trino/unsupported-constructs';

export interface DuckDbQueryEngineOptions {
  catalog: Catalog;
  tables: TableStore;
  audit?: AuditLog;
  limits?: DuckDbLimits;
}

/** A running DuckDB query as DuckDB's own data chunks, for writers that keep DuckDB's types. */
export interface DuckDbResultStream {
  columns: QueryColumn[];
  columnTypes: DuckDBType[];
  /** Chunks of up to 2,048 rows; the last may be cut short by `limit`. */
  chunks: AsyncIterable<DuckDBDataChunk>;
}

type Outcome = 'success' | 'failure';
type DuckDbHandle = { instance: DuckDBInstance; connection: DuckDBConnection };

/**
 * The local query engine: DuckDB over the committed Parquet files of every
 * catalog table, each exposed as a view named `database.table`. Only the
 * files of those snapshots are readable; any other file access is switched off
 * before a user's SQL runs. Trino functions that DuckDB lacks or defines
 * differently are macros with Trino's meaning (see trino/), so SQL written
 * for Athena runs here, and Trino constructs that cannot be translated are
 * rejected before DuckDB parses them.
 */
export class DuckDbQueryEngine implements QueryEngine {
  private constructor(
    private readonly duck: DuckDbHandle,
    /** An empty DuckDB that only parses statements, for the tables they name. */
    private readonly parser: DuckDbHandle,
    private readonly opened: MaterializedSnapshot[],
    private readonly links: PartitionLinks,
    private readonly audit: AuditLog | undefined,
    readonly tableNames: string[],
  ) {}

  /** Audit records of streams not read to the end yet, written as failures on close. */
  private readonly unfinished = new Set<() => Promise<void>>();

  static async open(options: DuckDbQueryEngineOptions): Promise<DuckDbQueryEngine> {
    const duck = await openDuckDb(options.limits);
    const parser = await openDuckDb({ threads: 1 });
    const links = await PartitionLinks.create();
    const opened: MaterializedSnapshot[] = [];
    const names: string[] = [];
    try {
      const schemas = new Set<string>();
      const readable: string[] = [];
      for (const entry of await options.catalog.listTables()) {
        const name = formatTableName({ database: entry.database, table: entry.name });
        const snapshot = await options.tables.snapshot(name);
        if (!snapshot) continue;

        const materialized = await options.tables.materializeSnapshot(snapshot);
        opened.push(materialized);
        if (!schemas.has(entry.database)) {
          await duck.connection.run(
            `CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(entry.database)}`,
          );
          schemas.add(entry.database);
        }
        const view = await snapshotViewSql(snapshot, materialized.pathOf, links);
        readable.push(...view.paths);
        await duck.connection.run(
          `CREATE VIEW ${quoteIdentifier(entry.database)}.${quoteIdentifier(entry.name)} AS ${view.sql}`,
        );
        names.push(name);
      }
      await applyTrinoDialect(duck.connection);
      await lockDown(duck.connection, readable);
    } catch (error) {
      closeDuckDb(duck);
      closeDuckDb(parser);
      for (const snapshot of opened) await snapshot.release();
      await links.release();
      throw error;
    }
    return new DuckDbQueryEngine(duck, parser, opened, links, options.audit, names.sort());
  }

  /**
   * Run one statement and stream its result as DuckDB data chunks. Every run
   * is one audit event, recorded when the last chunk is read, when the query
   * fails, when the caller stops reading, or at `close` for a stream never
   * read to the end (the last two with outcome failure).
   */
  async stream(sql: string, options: QueryOptions): Promise<DuckDbResultStream> {
    const started = performance.now();
    const sqlHash = sha256Hex(sql);
    const connection = this.duck.connection;
    const resources = this.referencedTables(sql);
    const record = (outcome: Outcome, rows?: number): Promise<void> =>
      this.record(options.principal, resources, outcome, sqlHash, {
        ...(rows === undefined ? {} : { rows }),
        durationMs: Math.round(performance.now() - started),
      });

    const unsupported = findUnsupportedConstructs(sql);
    if (unsupported.length > 0) {
      await record('failure');
      throw new QueryUnsupportedConstructError(unsupported);
    }

    const stop = new QueryStop(connection, options.signal, options.timeoutMs);
    let result: DuckDBResult;
    try {
      stop.throwIfStopped();
      result = await connection.stream(sql);
    } catch (error) {
      stop.dispose();
      await record('failure');
      throw stop.error ?? executionError(error);
    }

    // Repeated names get a suffix (`n`, `n:1`) so that each is a distinct key of a row object.
    const columns = result
      .deduplicatedColumnNames()
      .map((name, index) => ({ name, type: result.columnType(index).toString() }));
    const limit = options.limit ?? Number.POSITIVE_INFINITY;

    let rowCount = 0;
    const unfinished = this.unfinished;
    const finish = async (outcome: Outcome): Promise<void> => {
      if (!unfinished.delete(finishAsFailure)) return;
      stop.dispose();
      await record(outcome, rowCount);
    };
    const finishAsFailure = (): Promise<void> => finish('failure');
    unfinished.add(finishAsFailure);

    async function* chunks(): AsyncGenerator<DuckDBDataChunk> {
      let outcome: Outcome = 'failure';
      try {
        while (rowCount < limit) {
          const chunk = await fetchChunk(result, stop);
          if (!chunk) break;
          if (chunk.rowCount > limit - rowCount) chunk.rowCount = limit - rowCount;
          rowCount += chunk.rowCount;
          yield chunk;
        }
        outcome = 'success';
      } finally {
        await finish(outcome);
      }
    }
    return { columns, columnTypes: result.columnTypes(), chunks: chunks() };
  }

  async query(sql: string, options: QueryOptions): Promise<QueryResult> {
    const stream = await this.stream(sql, options);
    const names = stream.columns.map((column) => column.name);

    async function* batches(): AsyncGenerator<Record<string, QueryValue>[]> {
      for await (const chunk of stream.chunks) yield rowObjects(chunk, names);
    }
    return { columns: stream.columns, batches: batches() };
  }

  async queryAll(
    sql: string,
    options: QueryOptions,
  ): Promise<{ columns: QueryColumn[]; rows: Record<string, QueryValue>[] }> {
    const result = await this.query(sql, options);
    const rows: Record<string, QueryValue>[] = [];
    for await (const batch of result.batches) rows.push(...batch);
    return { columns: result.columns, rows };
  }

  async close(): Promise<void> {
    for (const finishAsFailure of [...this.unfinished]) await finishAsFailure();
    closeDuckDb(this.duck);
    closeDuckDb(this.parser);
    for (const snapshot of this.opened) await snapshot.release();
    await this.links.release();
  }

  /**
   * List the lake tables a statement names, for the audit event, or none when
   * DuckDB cannot parse it. The engine's own connection would list the files
   * behind each view instead, so an empty DuckDB parses the statement.
   */
  private referencedTables(sql: string): string[] {
    try {
      // Catalog names are lower case, and unquoted SQL names match them in any case.
      const named = new Set(
        this.parser.connection.getTableNames(sql, true).map((name) => name.toLowerCase()),
      );
      return this.tableNames.filter((name) => named.has(name));
    } catch {
      return [];
    }
  }

  private async record(
    principal: Principal,
    resources: string[],
    outcome: Outcome,
    sqlHash: string,
    details: Record<string, number>,
  ): Promise<void> {
    await this.audit?.append({
      principal: principal.name,
      action: 'query.run',
      resources,
      outcome,
      // The SQL text may quote field values, so only its hash is kept.
      details: { sqlSha256: sqlHash, ...details },
    });
  }
}

/**
 * node-api's JS values (BIGINT as bigint, DATE and TIMESTAMP as a Date to the
 * millisecond), except that a DECIMAL is its exact decimal text, as the Athena
 * engine returns it, because a double would round DECIMAL(38, s) values.
 */
const toQueryValue: DuckDBValueConverter<QueryValue> = (value, type, converter) => {
  if (type.typeId === DuckDBTypeId.DECIMAL) return value === null ? null : String(value);
  return JSDuckDBValueConverter(value, type, converter as DuckDBValueConverter<JS>) as QueryValue;
};

function rowObjects(
  chunk: DuckDBDataChunk,
  names: readonly string[],
): Record<string, QueryValue>[] {
  const rows: Record<string, QueryValue>[] = [];
  for (let rowIndex = 0; rowIndex < chunk.rowCount; rowIndex++) {
    const row: Record<string, QueryValue> = {};
    chunk.visitRowValues(rowIndex, (value, _row, columnIndex, type) => {
      row[names[columnIndex] as string] = toQueryValue(value, type, toQueryValue);
    });
    rows.push(row);
  }
  return rows;
}

/**
 * Fetch the next non-empty chunk, or undefined at the end. A stop between
 * chunks makes DuckDB end the stream early instead of failing, so the end is
 * only the end when no stop happened.
 */
async function fetchChunk(
  result: DuckDBResult,
  stop: QueryStop,
): Promise<DuckDBDataChunk | undefined> {
  try {
    stop.throwIfStopped();
    const chunk = await result.fetchChunk();
    stop.throwIfStopped();
    return chunk && chunk.rowCount > 0 ? chunk : undefined;
  } catch (error) {
    throw stop.error ?? executionError(error);
  }
}

function executionError(cause: unknown): QueryExecutionError {
  return new QueryExecutionError(describeDuckDbError(cause), {
    cause,
    hint: 'Check the SQL against the tables that `carelake catalog list` shows.',
  });
}

/**
 * Allow reads of exactly the snapshot files, or the links to them, then
 * switch off every other file and network access and freeze the
 * configuration, so user SQL cannot read other files, write files, or undo
 * these settings.
 */
async function lockDown(connection: DuckDBConnection, paths: string[]): Promise<void> {
  if (paths.length > 0) {
    await connection.run(`SET allowed_paths = [${paths.map(quoteLiteral).join(', ')}]`);
  }
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
