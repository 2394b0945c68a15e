// Real SQLite catalog file in a temp folder, with a ManualClock in place of the system clock.
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { CatalogInputError } from '../errors';
import { SqliteCatalog } from './sqlite-catalog';

const COUNT_SQL = 'SELECT source_format, count(*) FROM clinical.patients GROUP BY 1';

describe('SqliteCatalog saved queries', () => {
  let dir: string;
  let clock: ManualClock;
  let catalog: SqliteCatalog;

  beforeEach(async () => {
    dir = await makeTempDir();
    clock = new ManualClock('2026-03-01T08:00:00.000Z');
    catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite'), clock });
  });

  afterEach(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  it('saves, replaces and reads back', async () => {
    const store = catalog.savedQueries();

    const first = await store.saveQuery({ name: 'patients-by-source', sql: COUNT_SQL, savedBy: 'analyst' });
    const again = await store.saveQuery({ name: 'patients-by-source', sql: COUNT_SQL, savedBy: 'other' });
    clock.advance(60_000);
    const edited = await store.saveQuery({ name: 'patients-by-source', sql: `${COUNT_SQL} ORDER BY 2`, description: 'Counts', savedBy: 'steward' });

    expect([first, again, edited]).toEqual([
      { created: true, changed: true },
      { created: false, changed: false },
      { created: false, changed: true },
    ]);
    expect(await store.getSavedQuery('patients-by-source')).toEqual({
      name: 'patients-by-source',
      sql: `${COUNT_SQL} ORDER BY 2`,
      description: 'Counts',
      savedBy: 'steward',
      createdAt: new Date('2026-03-01T08:00:00.000Z'),
      updatedAt: new Date('2026-03-01T08:01:00.000Z'),
    });
  });

  it('lists by name and deletes', async () => {
    const store = catalog.savedQueries();
    await store.saveQuery({ name: 'zeta', sql: 'SELECT 1', savedBy: 'analyst' });
    await store.saveQuery({ name: 'alpha', sql: 'SELECT 2', savedBy: 'analyst' });

    const names = (await store.listSavedQueries()).map((query) => query.name);
    const deleted = await store.deleteSavedQuery('zeta');
    const missing = await store.deleteSavedQuery('zeta');

    expect(names).toEqual(['alpha', 'zeta']);
    expect(deleted).toEqual({ deleted: true });
    expect(missing).toEqual({ deleted: false });
  });

  it.each([
    { case: 'an upper-case name', name: 'Counts', sql: 'SELECT 1', keyPaths: ['name'] },
    { case: 'an empty statement', name: 'counts', sql: '  ', keyPaths: ['sql'] },
    { case: 'text over the Athena limit', name: 'counts', sql: `SELECT '${'x'.repeat(262_144)}'`, keyPaths: ['sql'] },
  ])('rejects $case', async ({ name, sql, keyPaths }) => {
    const error = await catalog
      .savedQueries()
      .saveQuery({ name, sql, savedBy: 'analyst' })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(CatalogInputError);
    expect((error as CatalogInputError).issues.map((issue) => issue.keyPath)).toEqual(keyPaths);
  });
});
