import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuditLog } from '@carelake/audit';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';
import { TableStore } from '@carelake/tables';

/** A local lake in a temp folder with hot, warm and cold tiers, a ManualClock and a file audit log. */
export interface TempLake {
  folder: string;
  clock: ManualClock;
  hotStore: LocalObjectStore;
  tables: TableStore;
  audit: FileAuditLog;
  auditDir: string;
  close(): Promise<void>;
}

export async function openTempLake(): Promise<TempLake> {
  const folder = await mkdtemp(join(tmpdir(), 'carelake-lifecycle-'));
  const clock = new ManualClock('2026-01-01T00:00:00.000Z');
  const hotStore = new LocalObjectStore({ root: join(folder, 'lake') });
  const tiers = { warm: new LocalObjectStore({ root: join(folder, 'warm') }), cold: new LocalObjectStore({ root: join(folder, 'cold') }) };
  const tables = await TableStore.open({ store: hotStore, tiers, clock, duckdb: { threads: 1, memoryLimit: '256MB' } });
  const auditDir = join(folder, 'lake', '_audit');
  const audit = await FileAuditLog.open({ dir: auditDir, clock, fsync: false });
  return {
    folder,
    clock,
    hotStore,
    tables,
    audit,
    auditDir,
    async close() {
      await audit.close();
      await tables.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
