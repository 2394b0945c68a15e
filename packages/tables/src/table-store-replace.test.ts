// Real: local object store on a temp folder, DuckDB, Parquet files. Faked: the clock, a ManualClock
// so commit times are fixed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { visitRow, visitsDataset } from './__fixtures__/visits';
import { closeDuckDb, openDuckDb } from './duckdb';
import { TableStore } from './table-store';
import { snapshotSourceSql } from './table-source';

describe('TableStore.replace', () => {
  let root: string;
  let tables: TableStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-tables-replace-test-'));
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

  async function visitKeys(): Promise<string[]> {
    const snapshot = await tables.snapshot(visitsDataset.table);
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(`SELECT visit_key FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY visit_key`);
        return reader.getRowsJS().map((row) => String(row[0]));
      });
    } finally {
      closeDuckDb(duck);
    }
  }

  it('replaces every row', async () => {
    await tables.replace(visitsDataset, [visitRow('v1', 'NORTH', 1), visitRow('v2', 'SOUTH', 1)], { principal: 'runner', inputs: ['rows:a'] });
    const result = await tables.replace(visitsDataset, [visitRow('v3', 'NORTH', 1)], { principal: 'runner', inputs: ['rows:b'] });

    expect(await visitKeys()).toEqual(['v3']);
    expect(result.snapshot).toMatchObject({ version: 1, operation: 'replace', inputs: ['rows:b'] });
    expect(result.snapshot?.summary).toEqual({ rowsAdded: 1, rowsSkippedAsDuplicate: 0, filesAdded: 1, filesRemoved: 2 });
  });

  it('commits nothing for the same inputs', async () => {
    await tables.replace(visitsDataset, [visitRow('v1', 'NORTH', 1)], { principal: 'runner', inputs: ['source:b', 'rows:a'] });
    const again = await tables.replace(visitsDataset, [visitRow('v9', 'NORTH', 1)], { principal: 'runner', inputs: ['rows:a', 'source:b'] });

    expect(again).toEqual({ table: visitsDataset.table, snapshot: undefined, rowsAdded: 0, rowsSkippedAsDuplicate: 0 });
    expect((await tables.snapshot(visitsDataset.table))?.version).toBe(0);
    expect(await visitKeys()).toEqual(['v1']);
  });

  it('empties the table for no rows', async () => {
    await tables.replace(visitsDataset, [visitRow('v1', 'NORTH', 1)], { principal: 'runner', inputs: ['rows:a'] });
    const result = await tables.replace(visitsDataset, [], { principal: 'runner', inputs: ['rows:none'] });

    expect(result.snapshot?.files).toEqual([]);
    expect(await visitKeys()).toEqual([]);
  });

  it('rejects a row with an undeclared column', async () => {
    const row = { ...visitRow('v1', 'NORTH', 1), surname: 'x' };

    await expect(tables.replace(visitsDataset, [row], { principal: 'runner', inputs: ['rows:a'] })).rejects.toThrow('row 0 has column surname');
    expect(await tables.snapshot(visitsDataset.table)).toBeUndefined();
  });
});
