import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseTableName, type DatasetDefinition, type Row, type RowValue } from '@carelake/core';
import {
  closeDuckDb,
  duckDbType,
  openDuckDb,
  quoteIdentifier,
  quoteLiteral,
  type DuckDbHandle,
  type DuckDbLimits,
} from '@carelake/tables';
import { SqlTransformError } from './errors';

/** A column of a transform's result: its name and DuckDB type, such as `VARCHAR` or `TIMESTAMP`. */
export interface TransformColumn {
  name: string;
  type: string;
}

/** The tables, table functions and statements that DuckDB's parser found in a SQL text. */
export interface ParsedSql {
  /** The parser's message when the text is not a list of SELECT statements. */
  error?: string;
  statements: number;
  /** Tables read, as `database.table`, or the bare name when the SQL names no database. */
  tables: string[];
  /** Table functions called, such as `read_parquet`. */
  tableFunctions: string[];
}

/** The parts of `json_serialize_sql` output that `parse` reads. */
interface SerializedSql {
  error: boolean;
  error_message?: string;
  statements?: unknown[];
}


/**
 * An in-memory DuckDB in which SQL transforms run: source tables are defined as views named
 * `database.table`, so that the text `fhir.patient` of a transform resolves, then file access is
 * limited to the files those views read. Each engine has its own spill folder, which `close`
 * removes.
 */
export class TransformEngine {
  private readonly schemas = new Set<string>();

  private constructor(
    private readonly duck: DuckDbHandle,
    private readonly spillDir: string,
  ) {}

  static async open(limits: DuckDbLimits): Promise<TransformEngine> {
    const spillDir = await mkdtemp(join(limits.scratchDir ?? tmpdir(), 'carelake-transform-'));
    try {
      const duck = await openDuckDb({ ...limits, tempDirectory: spillDir });
      return new TransformEngine(duck, spillDir);
    } catch (error) {
      await rm(spillDir, { recursive: true, force: true });
      throw error;
    }
  }

  async close(): Promise<void> {
    closeDuckDb(this.duck);
    await rm(this.spillDir, { recursive: true, force: true });
  }

  /**
   * Parse a SQL text with DuckDB's parser, without binding it, and list the tables and table
   * functions it reads. Common table expressions are not listed as tables.
   */
  async parse(sql: string): Promise<ParsedSql> {
    const reader = await this.duck.connection.runAndReadAll(
      'SELECT json_serialize_sql(CAST($1 AS VARCHAR))',
      [sql],
    );
    const tree = JSON.parse(String(reader.getRowsJS()[0]?.[0])) as SerializedSql;
    if (tree.error)
      return {
        error: tree.error_message ?? 'the parser gave no message',
        statements: 0,
        tables: [],
        tableFunctions: [],
      };

    const tables = new Set<string>();
    const tableFunctions = new Set<string>();
    const commonTables = new Set<string>();
    visitNodes(tree.statements, (node) => {
      if (node['type'] === 'BASE_TABLE') {
        tables.add(
          [node['catalog_name'], node['schema_name'], node['table_name']]
            .filter((part) => typeof part === 'string' && part !== '')
            .join('.'),
        );
      } else if (node['type'] === 'TABLE_FUNCTION') {
        const called = (node['function'] as Record<string, unknown> | undefined)?.['function_name'];
        tableFunctions.add(typeof called === 'string' ? called : 'a table function');
      }
      const commonTableMap =
        (node['cte_map'] as { map?: Array<{ key?: unknown }> } | undefined)?.map ?? [];
      for (const entry of commonTableMap)
        if (typeof entry.key === 'string') commonTables.add(entry.key);
    });
    return {
      statements: tree.statements?.length ?? 0,
      tables: [...tables].filter((table) => !commonTables.has(table)).sort(),
      tableFunctions: [...tableFunctions].sort(),
    };
  }

  /** Define `table` as a view over `sourceSql`. */
  async defineTable(table: string, sourceSql: string): Promise<void> {
    const { database, table: name } = parseTableName(table);
    if (!this.schemas.has(database)) {
      await this.duck.connection.run(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(database)}`);
      this.schemas.add(database);
    }
    await this.duck.connection.run(
      `CREATE VIEW ${quoteIdentifier(database)}.${quoteIdentifier(name)} AS ${sourceSql}`,
    );
  }

  /** Define `table` as an empty view with the columns and types of its dataset. */
  async defineEmptyTable(dataset: DatasetDefinition): Promise<void> {
    await this.defineTable(dataset.table, emptyTableSql(dataset));
  }

  /**
   * Allow reads of exactly `paths`, then switch off every other file and network access and
   * freeze the configuration, so that a transform reads nothing but its source tables.
   */
  async lockDown(paths: readonly string[]): Promise<void> {
    const connection = this.duck.connection;
    if (paths.length > 0)
      await connection.run(`SET allowed_paths = [${paths.map(quoteLiteral).join(', ')}]`);
    await connection.run('SET enable_external_access = false');
    await connection.run('SET lock_configuration = true');
  }

  /** Prepare a statement without running it and return its result columns. */
  async describe(sql: string): Promise<TransformColumn[]> {
    const prepared = await this.duck.connection.prepare(sql);
    try {
      const columns: TransformColumn[] = [];
      for (let index = 0; index < prepared.columnCount; index++) {
        columns.push({
          name: prepared.columnName(index),
          type: prepared.columnType(index).toString(),
        });
      }
      return columns;
    } finally {
      prepared.destroySync();
    }
  }

  /** Run a statement and return its rows with JavaScript values. */
  async run(sql: string): Promise<Row[]> {
    const reader = await this.duck.connection.runAndReadAll(sql);
    return reader.getRowObjectsJS().map((row) => {
      const converted: Row = {};
      for (const [name, value] of Object.entries(row)) converted[name] = toRowValue(value, name);
      return converted;
    });
  }
}

/**
 * Return the message of an error DuckDB raised, such as `Binder Error: ...`. The check is on the shape,
 * not `instanceof Error`, because the native binding's errors may come from another realm.
 */
export function duckDbMessageOf(error: unknown): string {
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}

/** A SELECT with a dataset's columns and DuckDB types that returns no row. */
export function emptyTableSql(dataset: DatasetDefinition): string {
  const columns = Object.entries(dataset.columns).map(
    ([name, column]) => `CAST(NULL AS ${duckDbType(column.type)}) AS ${quoteIdentifier(name)}`,
  );
  return `SELECT ${columns.join(', ')} WHERE false`;
}

/** Call `visit` on every object in a parsed JSON tree. */
function visitNodes(tree: unknown, visit: (node: Record<string, unknown>) => void): void {
  if (Array.isArray(tree)) {
    for (const item of tree) visitNodes(item, visit);
  } else if (tree !== null && typeof tree === 'object') {
    visit(tree as Record<string, unknown>);
    for (const value of Object.values(tree)) visitNodes(value, visit);
  }
}

function toRowValue(value: unknown, column: string): RowValue {
  if (value === null || value instanceof Date) return value;
  if (
    typeof value === 'string' ||
    typeof value === 'number' ||
    typeof value === 'bigint' ||
    typeof value === 'boolean'
  ) {
    return value;
  }
  // Unreachable after checkSqlTransforms, which accepts only the scalar types of the datasets.
  throw new SqlTransformError(`column ${column} of a transform result is not a scalar value`);
}
