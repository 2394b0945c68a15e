// Real: local object store on a temp folder, DuckDB, Parquet files, a child process killed by SIGKILL.
// Faked: nothing; the clock is a ManualClock so commit times are fixed.
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { visitRow, visitsDataset } from './__fixtures__/visits';
import { TableStore } from './table-store';
import { snapshotSourceSql } from './table-source';
import { HIVE_NULL_PARTITION } from './partition-path';
import { closeDuckDb, openDuckDb } from './duckdb';

const context = { principal: 'runner', inputs: ['sha-a'] };

describe('TableStore', () => {
  let root: string;
  let tables: TableStore;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-tables-test-'));
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

  async function readRows(table: string, orderBy = 'record_hash'): Promise<Record<string, unknown>[]> {
    const snapshot = await tables.snapshot(table);
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(
          `SELECT * FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY ${orderBy}`,
        );
        return reader.getRowObjectsJS();
      });
    } finally {
      closeDuckDb(duck);
    }
  }

  it('commits version 0 with one file per partition', async () => {
    const rows = [visitRow('a', 'north', 1), visitRow('b', 'south', 1), visitRow('c', null, 1)];
    const result = await tables.append(visitsDataset, rows, context);

    expect(result.rowsAdded).toBe(3);
    expect(result.snapshot?.version).toBe(0);
    expect(result.snapshot?.committedAt).toBe('2026-02-03T04:05:06.000Z');
    const keys = result.snapshot?.files.map((file) => file.key).sort() ?? [];
    expect(keys).toHaveLength(3);
    expect(keys[0]).toMatch(new RegExp(`^curated/clinical/visits/site=${HIVE_NULL_PARTITION}/part-[0-9a-f]{16}-\\d{4}\\.parquet$`));
    expect(keys[1]).toMatch(/^curated\/clinical\/visits\/site=north\//);
  });

  it('adds the commit file label to data file names', async () => {
    const result = await tables.append(visitsDataset, [visitRow('a', 'north', 1)], { ...context, fileLabel: 'shardId-000000000001_17.0-42.3' });

    expect(result.snapshot?.files.map((file) => file.key)).toEqual([
      `curated/clinical/visits/site=north/part-${result.snapshot?.commitId}-shardId-000000000001_17.0-42.3-0000.parquet`,
    ]);
  });

  it('rejects a file label with a path separator', async () => {
    await expect(tables.append(visitsDataset, [visitRow('a', 'north', 1)], { ...context, fileLabel: '../x' })).rejects.toThrow('data file label');
  });

  it('reads back typed values and partition columns', async () => {
    await tables.append(visitsDataset, [visitRow('a', 'north', 2)], context);
    const [row] = await readRows('clinical.visits');

    expect(row?.['site']).toBe('north');
    expect(row?.['score']).toBe(3);
    expect((row?.['visit_date'] as Date).toISOString()).toBe('2024-01-02T00:00:00.000Z');
    expect((row?.['event_time'] as Date).toISOString()).toBe('2024-01-01T02:00:00.000Z');
    expect(row?.['source_position']).toBe(2n);
  });

  it('skips rows whose dedupe value is stored', async () => {
    await tables.append(visitsDataset, [visitRow('a', 'north', 1)], context);
    const again = await tables.append(visitsDataset, [visitRow('a', 'north', 1), visitRow('a', 'north', 1)], context);

    expect(again.snapshot).toBeUndefined();
    expect(again.rowsAdded).toBe(0);
    expect(again.rowsSkippedAsDuplicate).toBe(2);
    expect((await tables.snapshot('clinical.visits'))?.version).toBe(0);
    expect(await readRows('clinical.visits')).toHaveLength(1);
  });

  it('dedupes against a commit made by another instance', async () => {
    const other = await TableStore.open({ store: new LocalObjectStore({ root }), duckdb: { threads: 1 } });
    try {
      await tables.append(visitsDataset, [visitRow('a', 'north', 1)], context);
      await other.append(visitsDataset, [visitRow('b', 'north', 1)], context);
      const result = await tables.append(visitsDataset, [visitRow('b', 'north', 1), visitRow('c', 'north', 1)], context);
      expect(result.rowsAdded).toBe(1);
      expect(result.snapshot?.version).toBe(2);
    } finally {
      await other.close();
    }
  });

  it('rejects a value of the wrong type, naming the column', async () => {
    const bad = visitRow('a', 'north', 1, { score: 'high' });
    await expect(tables.append(visitsDataset, [bad], context)).rejects.toThrow(
      'column score is declared double but row 0 contains a string',
    );
    expect(await tables.snapshot('clinical.visits')).toBeUndefined();
  });

  it('rejects an undeclared column', async () => {
    const bad = { ...visitRow('a', 'north', 1), extra: 'x' };
    await expect(tables.append(visitsDataset, [bad], context)).rejects.toThrow('does not declare');
  });

  it('serializes racing commits into consecutive versions', async () => {
    const writers = await Promise.all(
      [0, 1, 2].map(() => TableStore.open({ store: new LocalObjectStore({ root }), duckdb: { threads: 1 } })),
    );
    try {
      await Promise.all(
        writers.map((writer, index) => writer.append(visitsDataset, [visitRow(`k${index}`, 'north', 1)], context)),
      );
    } finally {
      await Promise.all(writers.map((writer) => writer.close()));
    }
    const snapshot = await tables.snapshot('clinical.visits');
    expect(snapshot?.version).toBe(2);
    expect(snapshot?.files).toHaveLength(3);
    expect((await readRows('clinical.visits')).map((row) => row['visit_key']).sort()).toEqual(['k0', 'k1', 'k2']);
  });

  describe('refreshCurrent', () => {
    it('keeps the newest version per key and drops deleted keys', async () => {
      await tables.append(
        visitsDataset,
        [
          visitRow('a', 'north', 1),
          visitRow('a', 'north', 3),
          visitRow('a', 'north', 2),
          visitRow('b', 'south', 1),
          visitRow('b', 'south', 2, { is_deleted: true }),
          visitRow('c', 'south', 5),
        ],
        context,
      );
      const result = await tables.refreshCurrent(visitsDataset, context);

      expect(result?.table).toBe('clinical.visits_current');
      expect(result?.snapshot?.sourceVersion).toBe(0);
      const rows = await readRows('clinical.visits_current', 'visit_key');
      expect(rows.map((row) => [row['visit_key'], row['score']])).toEqual([
        ['a', 4.5],
        ['c', 7.5],
      ]);
    });

    it('orders versions without an event time by arrival', async () => {
      await tables.append(
        visitsDataset,
        [
          visitRow('a', 'north', 1, { event_time: null, source_position: 7, record_hash: 'late' }),
          visitRow('a', 'north', 2, { event_time: null, source_position: 3, record_hash: 'early' }),
        ],
        context,
      );
      await tables.refreshCurrent(visitsDataset, context);
      const rows = await readRows('clinical.visits_current', 'visit_key');
      expect(rows.map((row) => row['record_hash'])).toEqual(['late']);
    });

    it('does nothing when the history has not changed', async () => {
      await tables.append(visitsDataset, [visitRow('a', 'north', 1)], context);
      await tables.refreshCurrent(visitsDataset, context);
      expect(await tables.refreshCurrent(visitsDataset, context)).toBeUndefined();
      expect((await tables.snapshot('clinical.visits_current'))?.version).toBe(0);
    });
  });

  it('leaves the table unchanged when the writer dies before the commit', async () => {
    await tables.append(visitsDataset, [visitRow('a', 'north', 1)], context);
    const before = await tables.snapshot('clinical.visits');

    const rows = [visitRow('b', 'north', 1), visitRow('c', 'east', 1)];
    const child = spawnSync(
      process.execPath,
      [join(__dirname, '__fixtures__', 'kill-writer.js'), root, JSON.stringify(visitsDataset), JSON.stringify(rows)],
      { encoding: 'utf8', timeout: 60_000 },
    );

    expect(child.signal).toBe('SIGKILL');
    expect(child.stdout).not.toContain('committed');
    const after = await tables.snapshot('clinical.visits');
    expect(after).toEqual(before);
    expect((await readRows('clinical.visits')).map((row) => row['visit_key'])).toEqual(['a']);

    // The killed writer's data files exist but no commit lists them.
    const eastFiles = await readdir(join(root, 'curated/clinical/visits/site=east'));
    expect(eastFiles.filter((name) => name.endsWith('.parquet'))).toHaveLength(1);
  });
});
