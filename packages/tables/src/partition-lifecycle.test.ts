// Real: local object stores for a hot and a warm tier in temp folders, DuckDB, Parquet files, a child process killed by SIGKILL.
// Faked: the clock is a ManualClock, so creation and commit times are fixed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { visitRow, visitsDataset } from './__fixtures__/visits';
import { closeDuckDb, openDuckDb } from './duckdb';
import { TableStore } from './table-store';
import { snapshotSourceSql } from './table-source';

const context = { principal: 'lifecycle', inputs: [] };
const TABLE = 'clinical.visits';

describe('TableStore partition lifecycle', () => {
  let root: string;
  let warmRoot: string;
  let clock: ManualClock;
  let tables: TableStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-tier-hot-'));
    warmRoot = await mkdtemp(join(tmpdir(), 'carelake-tier-warm-'));
    clock = new ManualClock('2026-01-01T00:00:00.000Z');
    tables = await TableStore.open({
      store: new LocalObjectStore({ root }),
      tiers: { warm: new LocalObjectStore({ root: warmRoot }) },
      clock,
      duckdb: { threads: 1, memoryLimit: '256MB' },
    });
  });

  afterEach(async () => {
    await tables.close();
    await rm(root, { recursive: true, force: true });
    await rm(warmRoot, { recursive: true, force: true });
  });

  async function visitKeys(): Promise<string[]> {
    const snapshot = await tables.snapshot(TABLE);
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

  async function parquetFiles(folder: string): Promise<string[]> {
    const names = await readdir(folder).catch(() => [] as string[]);
    return names.filter((name) => name.endsWith('.parquet'));
  }

  /** Two appends to site=north a month apart, and one to site=south. */
  async function seedTwoNorthFiles(): Promise<void> {
    await tables.append(visitsDataset, [visitRow('a', 'north', 1), visitRow('s', 'south', 1)], context);
    clock.advance(31 * 86_400_000);
    await tables.append(visitsDataset, [visitRow('b', 'north', 1)], context);
  }

  it('compacts a partition into one file in the tier', async () => {
    await seedTwoNorthFiles();
    const change = await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', zstdLevel: 19, context });

    expect(change?.removed).toHaveLength(2);
    expect(change?.added?.tier).toBe('warm');
    expect(change?.added?.rowCount).toBe(2);
    expect(change?.added?.createdAt).toBe('2026-02-01T00:00:00.000Z');
    expect(change?.snapshot.operation).toBe('replace');
    expect(change?.snapshot.droppedFiles).toHaveLength(2);
    expect(await visitKeys()).toEqual(['a', 'b', 's']);
    expect(await parquetFiles(join(root, 'curated/clinical/visits/site=north'))).toEqual([]);
    expect(await parquetFiles(join(warmRoot, 'curated/clinical/visits/site=north'))).toHaveLength(1);
    expect(await parquetFiles(join(root, 'curated/clinical/visits/site=south'))).toHaveLength(1);
  });

  it('moves nothing when the partition is already compacted in the tier', async () => {
    await seedTwoNorthFiles();
    await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', context });
    const again = await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', context });

    expect(again).toBeUndefined();
    expect((await tables.snapshot(TABLE))?.version).toBe(2);
  });

  it('leaves files the select callback rejects in place', async () => {
    await seedTwoNorthFiles();
    const first = (await tables.snapshot(TABLE))?.files.find((file) => file.partition['site'] === 'north');
    const change = await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', select: (file) => file.key === first?.key, context });

    expect(change?.removed.map((file) => file.key)).toEqual([first?.key]);
    expect(await parquetFiles(join(root, 'curated/clinical/visits/site=north'))).toHaveLength(1);
    expect(await visitKeys()).toEqual(['a', 'b', 's']);
  });

  it('drops every file of a partition', async () => {
    await seedTwoNorthFiles();
    await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', context });
    const change = await tables.dropPartition({ table: TABLE, partition: 'site=north', context });

    expect(change?.removed.map((file) => file.tier)).toEqual(['warm']);
    expect(await visitKeys()).toEqual(['s']);
    expect(await parquetFiles(join(warmRoot, 'curated/clinical/visits/site=north'))).toEqual([]);
    expect(await tables.dropPartition({ table: TABLE, partition: 'site=north', context })).toBeUndefined();
  });

  it('dedupes appends against rows in another tier', async () => {
    await seedTwoNorthFiles();
    await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', context });
    const again = await tables.append(visitsDataset, [visitRow('a', 'north', 1)], context);

    expect(again.rowsSkippedAsDuplicate).toBe(1);
    expect(again.snapshot).toBeUndefined();
  });

  it('rejects a tier that is not configured', async () => {
    await seedTwoNorthFiles();
    await expect(tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'cold', context })).rejects.toThrow(
      'storage tier "cold" is not configured (configured: hot, warm)',
    );
  });

  it.each([
    { case: 'kill before the commit', faultPoint: 'after-data-files', operation: 'move', versionAfterKill: 1, hotFilesAfterKill: 2, warmFilesAfterKill: 1 },
    { case: 'kill after a move commit', faultPoint: 'after-partition-commit', operation: 'move', versionAfterKill: 2, hotFilesAfterKill: 2, warmFilesAfterKill: 1 },
    { case: 'kill after an expiry commit', faultPoint: 'after-partition-commit', operation: 'drop', versionAfterKill: 2, hotFilesAfterKill: 2, warmFilesAfterKill: 0 },
  ])('recovers from a $case', async ({ faultPoint, operation, versionAfterKill, hotFilesAfterKill, warmFilesAfterKill }) => {
    await seedTwoNorthFiles();
    const child = spawnSync(
      process.execPath,
      [join(__dirname, '__fixtures__', 'kill-lifecycle.js'), root, warmRoot, operation, faultPoint, TABLE, 'site=north'],
      { encoding: 'utf8', timeout: 60_000 },
    );

    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('finished');
    expect((await tables.snapshot(TABLE))?.version).toBe(versionAfterKill);
    expect(await parquetFiles(join(root, 'curated/clinical/visits/site=north'))).toHaveLength(hotFilesAfterKill);
    expect(await parquetFiles(join(warmRoot, 'curated/clinical/visits/site=north'))).toHaveLength(warmFilesAfterKill);
    const readableKeys = operation === 'drop' && versionAfterKill === 2 ? ['s'] : ['a', 'b', 's'];
    expect(await visitKeys()).toEqual(readableKeys);

    // A re-run deletes what the killed process left and finishes the work.
    await tables.removeUnreferencedObjects(TABLE);
    if (operation === 'move') await tables.movePartition({ table: TABLE, partition: 'site=north', tier: 'warm', context });
    else await tables.dropPartition({ table: TABLE, partition: 'site=north', context });

    expect(await parquetFiles(join(root, 'curated/clinical/visits/site=north'))).toEqual([]);
    expect(await parquetFiles(join(warmRoot, 'curated/clinical/visits/site=north'))).toHaveLength(operation === 'move' ? 1 : 0);
    expect(await visitKeys()).toEqual(readableKeys);
  });
});
