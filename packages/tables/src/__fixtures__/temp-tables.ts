import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { closeDuckDb, openDuckDb } from '../duckdb';
import { snapshotSourceSql } from '../table-source';
import { TableStore } from '../table-store';

/** A TableStore on a temp folder with a fixed clock and capped DuckDB, for table layer tests. */
export interface TempTables {
  tables: TableStore;
  /** Read `columns` of a table's newest snapshot, ordered by `orderBy`. */
  readRows(table: string, columns: string, orderBy: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

export async function openTempTables(prefix: string): Promise<TempTables> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const tables = await TableStore.open({
    store: new LocalObjectStore({ root }),
    clock: new ManualClock('2026-02-03T04:05:06.000Z'),
    duckdb: { threads: 1, memoryLimit: '256MB' },
  });

  const readRows = async (table: string, columns: string, orderBy: string): Promise<Record<string, unknown>[]> => {
    const snapshot = await tables.snapshot(table);
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await tables.withMaterialized(snapshot, async (pathOf) => {
        const reader = await duck.connection.runAndReadAll(
          `SELECT ${columns} FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY ${orderBy}`,
        );
        return reader.getRowObjectsJS();
      });
    } finally {
      closeDuckDb(duck);
    }
  };

  return {
    tables,
    readRows,
    async close() {
      await tables.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
