// Real SQLite file in a temp folder, with a ManualClock in place of the system clock.
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { SqliteCatalog } from './sqlite-catalog';

const START = '2026-03-01T08:00:00.000Z';
const ONE_HOUR_MS = 3_600_000;

// The behaviour shared with the Glue catalog is in the catalog contract suite.
describe('SqliteCatalog databases', () => {
  let dir: string;
  let clock: ManualClock;
  let catalog: SqliteCatalog;

  beforeEach(async () => {
    dir = await makeTempDir();
    clock = new ManualClock(START);
    catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite'), clock });
    await catalog.ensureDatabase('clinical', 'The conformed clinical model');
  });

  afterEach(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  it('keeps and updates database description', async () => {
    clock.advance(ONE_HOUR_MS);
    await catalog.ensureDatabase('clinical');
    expect(await catalog.listDatabases()).toEqual([
      { name: 'clinical', description: 'The conformed clinical model', createdAt: new Date(START) },
    ]);
    await catalog.ensureDatabase('clinical', 'Conformed model');
    await catalog.ensureDatabase('raw');
    expect(await catalog.listDatabases()).toEqual([
      { name: 'clinical', description: 'Conformed model', createdAt: new Date(START) },
      { name: 'raw', createdAt: new Date(Date.parse(START) + ONE_HOUR_MS) },
    ]);
  });
});
