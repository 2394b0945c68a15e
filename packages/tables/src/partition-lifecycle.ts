import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { parseTableName, tableDataPrefix, type Clock } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';
import type { DuckDBConnection } from '@duckdb/node-api';
import { commitWithRetry } from './commit-log';
import { quoteIdentifier, quoteLiteral } from './duckdb';
import { TableError } from './errors';
import { partitionPath } from './partition-path';
import type { DataFile, TableSnapshot } from './snapshot';
import { snapshotSourceSql } from './table-source';
import type { CommitContext, MaterializedSnapshot, WriterFaultPoint } from './table-store';
import { HOT_TIER, tierOf } from './tier';

/** Stores, engine and hooks of the `TableStore` that the partition operations use. */
export interface PartitionLifecycleContext {
  tierStore(tier: string | undefined): ObjectStore;
  /** Tags of every data file written, as `TableStoreOptions.dataFileTags`. */
  dataFileTags?: Record<string, string>;
  /** Names of the configured non-hot tiers. */
  tierNames: readonly string[];
  connection: DuckDBConnection;
  workDir: string;
  clock: Clock;
  snapshot(table: string): Promise<TableSnapshot | undefined>;
  materialize(snapshot: TableSnapshot): Promise<MaterializedSnapshot>;
  onFaultPoint: ((point: WriterFaultPoint, table: string) => void | Promise<void>) | undefined;
}

export interface MovePartitionRequest {
  /** Catalog name of the table, `database.table`. */
  table: string;
  /** Hive-style partition path such as `start_month=2024-03`; `''` for an unpartitioned table. */
  partition: string;
  /** Tier to write the compacted file to. */
  tier: string;
  /**
   * Chooses the partition's files to rewrite; files already in the target tier are always
   * rewritten with them. Default: every file. Lifecycle leaves out files in colder tiers.
   */
  select?: (file: DataFile) => boolean;
  /** Zstandard level of the compacted file (1 to 22); DuckDB's default when left out. */
  zstdLevel?: number;
  context: CommitContext;
}

export interface DropPartitionRequest {
  table: string;
  partition: string;
  context: CommitContext;
}

/** A committed move or expiry of one partition. */
export interface PartitionChange {
  table: string;
  partition: string;
  snapshot: TableSnapshot;
  /** Files the commit dropped; their objects are deleted. */
  removed: DataFile[];
  /** The compacted file a move wrote; absent for an expiry. */
  added?: DataFile;
}

/** Returns the Hive-style partition path of a data file in a snapshot, `''` when unpartitioned. */
export function partitionPathOf(snapshot: Pick<TableSnapshot, 'partitionBy'>, file: DataFile): string {
  return partitionPath(snapshot.partitionBy, file.partition);
}

/**
 * Returns when a file's rows first reached the lake: its `createdAt`, or for a file written before
 * carelake recorded it, the object's last-modified time in its tier.
 */
export async function fileCreatedAt(tierStore: (tier: string | undefined) => ObjectStore, file: DataFile): Promise<Date> {
  if (file.createdAt !== undefined) return new Date(file.createdAt);
  const info = await tierStore(file.tier).head(file.key);
  if (info === undefined) {
    throw new TableError(`data file ${file.key} is listed by the table's snapshot but missing from tier ${tierOf(file)}`, {
      position: { file: file.key },
      hint: 'Restore the object from a backup; the table cannot be read without it.',
    });
  }
  return info.lastModified;
}

export async function movePartitionFiles(lake: PartitionLifecycleContext, request: MovePartitionRequest): Promise<PartitionChange | undefined> {
  checkZstdLevel(request.zstdLevel);
  lake.tierStore(request.tier);
  const { database, table } = parseTableName(request.table);
  const select = request.select ?? (() => true);
  let removed: DataFile[] = [];
  let added: DataFile | undefined;

  const snapshot = await commitWithRetry(lake.tierStore(HOT_TIER), database, table, async ({ base }) => {
    if (!base) return undefined;
    const inPartition = base.files.filter((file) => partitionPathOf(base, file) === request.partition);
    const chosen = inPartition.filter((file) => tierOf(file) === request.tier || select(file));
    const [only] = chosen;
    if (only === undefined || (chosen.length === 1 && tierOf(only) === request.tier)) return undefined;

    const commitId = randomBytes(8).toString('hex');
    added = await writeCompactedFile(lake, { ...base, files: chosen }, request, commitId);
    removed = chosen;
    await lake.onFaultPoint?.('after-data-files', request.table);

    const kept = base.files.filter((file) => !chosen.includes(file));
    return nextLifecycleSnapshot(lake, base, commitId, [...kept, added], chosen, request.context);
  });
  if (!snapshot || !added) return undefined;

  await lake.onFaultPoint?.('after-partition-commit', request.table);
  await deleteObjects(lake, removed);
  return { table: request.table, partition: request.partition, snapshot, removed, added };
}

export async function dropPartitionFiles(lake: PartitionLifecycleContext, request: DropPartitionRequest): Promise<PartitionChange | undefined> {
  const { database, table } = parseTableName(request.table);
  let removed: DataFile[] = [];

  const snapshot = await commitWithRetry(lake.tierStore(HOT_TIER), database, table, async ({ base }) => {
    if (!base) return undefined;
    removed = base.files.filter((file) => partitionPathOf(base, file) === request.partition);
    if (removed.length === 0) return undefined;
    const kept = base.files.filter((file) => !removed.includes(file));
    return nextLifecycleSnapshot(lake, base, randomBytes(8).toString('hex'), kept, removed, request.context);
  });
  if (!snapshot) return undefined;

  await lake.onFaultPoint?.('after-partition-commit', request.table);
  await deleteObjects(lake, removed);
  return { table: request.table, partition: request.partition, snapshot, removed };
}

export async function removeUnreferencedObjects(lake: PartitionLifecycleContext, qualifiedName: string): Promise<string[]> {
  const snapshot = await lake.snapshot(qualifiedName);
  if (!snapshot) return [];
  const live = new Set(snapshot.files.map((file) => `${tierOf(file)}\u0000${file.key}`));
  const deleted: string[] = [];

  for (const dropped of snapshot.droppedFiles ?? []) {
    if (live.has(`${tierOf(dropped)}\u0000${dropped.key}`)) continue;
    const store = lake.tierStore(dropped.tier);
    if ((await store.head(dropped.key)) === undefined) continue;
    await store.delete(dropped.key);
    deleted.push(dropped.key);
  }

  // Only lifecycle writes to the non-hot tiers, so an object there that no snapshot lists is left
  // by a move that died before its commit. The hot tier is not swept: an append in progress puts
  // its files there before committing them.
  const { database, table } = parseTableName(qualifiedName);
  for (const tier of lake.tierNames) {
    const store = lake.tierStore(tier);
    for await (const object of store.list({ prefix: tableDataPrefix(database, table) })) {
      if (live.has(`${tier}\u0000${object.key}`)) continue;
      await store.delete(object.key);
      deleted.push(object.key);
    }
  }
  return deleted;
}

async function writeCompactedFile(
  lake: PartitionLifecycleContext,
  subset: TableSnapshot,
  request: MovePartitionRequest,
  commitId: string,
): Promise<DataFile> {
  const [first] = subset.files;
  if (first === undefined) throw new TableError(`partition ${request.partition} of ${request.table} has no file to move`);
  const createdAt = await newestCreatedAt(lake, subset.files);
  const localPath = join(lake.workDir, `${commitId}-tier.parquet`);
  const dataColumns = subset.columns.filter((column) => !subset.partitionBy.includes(column.name));
  const columnList = dataColumns.map((column) => quoteIdentifier(column.name)).join(', ');
  const level = request.zstdLevel === undefined ? '' : `, COMPRESSION_LEVEL ${request.zstdLevel}`;

  const opened = await lake.materialize(subset);
  try {
    const select = `SELECT ${columnList} FROM (${snapshotSourceSql(subset, opened.pathOf)})`;
    await lake.connection.run(`COPY (${select}) TO ${quoteLiteral(localPath)} (FORMAT parquet, COMPRESSION zstd${level})`);
  } finally {
    await opened.release();
  }

  const { database, table } = parseTableName(request.table);
  const folder = request.partition === '' ? '' : `${request.partition}/`;
  const key = `${tableDataPrefix(database, table)}${folder}part-${commitId}-0000.parquet`;
  try {
    const result = await lake.tierStore(request.tier).put(key, createReadStream(localPath), {
      contentType: 'application/vnd.apache.parquet',
      ...(lake.dataFileTags ? { tags: lake.dataFileTags } : {}),
    });
    const rowCount = subset.files.reduce((sum, file) => sum + file.rowCount, 0);
    return {
      key,
      partition: first.partition,
      rowCount,
      sizeBytes: result.sizeBytes,
      sha256: result.sha256,
      ...(request.tier === HOT_TIER ? {} : { tier: request.tier }),
      createdAt: createdAt.toISOString(),
    };
  } finally {
    await rm(localPath, { force: true });
  }
}

/** Return the newest creation time of the files, so that a compacted file never ages faster than its newest rows. */
async function newestCreatedAt(lake: PartitionLifecycleContext, files: readonly DataFile[]): Promise<Date> {
  let newest = new Date(0);
  for (const file of files) {
    const createdAt = await fileCreatedAt((tier) => lake.tierStore(tier), file);
    if (createdAt > newest) newest = createdAt;
  }
  return newest;
}

function nextLifecycleSnapshot(
  lake: PartitionLifecycleContext,
  base: TableSnapshot,
  commitId: string,
  files: DataFile[],
  dropped: readonly DataFile[],
  context: CommitContext,
): TableSnapshot {
  const { droppedFiles: _previous, sourceVersion: _source, mergeSourceVersion: _merge, ...rest } = base;
  const added = files.filter((file) => !base.files.includes(file));
  return {
    ...rest,
    version: base.version + 1,
    parentVersion: base.version,
    commitId,
    committedAt: lake.clock.now().toISOString(),
    principal: context.principal,
    operation: 'replace',
    files,
    inputs: [...context.inputs].sort(),
    droppedFiles: dropped.map((file) => ({ key: file.key, ...(file.tier === undefined ? {} : { tier: file.tier }) })),
    summary: { rowsAdded: 0, rowsSkippedAsDuplicate: 0, filesAdded: added.length, filesRemoved: dropped.length },
  };
}

async function deleteObjects(lake: PartitionLifecycleContext, files: readonly DataFile[]): Promise<void> {
  for (const file of files) await lake.tierStore(file.tier).delete(file.key);
}

function checkZstdLevel(level: number | undefined): void {
  if (level === undefined || (Number.isInteger(level) && level >= 1 && level <= 22)) return;
  throw new TableError(`zstd level ${level} is not an integer from 1 to 22`, { hint: 'Set zstdLevel of the tier in carelake.yaml from 1 to 22.' });
}
