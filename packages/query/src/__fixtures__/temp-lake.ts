import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuditLog, readAuditEvents, type AuditEvent } from '@carelake/audit';
import { SqliteCatalog, tableInputFromDataset } from '@carelake/catalog';
import {
  datasetSchema,
  ManualClock,
  parseTableName,
  tableDataPrefix,
  type DatasetDefinition,
  type Principal,
  type Row,
} from '@carelake/core';
import { applyLocal, loadPolicies, readGovernanceSnapshot } from '@carelake/governance';
import { LocalObjectStore } from '@carelake/storage';
import { TableStore } from '@carelake/tables';
import { DuckDbQueryEngine } from '../duckdb-engine';

export const analyst: Principal = { name: 'analyst', role: 'user', groups: ['analysts'] };
export const admin: Principal = { name: 'admin', role: 'admin', groups: [] };

/** Principals and groups of the temp lake's carelake.yaml, which policies may name. */
const PRINCIPALS = {
  principals: {
    admin: { role: 'admin' as const, groups: [] },
    analyst: { role: 'user' as const, groups: ['analysts'] },
    tests: { role: 'user' as const, groups: [] },
    auditor: { role: 'user' as const, groups: [] },
  },
  groups: { analysts: {} },
};

/** Synthetic visits partitioned by month, three months of one row each unless a test adds more. */
export const visitsDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.visits',
  description: 'Synthetic visits for query engine tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'append',
  partitionBy: ['visit_month'],
  columns: {
    visit_key: { type: 'string', nullable: false },
    facility: { type: 'string' },
    admit_time: { type: 'timestamp' },
    length_days: { type: 'int' },
    visit_month: { type: 'string', nullable: false },
  },
});

/** Synthetic referrals partitioned by a free-text source, for partition values Hive must escape. */
export const referralsDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.referrals',
  description: 'Synthetic referrals for query engine tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'append',
  partitionBy: ['referred_from'],
  columns: {
    referral_key: { type: 'string', nullable: false },
    referred_from: { type: 'string' },
  },
});

export function visitRow(key: string, facility: string, admitIso: string, lengthDays: number): Row {
  return {
    visit_key: key,
    facility,
    admit_time: new Date(admitIso),
    length_days: lengthDays,
    visit_month: admitIso.slice(0, 7),
  };
}

/** A lake in a temp folder: local object store, SQLite catalog, table store and file audit log, all real. */
export interface TempLake {
  root: string;
  auditDir: string;
  /** Commit rows to a table and register it in the catalog. */
  addTable(dataset: DatasetDefinition, rows: readonly Row[]): Promise<void>;
  /** Absolute paths of the data files of a table's newest snapshot. */
  dataFilePaths(table: string): Promise<string[]>;
  /** Write policy files (name to YAML) and apply them, over the datasets of the tables added so far. */
  applyPolicies(files: Record<string, string>): Promise<void>;
  /** Open an engine for a principal (the analyst unless given) under the policies applied, if any. */
  openEngine(principal?: Principal, options?: { prepareOnFirstStatement?: boolean }): Promise<DuckDbQueryEngine>;
  auditEvents(): Promise<AuditEvent[]>;
  close(): Promise<void>;
}

export async function openTempLake(prefix: string): Promise<TempLake> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const clock = new ManualClock('2026-02-03T04:05:06.000Z');
  const auditDir = join(root, '_audit');
  const catalog = await SqliteCatalog.open({ path: join(root, '_state', 'catalog.sqlite'), clock });
  const tables = await TableStore.open({
    store: new LocalObjectStore({ root }),
    clock,
    duckdb: { threads: 1 },
  });
  const audit = await FileAuditLog.open({ dir: auditDir, clock, fsync: false });
  const datasets = new Map<string, DatasetDefinition>();

  return {
    root,
    auditDir,
    async addTable(dataset, rows) {
      const { database, table } = parseTableName(dataset.table);
      await tables.append(dataset, rows, { principal: 'runner', inputs: [] });
      await catalog.ensureDatabase(database);
      await catalog.upsertTable(tableInputFromDataset(dataset, tableDataPrefix(database, table)));
      datasets.set(dataset.table, dataset);
    },
    async dataFilePaths(table) {
      const snapshot = await tables.snapshot(table);
      return (snapshot?.files ?? []).map((file) => join(root, file.key));
    },
    async applyPolicies(files) {
      const folder = join(root, 'policies');
      await rm(folder, { recursive: true, force: true });
      await mkdir(folder);
      for (const [name, text] of Object.entries(files)) await writeFile(join(folder, name), text);
      applyLocal(root, loadPolicies(folder, { config: PRINCIPALS, datasets: [...datasets.values()] }), { clock });
    },
    openEngine: (principal = analyst, options = {}) => {
      const governance = readGovernanceSnapshot(root);
      return DuckDbQueryEngine.open({
        catalog,
        tables,
        principal,
        ...(governance === undefined ? {} : { governance }),
        audit,
        limits: { threads: 1, memoryLimit: '256MB' },
        ...options,
      });
    },
    async auditEvents() {
      const events: AuditEvent[] = [];
      for await (const event of readAuditEvents(auditDir, { action: 'query.run' }))
        events.push(event);
      return events;
    },
    async close() {
      await tables.close();
      await catalog.close();
      await audit.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}
