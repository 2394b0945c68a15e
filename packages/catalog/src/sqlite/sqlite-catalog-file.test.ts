// Real SQLite files in a temp folder, opened by the catalog and by a raw better-sqlite3 connection. The clock is a ManualClock.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ManualClock } from '@carelake/core';
import { CatalogClosedError, CatalogError, UnsupportedCatalogSchemaError } from '../errors';
import {
  encountersInput,
  makeTempDir,
  rejectionOf,
  removeTempDir,
} from '../__fixtures__/catalog-fixtures';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations';
import { SqliteCatalog } from './sqlite-catalog';

describe('SqliteCatalog file', () => {
  let dir: string;
  let path: string;

  beforeEach(async () => {
    dir = await makeTempDir();
    path = join(dir, 'state', 'catalog.sqlite');
  });

  afterEach(async () => {
    await removeTempDir(dir);
  });

  function readPragma(name: string): unknown {
    const raw = new Database(path, { readonly: true });
    try {
      return raw.pragma(name, { simple: true });
    } finally {
      raw.close();
    }
  }

  it('reads back after reopen', async () => {
    const clock = new ManualClock('2026-02-01T00:00:00.000Z');
    const first = await SqliteCatalog.open({ path, clock });
    let written;
    try {
      await first.ensureDatabase('clinical', 'Conformed model');
      await first.upsertTable(encountersInput());
      await first.addPartitions('clinical', 'encounters', [
        { values: ['2026-01'], location: 'p/2026-01/' },
      ]);
      written = await first.getTable('clinical', 'encounters');
    } finally {
      await first.close();
    }

    const second = await SqliteCatalog.open({ path, clock });
    try {
      expect(written).toBeDefined();
      expect(await second.getTable('clinical', 'encounters')).toEqual(written);
      expect(await second.listDatabases()).toEqual([
        {
          name: 'clinical',
          description: 'Conformed model',
          createdAt: new Date('2026-02-01T00:00:00.000Z'),
        },
      ]);
      expect(await second.listPartitions('clinical', 'encounters')).toEqual([
        { values: ['2026-01'], location: 'p/2026-01/', parameters: {} },
      ]);
      // The stored definition survives the round trip exactly, so re-registering is still a no-op.
      expect(await second.upsertTable(encountersInput())).toEqual({
        created: false,
        changed: false,
        version: 1,
      });
    } finally {
      await second.close();
    }
  });

  it('sets WAL and schema version', async () => {
    const catalog = await SqliteCatalog.open({ path });
    await catalog.close();
    expect(readPragma('journal_mode')).toBe('wal');
    expect(readPragma('user_version')).toBe(LATEST_SCHEMA_VERSION);
    expect(LATEST_SCHEMA_VERSION).toBe(MIGRATIONS.length);
  });

  it('numbers migrations in order', () => {
    expect(MIGRATIONS.map((migration) => migration.version)).toEqual(
      MIGRATIONS.map((_, index) => index + 1),
    );
  });

  it('rejects newer schema', async () => {
    await (await SqliteCatalog.open({ path })).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 1}`);
    raw.close();

    const error = await rejectionOf(SqliteCatalog.open({ path }));
    expect(error).toBeInstanceOf(UnsupportedCatalogSchemaError);
    expect((error as Error).message).toBe(
      `catalog file ${path} has schema version ${LATEST_SCHEMA_VERSION + 1}, this carelake reads up to ${LATEST_SCHEMA_VERSION}`,
    );
  });

  it('rejects file that is not SQLite', async () => {
    const notSqlite = join(dir, 'notes.sqlite');
    await writeFile(notSqlite, 'plain text, not a database file '.repeat(10));
    const error = await rejectionOf(SqliteCatalog.open({ path: notSqlite }));
    expect(error).toBeInstanceOf(CatalogError);
    expect((error as Error).message).toBe(`cannot open catalog file ${notSqlite}`);
    expect((error as Error).cause).toBeDefined();
  });

  it('rejects calls after close', async () => {
    const catalog = await SqliteCatalog.open({ path });
    await catalog.close();
    await catalog.close();
    await expect(catalog.listDatabases()).rejects.toBeInstanceOf(CatalogClosedError);
    await expect(catalog.ensureDatabase('raw')).rejects.toBeInstanceOf(CatalogClosedError);
  });

  it('shares file between connections', async () => {
    const [left, right] = await Promise.all([
      SqliteCatalog.open({ path }),
      SqliteCatalog.open({ path }),
    ]);
    try {
      await left.ensureDatabase('clinical');
      await right.upsertTable(encountersInput());
      await left.addPartitions('clinical', 'encounters', [{ values: ['2026-01'], location: 'p/' }]);
      expect(await right.listPartitions('clinical', 'encounters')).toHaveLength(1);
      expect(await left.upsertTable(encountersInput())).toEqual({
        created: false,
        changed: false,
        version: 1,
      });
    } finally {
      await left.close();
      await right.close();
    }
  });
});
