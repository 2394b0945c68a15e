// Real: local object store on a temp folder, DuckDB, Parquet files. Faked: nothing, and the clock is fixed.
import { visitRow, visitsDataset } from './__fixtures__/visits';
import { openTempTables, type TempTables } from './__fixtures__/temp-tables';
import type { TableStore } from './table-store';

const context = { principal: 'runner', inputs: [] };

describe('refreshCurrent rowsPerVersion', () => {
  let temp: TempTables;
  let tables: TableStore;

  beforeEach(async () => {
    temp = await openTempTables('carelake-rows-per-version-test-');
    tables = temp.tables;
  });

  afterEach(async () => {
    await temp.close();
  });

  async function currentHashes(): Promise<unknown[]> {
    const rows = await temp.readRows('clinical.visits_current', 'record_hash', 'record_hash');
    return rows.map((row) => row['record_hash']);
  }

  it.each([
    { case: 'one keeps a single row of the newest version', rowsPerVersion: 'one' as const, expected: 1 },
    { case: 'many keeps every row of the newest version', rowsPerVersion: 'many' as const, expected: 2 },
  ])('$case', async ({ rowsPerVersion, expected }) => {
    const dataset = { ...visitsDataset, rowsPerVersion };
    await tables.append(
      dataset,
      [
        visitRow('a', 'north', 1),
        visitRow('a', 'north', 2, { record_hash: 'a-v2-first' }),
        visitRow('a', 'south', 2, { record_hash: 'a-v2-second' }),
      ],
      context,
    );
    await tables.refreshCurrent(dataset, context);

    const hashes = await currentHashes();
    expect(hashes).toHaveLength(expected);
    expect(hashes.every((hash) => String(hash).startsWith('a-v2-'))).toBe(true);
  });
});
