import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZONES, type Clock, type LoadedConfig, systemClock } from '@carelake/core';
import { FileAuditLog, type AuditLog } from '@carelake/audit';
import { SqliteCatalog, type Catalog, type SavedQueryStore } from '@carelake/catalog';
import { LocalObjectStore, type ObjectStore } from '@carelake/storage';
import { TableStore, type DuckDbLimits } from '@carelake/tables';

/** The parts of an open lake, for the runner and the CLI. Close it when done. */
export interface Lake {
  root: string;
  store: ObjectStore;
  tables: TableStore;
  catalog: Catalog;
  savedQueries: SavedQueryStore;
  audit: AuditLog;
  clock: Clock;
  duckdb: DuckDbLimits;
  close(): Promise<void>;
}

/**
 * Open the local lake of a configuration, creating its zones on first use.
 * The catalog is a SQLite file and the audit log hash-chained JSON lines, both
 * in the lake, because neither contains field values.
 */
export async function openLocalLake(config: LoadedConfig, options: { clock?: Clock } = {}): Promise<Lake> {
  const root = config.lakeRoot;
  for (const zone of ZONES) await mkdir(join(root, zone), { recursive: true });

  const clock = options.clock ?? systemClock;
  const duckdb: DuckDbLimits = {
    ...(config.query.threads !== undefined ? { threads: config.query.threads } : {}),
    ...(config.query.memoryLimit !== undefined ? { memoryLimit: config.query.memoryLimit } : {}),
  };
  const store = new LocalObjectStore({ root });
  const catalog = await SqliteCatalog.open({ path: join(root, '_state', 'catalog.sqlite'), clock });
  const audit = await FileAuditLog.open({ dir: join(root, '_audit'), clock });
  const tables = await TableStore.open({ store, clock, duckdb });

  return {
    root,
    store,
    tables,
    catalog,
    savedQueries: catalog.savedQueries(),
    audit,
    clock,
    duckdb,
    async close() {
      await tables.close();
      await catalog.close();
      await audit.close();
    },
  };
}
