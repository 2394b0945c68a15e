// The catalog contract against SqliteCatalog on a real SQLite file in a temp folder; only the clock is a ManualClock.
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { SqliteCatalog } from '../sqlite/sqlite-catalog';
import { CONTRACT_DATABASES, describeCatalogContract } from './catalog-contract';

describeCatalogContract('SqliteCatalog', async ({ clock }) => {
  const dir = await makeTempDir();
  const catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite'), clock });
  for (const database of CONTRACT_DATABASES) await catalog.ensureDatabase(database);
  return { catalog, cleanup: () => removeTempDir(dir) };
});
