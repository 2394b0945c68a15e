import { performance } from 'node:perf_hooks';
import { sha256Hex, type Principal } from '@carelake/core';
import type { AuditDetails, AuditLog } from '@carelake/audit';
import type { Catalog } from '@carelake/catalog';
import type { GovernanceSnapshot } from '@carelake/governance';
import {
  closeDuckDb,
  openDuckDb,
  quoteIdentifier,
  quoteLiteral,
  type DuckDbHandle,
  type DuckDbLimits,
  type MaterializedSnapshot,
  type TableStore,
} from '@carelake/tables';
import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBConnection,
  type DuckDBDataChunk,
  type DuckDBResult,
  type DuckDBType,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';
import { describeDuckDbError } from './duckdb-error-message';
import { governedView } from './enforcement/governed-view';
import { parseStatement } from './enforcement/parse-statement';
import { denialDetails, queryAuditFacts, type ExposedTable } from './enforcement/query-audit';
import { checkStatementTree } from './enforcement/statement-gate';
import { tableGrants, type TableGrant } from './enforcement/table-grants';
import { QueryDeniedError, QueryError, QueryExecutionError, QueryUnsupportedConstructError } from './errors';
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
  /** The principal whose queries this engine runs; `query` and `stream` reject any other. */
  principal: Principal;
  /**
   * The governance snapshot in force (`readGovernanceSnapshot(lakeRoot)`). Without one, only an
   * admin reads tables, because access is denied by default.
   */
  governance?: GovernanceSnapshot;
  audit?: AuditLog;
  limits?: DuckDbLimits;
  /**
   * Expose only the tables the first statement names, when it runs, instead of every granted
   * table at open. For one-statement sessions such as `carelake query`: on an encrypted lake only
   * those tables are decrypted. Later statements see the same tables and no others.
   */
  prepareOnFirstStatement?: boolean;
}

/** A running DuckDB query as DuckDB's own data chunks, for writers that keep DuckDB's types. */
export interface DuckDbResultStream {
  columns: QueryColumn[];
  columnTypes: DuckDBType[];
  /** Chunks of up to 2,048 rows; the last may be cut short by `limit`. */
  chunks: AsyncIterable<DuckDBDataChunk>;
}

/** A table the principal may read that the engine does not expose, and why. */
export interface WithheldTable {
  table: string;
  reason: string;
}

type Outcome = 'success' | 'failure' | 'denied';

/**
 * The local query engine for one principal: DuckDB over the committed
 * Parquet files of the tables the principal may read, each exposed as a view
 * named `database.table` that shows only the granted columns of the rows the
 * row filter keeps. Tables not granted have no view at all.
 *
 * Two layers keep a principal inside those views:
 * 1. Before a statement runs, DuckDB's own parser turns it into a parse tree
 *    (`json_serialize_sql`), and only one SELECT whose every table reference
 *    is an exposed view, a WITH query or a value generator such as `range`
 *    runs. File readers, replacement scans (`FROM 'x.parquet'`), catalog
 *    functions, and COPY, ATTACH, INSTALL, SET and every other statement
 *    are denied, and each denial is an audit event with outcome `denied`.
 * 2. DuckDB itself may read only the files behind the views, with external
 *    access off, extensions never loaded or installed, and its configuration
 *    locked. These settings alone do not stop a principal from reading those
 *    files whole with read_parquet, or writing over them with COPY, which is
 *    why the first layer exists.
 *
 * Trino functions that DuckDB lacks or defines differently are macros with
 * Trino's meaning (see trino/), so SQL written for Athena runs here, and
 * Trino constructs that cannot be translated are rejected before DuckDB
 * parses them.
 */
export class DuckDbQueryEngine implements QueryEngine {
  private readonly opened: MaterializedSnapshot[] = [];
  private readonly exposed = new Map<string, ExposedTable>();
  private readonly withheldTables: WithheldTable[] = [];
  private readonly schemas = new Set<string>();
  private readonly readable: string[] = [];
  /** Grants `prepare` looked at, exposed or not. */
  private readonly considered = new Set<string>();
  private lockedDown = false;

  private constructor(
    private readonly duck: DuckDbHandle,
    private readonly links: PartitionLinks,
    private readonly tables: TableStore,
    private readonly grants: readonly TableGrant[],
    private readonly audit: AuditLog | undefined,
    /** The principal whose queries this engine runs. */
    readonly principal: Principal,
    private readonly governance: GovernanceSnapshot | undefined,
  ) {}

  /** Audit records of streams not read to the end yet, written as failures on close. */
  private readonly unfinished = new Set<() => Promise<void>>();

  /** The tables the principal reads, as `database.table`, sorted. */
  get tableNames(): string[] {
    return [...this.exposed.keys()].sort();
  }

  /** Tables the principal may read that the engine does not expose, with the reason. */
  get withheld(): readonly WithheldTable[] {
    return this.withheldTables;
  }

  static async open(options: DuckDbQueryEngineOptions): Promise<DuckDbQueryEngine> {
    const registered = (await options.catalog.listTables()).map((entry) => ({ database: entry.database, table: entry.name }));
    const grants = tableGrants(options.principal, options.governance, registered);

    const duck = await openDuckDb(options.limits);
    const links = await PartitionLinks.create(options.limits?.scratchDir);
    const engine = new DuckDbQueryEngine(duck, links, options.tables, grants, options.audit, options.principal, options.governance);
    try {
      await applyTrinoDialect(duck.connection);
      if (!options.prepareOnFirstStatement) await engine.prepare(grants);
    } catch (error) {
      await engine.close();
      throw error;
    }
    return engine;
  }

  /**
   * Expose the granted tables as views over their snapshot files, then allow reads of exactly
   * those files and freeze the configuration. Runs once: a locked engine exposes nothing more.
   */
  private async prepare(grants: readonly TableGrant[]): Promise<void> {
    for (const grant of grants) {
      this.considered.add(grant.name);
      const snapshot = await this.tables.snapshot(grant.name);
      if (!snapshot) continue;

      const materialized = await this.tables.materializeSnapshot(snapshot);
      this.opened.push(materialized);
      const source = await snapshotViewSql(snapshot, materialized.pathOf, this.links);
      const view = governedView(grant, source.sql, snapshot.columns);
      if (view.kind === 'withheld') {
        this.withheldTables.push({ table: grant.name, reason: view.reason });
        continue;
      }
      if (!this.schemas.has(grant.database)) {
        await this.duck.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(grant.database)}`);
        this.schemas.add(grant.database);
      }
      await this.duck.connection.run(
        `CREATE VIEW ${quoteIdentifier(grant.database)}.${quoteIdentifier(grant.table)} AS ${view.sql}`,
      );
      this.readable.push(...source.paths);
      this.exposed.set(grant.name, { grant, columns: view.columns });
    }
    await lockDown(this.duck.connection, this.readable);
    this.lockedDown = true;
  }

  /** Prepare only the granted tables a statement names, for an engine opened with `prepareOnFirstStatement`. */
  private async prepareFor(sql: string): Promise<void> {
    if (this.lockedDown) return;
    const parsed = await parseStatement(this.duck.connection, sql);
    const named = new Set(parsed.kind === 'parsed' ? checkStatementTree(parsed.statements, () => undefined).named : []);
    await this.prepare(this.grants.filter((grant) => named.has(grant.name)));
  }

  /**
   * Run one statement and stream its result as DuckDB data chunks. Every run
   * is one audit event. It is recorded when the last chunk is read, when the
   * query fails or is denied, when the caller stops reading, or at `close`
   * for a stream never read to the end; the last two have outcome failure.
   * Raises `QueryDeniedError` for a statement the principal may not run.
   */
  async stream(sql: string, options: QueryOptions): Promise<DuckDbResultStream> {
    const started = performance.now();
    const sqlHash = sha256Hex(sql);
    const connection = this.duck.connection;
    let tables: string[] = [];
    const record = (outcome: Outcome, details: AuditDetails = {}): Promise<void> =>
      this.record(outcome, tables, { sqlSha256: sqlHash, ...details, durationMs: Math.round(performance.now() - started) });

    if (options.principal.name !== this.principal.name) {
      throw new QueryError(`this engine runs the queries of principal ${this.principal.name}, not ${options.principal.name}`, {
        hint: 'Open one engine for each principal: each sees only its own grants.',
      });
    }
    const unsupported = findUnsupportedConstructs(sql);
    if (unsupported.length > 0) {
      await record('failure');
      throw new QueryUnsupportedConstructError(unsupported);
    }

    await this.prepareFor(sql);
    const statement = await this.checkStatement(sql);
    tables = statement.tables;
    if (statement.kind === 'invalid') {
      await record('failure');
      throw executionError(new Error(statement.message), this.principal);
    }
    if (statement.kind === 'denied') {
      await record('denied', denialDetails(statement.denials));
      throw new QueryDeniedError(this.principal.name, statement.denials);
    }

    const stop = new QueryStop(connection, options.signal, options.timeoutMs);
    let result: DuckDBResult;
    try {
      stop.throwIfStopped();
      result = await connection.stream(statement.sql);
    } catch (error) {
      stop.dispose();
      await record('failure');
      throw stop.error ?? executionError(error, this.principal);
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
      await record(outcome, { rows: rowCount });
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
    for (const snapshot of this.opened) await snapshot.release();
    await this.links.release();
  }

  /**
   * Parse a statement and check it against the exposed views. `tables` lists
   * the lake tables it names: the readable ones for a statement that runs,
   * every one for a denied statement, for its audit event.
   */
  private async checkStatement(
    sql: string,
  ): Promise<
    | { kind: 'run'; sql: string; tables: string[] }
    | { kind: 'denied'; denials: string[]; tables: string[] }
    | { kind: 'invalid'; message: string; tables: string[] }
  > {
    const parsed = await parseStatement(this.duck.connection, sql);
    if (parsed.kind !== 'parsed') return { ...parsed, tables: [] };

    const check = checkStatementTree(parsed.statements, (table) => this.whyUnreadable(table));
    const denials = [...check.denials];
    // A plan shows row counts read before the row filter, which the principal may not see.
    const filtered = check.tables.filter((table) => this.exposed.get(table)?.grant.rowFilter !== undefined);
    if (parsed.explain && filtered.length > 0) {
      denials.push(`EXPLAIN of row-filtered table(s) ${filtered.join(', ')}, because plans show row counts before the filter`);
    }
    if (denials.length > 0) return { kind: 'denied', denials, tables: check.named };
    return { kind: 'run', sql: parsed.sql, tables: check.tables };
  }

  private whyUnreadable(table: string): string | undefined {
    if (this.exposed.has(table)) return undefined;
    const withheld = this.withheldTables.find((entry) => entry.table === table);
    if (withheld !== undefined) return `table ${table} is withheld: ${withheld.reason}`;
    if (this.grants.some((grant) => grant.name === table) && !this.considered.has(table)) {
      return `table ${table} was not named by the first statement of this engine, which exposes only those; open another engine to read it`;
    }
    if (this.principal.role !== 'admin' && this.governance === undefined) {
      return `table ${table} is not granted to you: no governance policies are applied, so only admins read tables (run carelake grants apply)`;
    }
    return `table ${table} is not granted to you, or has no committed data`;
  }

  private async record(outcome: Outcome, tables: readonly string[], details: AuditDetails): Promise<void> {
    if (this.audit === undefined) return;
    const facts = queryAuditFacts(tables, this.exposed, this.governance?.sha256);
    await this.audit.append({
      principal: this.principal.name,
      action: 'query.run',
      resources: facts.resources,
      outcome,
      // The SQL text may quote field values, so only its hash is kept.
      details: { ...details, ...facts.details },
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

/**
 * A column a policy hides is missing from the principal's view, so DuckDB reports it as not
 * found; the hint points at the principal's own columns rather than the catalog's.
 */
function executionError(cause: unknown, principal?: Principal): QueryExecutionError {
  const hint =
    principal && principal.role !== 'admin'
      ? `Check the SQL against the tables and columns that \`carelake grants show --principal ${principal.name}\` lists: policies may hide columns the catalog has.`
      : 'Check the SQL against the tables that `carelake catalog list` shows.';
  return new QueryExecutionError(describeDuckDbError(cause), { cause, hint });
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
