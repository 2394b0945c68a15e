import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  parseTableName,
  systemClock,
  tableDataPrefix,
  type Clock,
  type DatasetDefinition,
  type Row,
} from '@carelake/core';
import type { MaterializedObject, ObjectStore } from '@carelake/storage';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { commitWithRetry, readLatestSnapshot } from './commit-log';
import { closeDuckDb, openDuckDb, quoteIdentifier, quoteLiteral, type DuckDbLimits } from './duckdb';
import { RowSchemaError } from './errors';
import { writeParquetFile } from './parquet-writer';
import { partitionPath } from './partition-path';
import { validateRow } from './row-validation';
import type { DataFile, SnapshotColumn, TableSnapshot } from './snapshot';
import { snapshotSourceSql } from './table-source';
import { currentDatasetOf, currentSelectSql } from './current';
import { UnknownTierError } from './errors';
import {
  dropPartitionFiles,
  movePartitionFiles,
  removeUnreferencedObjects,
  type DropPartitionRequest,
  type MovePartitionRequest,
  type PartitionChange,
  type PartitionLifecycleContext,
} from './partition-lifecycle';
import { HOT_TIER } from './tier';
import { DigestSet } from './digest-set';

/**
 * Points where a test may stop a writer: after the new data files are put and before the commit
 * (the table must stay unchanged), and after a lifecycle commit and before the objects it dropped
 * are deleted (a re-run must delete them).
 */
export type WriterFaultPoint = 'after-data-files' | 'after-partition-commit';

export interface TableStoreOptions {
  /** The hot tier, the lake root: every data file is written here first, and commit files live here. */
  store: ObjectStore;
  /** Colder tiers by name, for data files that lifecycle moved out of the hot tier. */
  tiers?: Record<string, ObjectStore>;
  clock?: Clock;
  duckdb?: DuckDbLimits;
  /**
   * Tags put on every data file when it is written, such as the legal hold tag that the bucket's
   * lifecycle rules filter on, so that no data file is ever untagged.
   */
  dataFileTags?: Record<string, string>;
  /** Called at each fault point; tests kill the process there. */
  onFaultPoint?: (point: WriterFaultPoint, table: string) => void | Promise<void>;
}

export interface CommitContext {
  principal: string;
  /** Landing file hashes or stream ranges the rows came from. */
  inputs: string[];
  /**
   * Added to the names of the data files an append writes, such as a stream's shard and
   * sequence range. Letters, digits, `.`, `_` and `-` only, at most 160 characters.
   */
  fileLabel?: string;
}

export interface MaterializedSnapshot {
  pathOf(key: string): string;
  paths(): string[];
  release(): Promise<void>;
}

export interface CommitResult {
  table: string;
  /** The new snapshot, or undefined when nothing was committed (every row was already stored). */
  snapshot: TableSnapshot | undefined;
  rowsAdded: number;
  rowsSkippedAsDuplicate: number;
}

/**
 * Writes row batches to tables as Parquet and commits them with the protocol
 * of docs/design/commit-protocol.md. Each instance owns one DuckDB engine for
 * staging; close it when done.
 */
export class TableStore {
  private readonly clock: Clock;
  private readonly hashCache = new Map<string, { version: number; hashes: DigestSet }>();

  private constructor(
    private readonly options: TableStoreOptions,
    private readonly duck: { instance: DuckDBInstance; connection: DuckDBConnection },
    private readonly workDir: string,
  ) {
    this.clock = options.clock ?? systemClock;
  }

  static async open(options: TableStoreOptions): Promise<TableStore> {
    const workDir = await mkdtemp(join(options.duckdb?.scratchDir ?? tmpdir(), 'carelake-tables-'));
    const duck = await openDuckDb({ ...options.duckdb, tempDirectory: options.duckdb?.tempDirectory ?? workDir });
    return new TableStore(options, duck, workDir);
  }

  async close(): Promise<void> {
    closeDuckDb(this.duck);
    await rm(this.workDir, { recursive: true, force: true });
  }

  /** Returns the store of a tier: the lake root for `hot` or undefined, else a configured tier. */
  tierStore(tier: string | undefined): ObjectStore {
    if (tier === undefined || tier === HOT_TIER) return this.options.store;
    const store = this.options.tiers?.[tier];
    if (store === undefined) {
      const known = [HOT_TIER, ...Object.keys(this.options.tiers ?? {})].join(', ');
      throw new UnknownTierError(`storage tier "${tier}" is not configured (configured: ${known})`, {
        hint: 'Add the tier to storage.tiers in carelake.yaml; a data file of the table is stored in it.',
      });
    }
    return store;
  }

  /**
   * Rewrites the files of one partition into one compacted file in a tier and commits a `replace`
   * of just those files. The replaced objects are deleted after the commit lands.
   */
  movePartition(request: MovePartitionRequest): Promise<PartitionChange | undefined> {
    return movePartitionFiles(this.lifecycleContext(), request);
  }

  /** Commits the removal of every file of one partition, then deletes their objects. */
  dropPartition(request: DropPartitionRequest): Promise<PartitionChange | undefined> {
    return dropPartitionFiles(this.lifecycleContext(), request);
  }

  /**
   * Deletes the objects an interrupted move or expiry left behind: those the latest commit dropped,
   * and files in a non-hot tier that the latest snapshot does not list. Returns the keys deleted.
   */
  removeUnreferencedObjects(qualifiedName: string): Promise<string[]> {
    return removeUnreferencedObjects(this.lifecycleContext(), qualifiedName);
  }

  private lifecycleContext(): PartitionLifecycleContext {
    return {
      tierStore: (tier) => this.tierStore(tier),
      ...(this.options.dataFileTags ? { dataFileTags: this.options.dataFileTags } : {}),
      tierNames: Object.keys(this.options.tiers ?? {}),
      connection: this.duck.connection,
      workDir: this.workDir,
      clock: this.clock,
      snapshot: (table) => this.snapshot(table),
      materialize: (snapshot) => this.materializeSnapshot(snapshot),
      onFaultPoint: this.options.onFaultPoint,
    };
  }

  snapshot(qualifiedName: string): Promise<TableSnapshot | undefined> {
    const { database, table } = parseTableName(qualifiedName);
    return readLatestSnapshot(this.options.store, database, table);
  }

  /**
   * Append rows, dropping those whose `dedupeBy` value the table already contains
   * or that repeat within the batch. Commits nothing when no row is new.
   */
  async append(dataset: DatasetDefinition, rows: readonly Row[], context: CommitContext): Promise<CommitResult> {
    checkFileLabel(context.fileLabel);
    rows.forEach((row, index) => {
      const problem = validateRow(dataset, row, index);
      if (problem) throw problem;
    });

    const { database, table } = parseTableName(dataset.table);
    let skipped = 0;
    let added = 0;

    const snapshot = await commitWithRetry(this.options.store, database, table, async ({ base }) => {
      const fresh = await this.dropStoredDuplicates(dataset, base, rows);
      skipped = rows.length - fresh.length;
      added = fresh.length;
      if (fresh.length === 0) return undefined;

      const commitId = newCommitId();
      const files = await this.writeDataFiles(dataset, fresh, commitId, context.fileLabel);
      await this.options.onFaultPoint?.('after-data-files', dataset.table);
      return this.nextSnapshot(dataset, base, commitId, 'append', [...(base?.files ?? []), ...files], context, {
        rowsAdded: fresh.length,
        rowsSkippedAsDuplicate: skipped,
        filesAdded: files.length,
        filesRemoved: 0,
      });
    });

    if (snapshot && dataset.dedupeBy) this.rememberHashes(dataset, snapshot, rows);
    return { table: dataset.table, snapshot, rowsAdded: snapshot ? added : 0, rowsSkippedAsDuplicate: skipped };
  }

  /**
   * Replace every row of a table with `rows` in one commit, for a table rebuilt whole from other
   * tables. Commits nothing when the newest commit recorded the same `inputs`, so the caller
   * names in `inputs` everything the rows depend on (source versions, a hash of the rows) and a
   * rebuild over unchanged inputs writes nothing. The files of earlier versions stay in the store.
   */
  async replace(dataset: DatasetDefinition, rows: readonly Row[], context: CommitContext): Promise<CommitResult> {
    checkFileLabel(context.fileLabel);
    rows.forEach((row, index) => {
      const problem = validateRow(dataset, row, index);
      if (problem) throw problem;
    });

    const { database, table } = parseTableName(dataset.table);
    const inputs = [...context.inputs].sort();
    const snapshot = await commitWithRetry(this.options.store, database, table, async ({ base }) => {
      if (base && base.inputs.length === inputs.length && base.inputs.every((input, index) => input === inputs[index])) return undefined;

      const commitId = newCommitId();
      const files = rows.length === 0 ? [] : await this.writeDataFiles(dataset, rows, commitId, context.fileLabel);
      await this.options.onFaultPoint?.('after-data-files', dataset.table);
      return this.nextSnapshot(dataset, base, commitId, 'replace', files, context, {
        rowsAdded: rows.length,
        rowsSkippedAsDuplicate: 0,
        filesAdded: files.length,
        filesRemoved: base?.files.length ?? 0,
      });
    });
    this.hashCache.delete(dataset.table);
    return { table: dataset.table, snapshot, rowsAdded: snapshot ? rows.length : 0, rowsSkippedAsDuplicate: 0 };
  }

  /**
   * Rebuild `<table>_current` from the latest history snapshot, unless it
   * already reflects that version. Returns undefined when nothing changed.
   */
  /**
   * Rebuild `<table>_current` from the newest history snapshot. A dataset that
   * follows merges names the history table holding them; pass its dataset as
   * `mergeSource`, and a new merge there rebuilds this companion too.
   */
  async refreshCurrent(
    history: DatasetDefinition,
    context: CommitContext,
    options: { mergeSource?: DatasetDefinition } = {},
  ): Promise<CommitResult | undefined> {
    const current = currentDatasetOf(history);
    const { database, table } = parseTableName(current.table);
    const historySnapshot = await this.snapshot(history.table);
    if (!historySnapshot) return undefined;
    const mergeSource = history.followMerges ? options.mergeSource : undefined;
    const mergeSnapshot = mergeSource ? await this.snapshot(mergeSource.table) : undefined;

    let rowsAdded = 0;
    const snapshot = await commitWithRetry(this.options.store, database, table, async ({ base }) => {
      if (isCurrentUpToDate(base, historySnapshot, mergeSnapshot)) return undefined;

      const commitId = newCommitId();
      const files = await this.withMaterialized(historySnapshot, (historyPath) =>
        this.withMaterializedOptional(mergeSnapshot, async (mergePath) => {
          const merges =
            mergeSource && mergeSnapshot && mergePath
              ? { dataset: mergeSource, sourceSql: snapshotSourceSql(mergeSnapshot, mergePath) }
              : undefined;
          const select = currentSelectSql(history, snapshotSourceSql(historySnapshot, historyPath), merges);
          return this.writeSelectPartitioned(current, select, commitId);
        }),
      );
      rowsAdded = files.reduce((sum, file) => sum + file.rowCount, 0);
      await this.options.onFaultPoint?.('after-data-files', current.table);
      const next = this.nextSnapshot(current, base, commitId, 'replace', files, context, {
        rowsAdded,
        rowsSkippedAsDuplicate: 0,
        filesAdded: files.length,
        filesRemoved: base?.files.length ?? 0,
      });
      return {
        ...next,
        sourceVersion: historySnapshot.version,
        ...(mergeSnapshot ? { mergeSourceVersion: mergeSnapshot.version } : {}),
      };
    });
    if (!snapshot) return undefined;
    return { table: current.table, snapshot, rowsAdded, rowsSkippedAsDuplicate: 0 };
  }

  private async withMaterializedOptional<T>(
    snapshot: TableSnapshot | undefined,
    work: (pathOf: ((key: string) => string) | undefined) => Promise<T>,
  ): Promise<T> {
    return snapshot ? this.withMaterialized(snapshot, work) : work(undefined);
  }

  /**
   * Open every file of a snapshot as a local path for DuckDB and release them
   * afterwards, so that engines never read the store's folders directly.
   */
  async withMaterialized<T>(snapshot: TableSnapshot, work: (pathOf: (key: string) => string) => Promise<T>): Promise<T> {
    const opened = await this.materializeSnapshot(snapshot);
    try {
      return await work(opened.pathOf);
    } finally {
      await opened.release();
    }
  }

  /** Like `withMaterialized`, for a caller that keeps the files open longer than one call. */
  async materializeSnapshot(snapshot: TableSnapshot): Promise<MaterializedSnapshot> {
    const opened = new Map<string, MaterializedObject>();
    const release = async (): Promise<void> => {
      for (const object of opened.values()) await object.release();
      opened.clear();
    };
    try {
      for (const file of snapshot.files) {
        opened.set(file.key, await this.tierStore(file.tier).materialize(file.key));
      }
    } catch (error) {
      await release();
      throw error;
    }
    const pathOf = (key: string): string => {
      const object = opened.get(key);
      if (!object) throw new RowSchemaError(`file ${key} is not part of snapshot ${snapshot.version}`);
      return object.path;
    };
    return { pathOf, paths: () => [...opened.values()].map((object) => object.path), release };
  }

  private async dropStoredDuplicates(
    dataset: DatasetDefinition,
    base: TableSnapshot | undefined,
    rows: readonly Row[],
  ): Promise<Row[]> {
    const column = dataset.dedupeBy;
    if (!column) return [...rows];

    const stored = await this.storedHashes(dataset, base, column);
    const seen = new Set<string>();
    const fresh: Row[] = [];
    for (const row of rows) {
      const hash = String(row[column]);
      if (seen.has(hash) || (stored && stored.has(hash))) continue;
      seen.add(hash);
      fresh.push(row);
    }
    return fresh;
  }

  private async storedHashes(dataset: DatasetDefinition, base: TableSnapshot | undefined, column: string): Promise<DigestSet | undefined> {
    if (!base) return undefined;
    const cached = this.hashCache.get(dataset.table);
    if (cached && cached.version === base.version) return cached.hashes;

    // Read in chunks, so that the table's hashes never exist as one array of strings.
    const hashes = await this.withMaterialized(base, async (pathOf) => {
      const sql = `SELECT DISTINCT ${quoteIdentifier(column)} AS h FROM (${snapshotSourceSql(base, pathOf)})`;
      const result = await this.duck.connection.stream(sql);
      const set = new DigestSet(base.files.reduce((sum, file) => sum + file.rowCount, 0));
      for (let chunk = await result.fetchChunk(); chunk && chunk.rowCount > 0; chunk = await result.fetchChunk()) {
        const vector = chunk.getColumnVector(0);
        for (let row = 0; row < chunk.rowCount; row++) set.add(String(vector.getItem(row)));
      }
      return set;
    });
    this.hashCache.set(dataset.table, { version: base.version, hashes });
    return hashes;
  }

  private rememberHashes(dataset: DatasetDefinition, snapshot: TableSnapshot, rows: readonly Row[]): void {
    const column = dataset.dedupeBy as string;
    const previous = this.hashCache.get(dataset.table);
    if (!previous || previous.version !== (snapshot.parentVersion ?? -1)) {
      this.hashCache.delete(dataset.table);
      return;
    }
    for (const row of rows) previous.hashes.add(String(row[column]));
    previous.version = snapshot.version;
  }

  /** Group rows by partition, write one Parquet file per partition and put it in the store. */
  private async writeDataFiles(
    dataset: DatasetDefinition,
    rows: readonly Row[],
    commitId: string,
    fileLabel: string | undefined,
  ): Promise<DataFile[]> {
    const groups = new Map<string, { partition: Record<string, string | null>; rows: Row[] }>();
    for (const row of rows) {
      const partition = Object.fromEntries(dataset.partitionBy.map((name) => [name, partitionValue(row[name])]));
      const groupKey = JSON.stringify(dataset.partitionBy.map((name) => partition[name]));
      const group = groups.get(groupKey) ?? { partition, rows: [] };
      group.rows.push(row);
      groups.set(groupKey, group);
    }

    const columns = dataColumns(dataset);
    const files: DataFile[] = [];
    let index = 0;
    for (const group of groups.values()) {
      const localPath = join(this.workDir, `${commitId}-${index}.parquet`);
      await writeParquetFile(this.duck.connection, columns, group.rows, localPath);
      const fileStem = fileLabel ? `${commitId}-${fileLabel}` : commitId;
      files.push(await this.putDataFile(dataset, group.partition, localPath, fileStem, index, group.rows.length));
      index++;
    }
    return files;
  }

  /** Write the result of a SELECT over all of a dataset's columns, one file per partition. */
  private async writeSelectPartitioned(dataset: DatasetDefinition, select: string, commitId: string): Promise<DataFile[]> {
    const connection = this.duck.connection;
    const staging = `current_${commitId}`;
    await connection.run(`CREATE TABLE ${staging} AS ${select}`);
    try {
      const partitionList = dataset.partitionBy.map(quoteIdentifier).join(', ');
      const partitions = dataset.partitionBy.length
        ? (await connection.runAndReadAll(`SELECT DISTINCT ${partitionList} FROM ${staging}`)).getRowObjectsJS()
        : [{}];

      const columns = dataColumns(dataset);
      const files: DataFile[] = [];
      let index = 0;
      for (const partitionRow of partitions) {
        const partition = Object.fromEntries(
          dataset.partitionBy.map((name) => [name, partitionValue(partitionRow[name] as Row[string])]),
        );
        const where = dataset.partitionBy
          .map((name) => {
            const value = partition[name];
            return value === null || value === undefined
              ? `${quoteIdentifier(name)} IS NULL`
              : `CAST(${quoteIdentifier(name)} AS VARCHAR) = ${quoteLiteral(value)}`;
          })
          .join(' AND ');
        const localPath = join(this.workDir, `${commitId}-${index}.parquet`);
        const columnList = columns.map((column) => quoteIdentifier(column.name)).join(', ');
        const filtered = `SELECT ${columnList} FROM ${staging}${where ? ` WHERE ${where}` : ''}`;
        const count = await connection.runAndReadAll(`SELECT count(*)::INTEGER FROM (${filtered})`);
        const rowCount = Number(count.getRowsJS()[0]?.[0] ?? 0);
        await connection.run(`COPY (${filtered}) TO ${quoteLiteral(localPath)} (FORMAT parquet, COMPRESSION zstd)`);
        files.push(await this.putDataFile(dataset, partition, localPath, commitId, index, rowCount));
        index++;
      }
      return files.filter((file) => file.rowCount > 0);
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${staging}`);
    }
  }

  private async putDataFile(
    dataset: DatasetDefinition,
    partition: Record<string, string | null>,
    localPath: string,
    /** The commit id, followed by the commit's file label when it has one. */
    fileStem: string,
    index: number,
    rowCount: number,
  ): Promise<DataFile> {
    const { database, table } = parseTableName(dataset.table);
    const folder = partitionPath(dataset.partitionBy, partition);
    const name = `part-${fileStem}-${String(index).padStart(4, '0')}.parquet`;
    const key = `${tableDataPrefix(database, table)}${folder ? `${folder}/` : ''}${name}`;
    try {
      const result = await this.options.store.put(key, createReadStream(localPath), {
        contentType: 'application/vnd.apache.parquet',
        ...(this.options.dataFileTags ? { tags: this.options.dataFileTags } : {}),
      });
      const createdAt = this.clock.now().toISOString();
      return { key, partition, rowCount, sizeBytes: result.sizeBytes, sha256: result.sha256, createdAt };
    } finally {
      await rm(localPath, { force: true });
    }
  }

  private nextSnapshot(
    dataset: DatasetDefinition,
    base: TableSnapshot | undefined,
    commitId: string,
    operation: TableSnapshot['operation'],
    files: DataFile[],
    context: CommitContext,
    summary: TableSnapshot['summary'],
  ): TableSnapshot {
    const { database, table } = parseTableName(dataset.table);
    return {
      formatVersion: 1,
      database,
      table,
      version: base ? base.version + 1 : 0,
      parentVersion: base ? base.version : null,
      commitId,
      committedAt: this.clock.now().toISOString(),
      principal: context.principal,
      operation,
      columns: allColumns(dataset),
      partitionBy: [...dataset.partitionBy],
      files,
      inputs: [...context.inputs].sort(),
      summary,
    };
  }
}

const FILE_LABEL = /^[A-Za-z0-9._-]{1,160}$/;

function checkFileLabel(label: string | undefined): void {
  if (label === undefined || FILE_LABEL.test(label)) return;
  throw new RowSchemaError(`data file label of ${label.length} characters is not letters, digits, ".", "_" and "-" up to 160 characters`, {
    hint: 'Pass a shorter CommitContext.fileLabel made of those characters, or none.',
  });
}

function newCommitId(): string {
  return randomBytes(8).toString('hex');
}

function allColumns(dataset: DatasetDefinition): SnapshotColumn[] {
  return Object.entries(dataset.columns).map(([name, column]) => ({ name, type: column.type }));
}

function dataColumns(dataset: DatasetDefinition): SnapshotColumn[] {
  return allColumns(dataset).filter((column) => !dataset.partitionBy.includes(column.name));
}

/** Format a value for a partition folder name, with dates as yyyy-mm-dd. */
function partitionValue(value: Row[string] | undefined): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}

/** Tell whether a companion is current: neither its history table nor the merges it follows moved on. */
function isCurrentUpToDate(
  base: TableSnapshot | undefined,
  history: TableSnapshot,
  merges: TableSnapshot | undefined,
): boolean {
  if (base?.sourceVersion === undefined || base.sourceVersion < history.version) return false;
  if (!merges) return true;
  return base.mergeSourceVersion !== undefined && base.mergeSourceVersion >= merges.version;
}
