import type { Database } from 'better-sqlite3';
import { UnsupportedCatalogSchemaError } from '../errors';

/** One step of the catalog file's schema; the file records the last one applied in `PRAGMA user_version`. */
export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Every schema change, oldest first, each version one more than the one before.
 * To change the schema, add a step. Never edit a step that has shipped, because
 * catalog files already migrated past it will not run it again.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'databases, tables, columns and partitions',
    sql: `
      CREATE TABLE databases (
        name TEXT PRIMARY KEY,
        description TEXT,
        created_at TEXT NOT NULL
      ) STRICT;

      CREATE TABLE tables (
        id INTEGER PRIMARY KEY,
        database_name TEXT NOT NULL REFERENCES databases (name),
        name TEXT NOT NULL,
        description TEXT,
        table_type TEXT NOT NULL,
        location TEXT NOT NULL,
        input_format TEXT NOT NULL,
        output_format TEXT NOT NULL,
        serde TEXT NOT NULL,
        parameters TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        version INTEGER NOT NULL,
        UNIQUE (database_name, name)
      ) STRICT;

      -- Data columns and partition keys, each list in its declared order.
      CREATE TABLE columns (
        table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('column', 'partition_key')),
        position INTEGER NOT NULL,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        comment TEXT,
        parameters TEXT NOT NULL,
        PRIMARY KEY (table_id, kind, position),
        UNIQUE (table_id, name)
      ) STRICT;

      -- partition_values is a JSON array of strings, one per partition key.
      CREATE TABLE partitions (
        table_id INTEGER NOT NULL REFERENCES tables (id) ON DELETE CASCADE,
        partition_values TEXT NOT NULL,
        location TEXT NOT NULL,
        parameters TEXT NOT NULL,
        created_at TEXT NOT NULL,
        PRIMARY KEY (table_id, partition_values)
      ) STRICT;
    `,
  },
  {
    version: 2,
    description: 'saved queries',
    sql: `
      CREATE TABLE saved_queries (
        name TEXT PRIMARY KEY,
        sql TEXT NOT NULL,
        description TEXT,
        saved_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)?.version ?? 0;

/**
 * Bring the file's schema up to `LATEST_SCHEMA_VERSION`. All pending steps run
 * in one immediate transaction, so two processes opening a new file at once do
 * not both create the tables: the second waits for the lock, then finds the
 * schema current.
 */
export function migrate(db: Database, path: string): void {
  const apply = db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > LATEST_SCHEMA_VERSION) {
      throw new UnsupportedCatalogSchemaError(
        `catalog file ${path} has schema version ${current}, this carelake reads up to ${LATEST_SCHEMA_VERSION}`,
        { hint: 'Upgrade carelake to open this catalog.' },
      );
    }
    for (const migration of MIGRATIONS) {
      if (migration.version <= current) continue;
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    }
  });
  apply.immediate();
}
