// Real: local object store on a temp folder, DuckDB, Parquet files. Faked: nothing, and the clock is fixed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { visitRow, visitsDataset } from './__fixtures__/visits';
import { closeDuckDb, openDuckDb } from './duckdb';
import { snapshotSourceSql } from './table-source';
import { TableStore } from './table-store';

const context = { principal: 'runner', inputs: [] };

describe('refreshCurrent rowsPerVersion', () => {
  let root: string;
  let tables: TableStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-rows-per-version-test-'));
    tables = await TableStore.open({
      store: new LocalObjectStore({ root }),
      clock: new ManualClock('2026-02-03T04:05:06.000Z'),
      duckdb: { threads: 1, memoryLimit: '256MB' },
    });
  });

  afterEach(async () => {
    await tables.close();
    await rm(root, { recursive: true, force: true });
  });

  async function currentHashes(): Promise<unknown[]> {
    const snapshot = await tables.snapshot('clinical.visits_current');
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(
          `SELECT record_hash FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY record_hash`,
        );
        return reader.getRowObjectsJS().map((row) => row['record_hash']);
      });
    } finally {
      closeDuckDb(duck);
    }
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
