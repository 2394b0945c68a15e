import { performance } from 'node:perf_hooks';
import { formatTableName, sha256Hex, type Principal } from '@carelake/core';
import type { AuditLog } from '@carelake/audit';
import type { Catalog } from '@carelake/catalog';
import {
  closeDuckDb,
  openDuckDb,
  quoteIdentifier,
  quoteLiteral,
  snapshotSourceSql,
  type DuckDbLimits,
  type MaterializedSnapshot,
  type TableStore,
} from '@carelake/tables';
import type { DuckDBConnection, DuckDBInstance, DuckDBResult } from '@duckdb/node-api';
import { QueryExecutionError } from './errors';
import type { QueryColumn, QueryEngine, QueryOptions, QueryResult, QueryValue } from './query-engine';

export interface DuckDbQueryEngineOptions {
  catalog: Catalog;
  tables: TableStore;
  audit?: AuditLog;
  limits?: DuckDbLimits;
}

/**
 * The local query engine: DuckDB over the committed Parquet files of every
 * catalog table, each exposed as a view named `database.table`. Only the
 * files of those snapshots are readable; any other file access is switched off
 * before a user's SQL runs.
 */
export class DuckDbQueryEngine implements QueryEngine {
  private constructor(
    private readonly duck: { instance: DuckDBInstance; connection: DuckDBConnection },
    private readonly opened: MaterializedSnapshot[],
    private readonly audit: AuditLog | undefined,
    readonly tableNames: string[],
  ) {}

  static async open(options: DuckDbQueryEngineOptions): Promise<DuckDbQueryEngine> {
    const duck = await openDuckDb(options.limits);
    const opened: MaterializedSnapshot[] = [];
    const names: string[] = [];
    try {
      const schemas = new Set<string>();
      for (const entry of await options.catalog.listTables()) {
        const name = formatTableName({ database: entry.database, table: entry.name });
        const snapshot = await options.tables.snapshot(name);
        if (!snapshot) continue;

        const materialized = await options.tables.materializeSnapshot(snapshot);
        opened.push(materialized);
        if (!schemas.has(entry.database)) {
          await duck.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(entry.database)}`);
          schemas.add(entry.database);
        }
        const source = snapshotSourceSql(snapshot, materialized.pathOf);
        await duck.connection.run(
          `CREATE VIEW ${quoteIdentifier(entry.database)}.${quoteIdentifier(entry.name)} AS ${source}`,
        );
        names.push(name);
      }
      await lockDown(duck.connection, opened.flatMap((snapshot) => snapshot.paths()));
    } catch (error) {
      closeDuckDb(duck);
      for (const snapshot of opened) await snapshot.release();
      throw error;
    }
    return new DuckDbQueryEngine(duck, opened, options.audit, names.sort());
  }

  async query(sql: string, options: QueryOptions): Promise<QueryResult> {
    const started = performance.now();
    const sqlHash = sha256Hex(sql);
    const connection = this.duck.connection;
    const resources = referencedTables(connection, sql);
    const abort = (): void => connection.interrupt();
    options.signal?.addEventListener('abort', abort, { once: true });

    let result: DuckDBResult;
    try {
      result = await connection.stream(sql);
    } catch (error) {
      options.signal?.removeEventListener('abort', abort);
      await this.record(options.principal, resources, 'failure', sqlHash, { durationMs: Math.round(performance.now() - started) });
      throw new QueryExecutionError('query failed in DuckDB', {
        cause: error,
        hint: 'Check the SQL against the tables listed by `carelake query --tables`.',
      });
    }

    const columns: QueryColumn[] = result.columnNames().map((name, index) => ({
      name,
      type: result.columnType(index).toString(),
    }));
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const record = this.record.bind(this);

    async function* batches(): AsyncGenerator<Record<string, QueryValue>[]> {
      let rowCount = 0;
      let outcome: 'success' | 'failure' = 'failure';
      try {
        for await (const batch of result.yieldRowObjectJs()) {
          const remaining = limit - rowCount;
          if (remaining <= 0) break;
          const rows = (batch.length > remaining ? batch.slice(0, remaining) : batch) as Record<string, QueryValue>[];
          rowCount += rows.length;
          yield rows;
        }
        outcome = 'success';
      } finally {
        options.signal?.removeEventListener('abort', abort);
        await record(options.principal, resources, outcome, sqlHash, {
          rows: rowCount,
          durationMs: Math.round(performance.now() - started),
        });
      }
    }
    return { columns, batches: batches() };
  }

  async queryAll(sql: string, options: QueryOptions): Promise<{ columns: QueryColumn[]; rows: Record<string, QueryValue>[] }> {
    const result = await this.query(sql, options);
    const rows: Record<string, QueryValue>[] = [];
    for await (const batch of result.batches) rows.push(...batch);
    return { columns: result.columns, rows };
  }

  async close(): Promise<void> {
    closeDuckDb(this.duck);
    for (const snapshot of this.opened) await snapshot.release();
  }

  private async record(
    principal: Principal,
    resources: string[],
    outcome: 'success' | 'failure',
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

/** List the tables a statement reads, for the audit event, or none when DuckDB cannot parse it. */
function referencedTables(connection: DuckDBConnection, sql: string): string[] {
  try {
    return [...connection.getTableNames(sql, true)].sort();
  } catch {
    return [];
  }
}

/**
 * Allow reads of exactly the snapshot files, then switch off every other file
 * and network access and freeze the configuration, so user SQL cannot read
 * other files, write files, or undo these settings.
 */
async function lockDown(connection: DuckDBConnection, paths: string[]): Promise<void> {
  if (paths.length > 0) {
    await connection.run(`SET allowed_paths = [${paths.map(quoteLiteral).join(', ')}]`);
  }
  await connection.run('SET enable_external_access = false');
  await connection.run('SET lock_configuration = true');
}
