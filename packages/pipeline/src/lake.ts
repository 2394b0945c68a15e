import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ZONES, type Clock, type LoadedConfig, type Logger, systemClock } from '@carelake/core';
import { FileAuditLog, type AuditLog } from '@carelake/audit';
import { SqliteCatalog, type Catalog, type SavedQueryStore } from '@carelake/catalog';
import { EnvelopeCodec, LocalObjectStore, type KeyProvider, type ObjectStore } from '@carelake/storage';
import { TableStore, type DuckDbLimits, type TableStoreOptions } from '@carelake/tables';
import { checkLakeKey, openLakeKeyProvider } from './lake-keys';
import { openScratchSession, scratchParentFor } from './scratch';

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
  /** The key provider that encrypts the lake's objects, when `keys` names one. */
  keys: KeyProvider | undefined;
  /** This process's private folder for plaintext working files, removed on close. */
  scratchDir: string;
  close(): Promise<void>;
}

export interface OpenLakeOptions {
  clock?: Clock;
  /** Used instead of the provider `keys` names, such as a test's key. */
  keys?: KeyProvider;
  logger?: Logger;
  /** Called at the table store's fault points, so that a test can stop a commit there as a crash would. */
  onTableFaultPoint?: TableStoreOptions['onFaultPoint'];
}

/**
 * Open the local lake of a configuration, creating its zones on first use.
 * The catalog is a SQLite file and the audit log hash-chained JSON lines, both
 * in the lake, because neither contains field values. With a key provider,
 * every object of the store is encrypted, and the plaintext copies engines
 * read live in a private scratch folder, memory-backed where possible.
 */
export async function openLocalLake(config: LoadedConfig, options: OpenLakeOptions = {}): Promise<Lake> {
  const root = config.lakeRoot;
  const keys = options.keys ?? (await openLakeKeyProvider(config));
  for (const zone of ZONES) await mkdir(join(root, zone), { recursive: true });
  await checkLakeKey(root, keys);

  const scratchParent = scratchParentFor(config, keys !== undefined);
  if (keys && !scratchParent.memoryBacked) {
    options.logger?.warn({ folder: scratchParent.dir }, 'no memory-backed folder for decrypted copies; set lake.scratchDir');
  }
  const scratch = await openScratchSession(scratchParent.dir, options.logger);

  const clock = options.clock ?? systemClock;
  const duckdb: DuckDbLimits = {
    ...(config.query.threads !== undefined ? { threads: config.query.threads } : {}),
    ...(config.query.memoryLimit !== undefined ? { memoryLimit: config.query.memoryLimit } : {}),
    scratchDir: scratch.dir,
  };
  const codec = keys ? { codec: new EnvelopeCodec(keys) } : {};
  const store = new LocalObjectStore({ root, ...codec, materializeDir: scratch.dir });
  // Colder storage tiers hold partitions that lifecycle runs moved there. Every reader goes through
  // the table store, which finds each file in its tier, so queries see data in any tier.
  const tiers: Record<string, ObjectStore> = {};
  for (const tier of config.storage.tiers) {
    tiers[tier.name] = new LocalObjectStore({ root: tier.path, ...codec, materializeDir: scratch.dir });
  }
  const catalog = await SqliteCatalog.open({ path: join(root, '_state', 'catalog.sqlite'), clock });
  const audit = await FileAuditLog.open({ dir: join(root, '_audit'), clock });
  const faults = options.onTableFaultPoint ? { onFaultPoint: options.onTableFaultPoint } : {};
  const tables = await TableStore.open({ store, tiers, clock, duckdb, ...faults });

  return {
    root,
    store,
    tables,
    catalog,
    savedQueries: catalog.savedQueries(),
    audit,
    clock,
    duckdb,
    keys,
    scratchDir: scratch.dir,
    async close() {
      await tables.close();
      await catalog.close();
      await audit.close();
      await scratch.close();
    },
  };
}
