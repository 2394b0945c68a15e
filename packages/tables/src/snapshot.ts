import type { ColumnType } from '@carelake/core';

/** One Parquet data file of a table, as a commit lists it. */
export interface DataFile {
  /** Object key in the lake. */
  key: string;
  /** Partition column values, in the table's partition order; null for a null value. */
  partition: Record<string, string | null>;
  rowCount: number;
  sizeBytes: number;
  sha256: string;
  /**
   * Storage tier that holds the object, a tier name of `carelake.yaml` `storage.tiers`.
   * Absent for the hot tier, the lake root, where every file is first written.
   */
  tier?: string;
  /**
   * ISO 8601 UTC time the rows first reached the lake. Kept when lifecycle moves the rows to
   * another tier, so that age counts from the first write, as S3 counts an object's age.
   */
  createdAt?: string;
}

/** A file a commit dropped from the table, whose object is deleted once the commit lands. */
export interface DroppedFile {
  key: string;
  tier?: string;
}

export interface SnapshotColumn {
  name: string;
  type: ColumnType;
}

/**
 * The content of one commit file: the whole state of a table after that commit.
 * See docs/design/commit-protocol.md.
 */
export interface TableSnapshot {
  formatVersion: 1;
  database: string;
  table: string;
  version: number;
  parentVersion: number | null;
  commitId: string;
  committedAt: string;
  principal: string;
  operation: 'append' | 'replace';
  columns: SnapshotColumn[];
  partitionBy: string[];
  files: DataFile[];
  /** Landing file hashes or stream ranges this commit consumed. */
  inputs: string[];
  /** For a `_current` companion: the history table version it was built from. */
  sourceVersion?: number;
  /** For a `_current` companion that follows merges: the version of the table holding them. */
  mergeSourceVersion?: number;
  /**
   * Files this commit dropped (a lifecycle move or expiry). A run that died after the commit and
   * before deleting them finds them here and deletes them.
   */
  droppedFiles?: DroppedFile[];
  summary: { rowsAdded: number; rowsSkippedAsDuplicate: number; filesAdded: number; filesRemoved: number };
}

/** Commit files are named by a zero-padded version so that key order is version order. */
export function commitFileName(version: number): string {
  return `${String(version).padStart(20, '0')}.json`;
}

export function parseCommitFileName(name: string): number | undefined {
  const match = /^(\d{20})\.json$/.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function totalRows(snapshot: TableSnapshot | undefined): number {
  return snapshot ? snapshot.files.reduce((sum, file) => sum + file.rowCount, 0) : 0;
}
