import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { canonicalJson, systemClock, type Clock } from '@carelake/core';
import type {
  Catalog,
  CatalogDatabase,
  CatalogPartition,
  CatalogTable,
  PartitionInput,
  TableInput,
  UpsertTableResult,
} from '../catalog';
import {
  CatalogClosedError,
  CatalogError,
  CatalogInputError,
  DatabaseNotFoundError,
  InvalidPartitionInputError,
  InvalidTableInputError,
  TableNotFoundError,
  type CatalogIssue,
} from '../errors';
import { MAX_TABLE_DESCRIPTION_BYTES, utf8Bytes } from '../glue-limits';
import { assertCatalogName } from '../names';
import { checkPartitionValues, normalizePartitionInputs } from '../partition-input';
import { isSameDefinition, normalizeTableInput, type TableDefinition } from '../table-input';
import { migrate } from './migrations';
import { SqliteSavedQueries } from './saved-query-rows';
import type { SavedQueryStore } from '../saved-queries';
import {
  databaseFromRow,
  definitionFromRows,
  partitionFromRow,
  tableFromRows,
  type ColumnRow,
  type DatabaseRow,
  type PartitionRow,
  type TableRow,
} from './rows';

export interface SqliteCatalogOptions {
  /** The SQLite file, created with its folder when missing. */
  path: string;
  /** Source of `createdAt` and `updatedAt`, the system clock by default. */
  clock?: Clock;
}

/** How long a write waits for another process's lock on the file before failing with SQLITE_BUSY. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The local catalog: one SQLite file, shared safely by the processes of one
 * lake (WAL journal, every write in an immediate transaction).
 */
export class SqliteCatalog implements Catalog {
  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly clock: Clock,
  ) {}

  /** Open or create the catalog file and bring its schema up to date. */
  static async open(options: SqliteCatalogOptions): Promise<SqliteCatalog> {
    const { path } = options;
    if (path !== ':memory:') await mkdir(dirname(path), { recursive: true });

    let db: Database.Database;
    try {
      db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
    } catch (error) {
      throw new CatalogError(`cannot open catalog file ${path}`, {
        cause: error,
        hint: 'Check that the path is a file this user may read and write.',
      });
    }

    let opened = false;
    try {
      db.pragma('journal_mode = WAL');
      db.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
      db.pragma('foreign_keys = ON');
      migrate(db, path);
      opened = true;
      return new SqliteCatalog(db, path, options.clock ?? systemClock);
    } catch (error) {
      if (error instanceof CatalogError) throw error;
      throw new CatalogError(`cannot open catalog file ${path}`, {
        cause: error,
        hint: 'Check that the file is a carelake catalog (a SQLite database) and not in use by a failed process.',
      });
    } finally {
      if (!opened) db.close();
    }
  }

  /** The saved queries kept in this catalog file. */
  savedQueries(): SavedQueryStore {
    return new SqliteSavedQueries(() => this.connection(), this.clock);
  }

  async ensureDatabase(name: string, description?: string): Promise<void> {
    assertCatalogName('database', name);
    if (description !== undefined && utf8Bytes(description) > MAX_TABLE_DESCRIPTION_BYTES) {
      const message = `description of database ${name} is ${utf8Bytes(description)} bytes, Glue allows at most ${MAX_TABLE_DESCRIPTION_BYTES}`;
      throw new CatalogInputError(message, [{ keyPath: 'description', message }]);
    }
    const db = this.connection();
    db.transaction(() => {
      const existing = db.prepare('SELECT * FROM databases WHERE name = ?').get(name) as
        DatabaseRow | undefined;
      if (!existing) {
        db.prepare('INSERT INTO databases (name, description, created_at) VALUES (?, ?, ?)').run(
          name,
          description ?? null,
          this.clock.now().toISOString(),
        );
      } else if (description !== undefined && description !== existing.description) {
        db.prepare('UPDATE databases SET description = ? WHERE name = ?').run(description, name);
      }
    }).immediate();
  }

  async listDatabases(): Promise<CatalogDatabase[]> {
    const rows = this.connection()
      .prepare('SELECT * FROM databases ORDER BY name')
      .all() as DatabaseRow[];
    return rows.map(databaseFromRow);
  }

  async getTable(database: string, name: string): Promise<CatalogTable | undefined> {
    assertCatalogName('database', database);
    assertCatalogName('table', name);
    const db = this.connection();
    return db.transaction(() => {
      const row = this.findTableRow(database, name);
      return row ? tableFromRows(row, this.columnRows(row.id)) : undefined;
    })();
  }

  async listTables(database?: string): Promise<CatalogTable[]> {
    if (database !== undefined) assertCatalogName('database', database);
    const db = this.connection();
    return db.transaction(() => {
      let rows: TableRow[];
      if (database === undefined) {
        rows = db.prepare('SELECT * FROM tables ORDER BY database_name, name').all() as TableRow[];
      } else {
        this.requireDatabase(database);
        rows = db
          .prepare('SELECT * FROM tables WHERE database_name = ? ORDER BY name')
          .all(database) as TableRow[];
      }
      const columnsByTable = this.columnRowsByTable();
      return rows.map((row) => tableFromRows(row, columnsByTable.get(row.id) ?? []));
    })();
  }

  async upsertTable(input: TableInput): Promise<UpsertTableResult> {
    const definition = normalizeTableInput(input);
    const db = this.connection();
    return db
      .transaction((): UpsertTableResult => {
        this.requireDatabase(definition.database);
        const now = this.clock.now().toISOString();
        const row = this.findTableRow(definition.database, definition.name);

        if (!row) {
          const tableId = this.insertTable(definition, now);
          this.insertColumns(tableId, definition);
          return { created: true, changed: true, version: 1 };
        }

        const stored = definitionFromRows(row, this.columnRows(row.id));
        if (isSameDefinition(stored, definition))
          return { created: false, changed: false, version: row.version };

        this.checkPartitionKeysKept(row.id, stored, definition);
        const version = row.version + 1;
        db.prepare(
          `UPDATE tables SET description = ?, table_type = ?, location = ?, input_format = ?, output_format = ?,
           serde = ?, parameters = ?, updated_at = ?, version = ? WHERE id = ?`,
        ).run(...definitionValues(definition), now, version, row.id);
        db.prepare('DELETE FROM columns WHERE table_id = ?').run(row.id);
        this.insertColumns(row.id, definition);
        return { created: false, changed: true, version };
      })
      .immediate();
  }

  async deleteTable(database: string, name: string): Promise<{ deleted: boolean }> {
    assertCatalogName('database', database);
    assertCatalogName('table', name);
    const db = this.connection();
    // Columns and partitions go with the table through ON DELETE CASCADE.
    const result = db
      .transaction(() =>
        db.prepare('DELETE FROM tables WHERE database_name = ? AND name = ?').run(database, name),
      )
      .immediate();
    return { deleted: result.changes > 0 };
  }

  async addPartitions(
    database: string,
    table: string,
    partitions: PartitionInput[],
  ): Promise<{ added: number }> {
    assertCatalogName('database', database);
    assertCatalogName('table', table);
    const db = this.connection();
    return db
      .transaction(() => {
        const row = this.requireTable(database, table);
        const partitionKeys = definitionFromRows(row, this.columnRows(row.id)).partitionKeys;
        const normalized = normalizePartitionInputs(
          `${database}.${table}`,
          partitionKeys,
          partitions,
        );
        const insert = db.prepare(
          `INSERT INTO partitions (table_id, partition_values, location, parameters, created_at)
         VALUES (?, ?, ?, ?, ?) ON CONFLICT (table_id, partition_values) DO NOTHING`,
        );
        const now = this.clock.now().toISOString();
        let added = 0;
        for (const partition of normalized) {
          const result = insert.run(
            row.id,
            JSON.stringify(partition.values),
            partition.location,
            canonicalJson(partition.parameters),
            now,
          );
          added += result.changes;
        }
        return { added };
      })
      .immediate();
  }

  async listPartitions(database: string, table: string): Promise<CatalogPartition[]> {
    assertCatalogName('database', database);
    assertCatalogName('table', table);
    const db = this.connection();
    return db.transaction(() => {
      const row = this.requireTable(database, table);
      const rows = db
        .prepare('SELECT partition_values, location, parameters FROM partitions WHERE table_id = ?')
        .all(row.id) as PartitionRow[];
      return rows
        .map(partitionFromRow)
        .sort((left, right) => compareValues(left.values, right.values));
    })();
  }

  async deletePartitions(
    database: string,
    table: string,
    partitionValues: string[][],
  ): Promise<{ deleted: number }> {
    assertCatalogName('database', database);
    assertCatalogName('table', table);
    const db = this.connection();
    return db
      .transaction(() => {
        const row = this.requireTable(database, table);
        const partitionKeys = definitionFromRows(row, this.columnRows(row.id)).partitionKeys;
        const issues: CatalogIssue[] = [];
        partitionValues.forEach((values, index) =>
          checkPartitionValues(values, partitionKeys, `partitionValues[${index}]`, issues),
        );
        if (issues.length > 0) {
          throw new InvalidPartitionInputError(
            `invalid partitions for ${database}.${table}: ${issues.length} problem(s)`,
            issues,
          );
        }
        const remove = db.prepare(
          'DELETE FROM partitions WHERE table_id = ? AND partition_values = ?',
        );
        let deleted = 0;
        for (const values of partitionValues)
          deleted += remove.run(row.id, JSON.stringify(values)).changes;
        return { deleted };
      })
      .immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private connection(): Database.Database {
    if (!this.db.open) throw new CatalogClosedError(`the catalog ${this.path} is closed`);
    return this.db;
  }

  private requireDatabase(name: string): void {
    const found = this.db.prepare('SELECT 1 FROM databases WHERE name = ?').get(name);
    if (!found) throw new DatabaseNotFoundError(name);
  }

  private findTableRow(database: string, name: string): TableRow | undefined {
    return this.db
      .prepare('SELECT * FROM tables WHERE database_name = ? AND name = ?')
      .get(database, name) as TableRow | undefined;
  }

  private requireTable(database: string, name: string): TableRow {
    const row = this.findTableRow(database, name);
    if (!row) throw new TableNotFoundError(database, name);
    return row;
  }

  private columnRows(tableId: number): ColumnRow[] {
    return this.db
      .prepare('SELECT * FROM columns WHERE table_id = ? ORDER BY kind, position')
      .all(tableId) as ColumnRow[];
  }

  private columnRowsByTable(): Map<number, ColumnRow[]> {
    const rows = this.db
      .prepare('SELECT * FROM columns ORDER BY table_id, kind, position')
      .all() as ColumnRow[];
    const byTable = new Map<number, ColumnRow[]>();
    for (const row of rows) {
      const list = byTable.get(row.table_id);
      if (list) list.push(row);
      else byTable.set(row.table_id, [row]);
    }
    return byTable;
  }

  private insertTable(definition: TableDefinition, now: string): number {
    const result = this.db
      .prepare(
        `INSERT INTO tables (description, table_type, location, input_format, output_format, serde, parameters,
           database_name, name, created_at, updated_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)`,
      )
      .run(...definitionValues(definition), definition.database, definition.name, now, now);
    return Number(result.lastInsertRowid);
  }

  private insertColumns(tableId: number, definition: TableDefinition): void {
    const insert = this.db.prepare(
      'INSERT INTO columns (table_id, kind, position, name, type, comment, parameters) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    const lists = [
      ['column', definition.columns],
      ['partition_key', definition.partitionKeys],
    ] as const;
    for (const [kind, columns] of lists) {
      columns.forEach((column, position) => {
        insert.run(
          tableId,
          kind,
          position,
          column.name,
          column.type,
          column.comment ?? null,
          canonicalJson(column.parameters),
        );
      });
    }
  }

  /**
   * Partition values are stored by position, one per partition key, so renaming,
   * adding or removing a key would silently reassign the values of partitions
   * already registered.
   */
  private checkPartitionKeysKept(
    tableId: number,
    stored: TableDefinition,
    next: TableDefinition,
  ): void {
    const storedKeys = stored.partitionKeys.map((key) => key.name).join(', ');
    const nextKeys = next.partitionKeys.map((key) => key.name).join(', ');
    if (storedKeys === nextKeys) return;
    const { count } = this.db
      .prepare('SELECT count(*) AS count FROM partitions WHERE table_id = ?')
      .get(tableId) as {
      count: number;
    };
    if (count === 0) return;
    const message = `cannot change the partition keys of ${next.database}.${next.name} from (${storedKeys}) to (${nextKeys}) while it has ${count} partition(s)`;
    throw new InvalidTableInputError(message, [{ keyPath: 'partitionKeys', message }], {
      hint: 'Delete its partitions first, then register them again under the new keys.',
    });
  }
}

/** List the definition's fields in the order of the UPDATE and INSERT statements above. */
function definitionValues(
  definition: TableDefinition,
): [string | null, string, string, string, string, string, string] {
  return [
    definition.description ?? null,
    definition.tableType,
    definition.location,
    definition.storage.inputFormat,
    definition.storage.outputFormat,
    definition.storage.serde,
    canonicalJson(definition.parameters),
  ];
}

function compareValues(left: readonly string[], right: readonly string[]): number {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const a = left[index] ?? '';
    const b = right[index] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  return left.length - right.length;
}
