import { opendir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { SchemaInferenceError, type InferenceIssue } from './errors';
import { parsePartitionFolder, type HivePartitionValue } from './hive-partitions';
import { inferParquetSchema, type InferredSchema, type ParquetFileInput } from './parquet-schema';
import type { ParquetReaderOptions } from './parquet-reader';

/** The data files found under a table folder. */
export interface ParquetFolderListing {
  /** `*.parquet` files, ordered by their path relative to the folder. */
  files: ParquetFileInput[];
  /** Entries left out: other files, symbolic links, and names starting with "_" or ".". */
  skippedCount: number;
  /** Folders between the table folder and a data file that are not `key=value` partition folders. */
  issues: InferenceIssue[];
}

/** A table schema read from a folder, with the count of entries the walk left out. */
export interface InferredTable extends InferredSchema {
  skippedCount: number;
}

/**
 * Find the Parquet files under a table folder and read their partition values
 * from the `key=value` folders above them. Files and folders whose names start
 * with "_" or "." (such as `_state`, `_SUCCESS` and `.crc` files) are skipped,
 * as Hive's `FileUtils.HIDDEN_FILES_PATH_FILTER` skips them. Symbolic links are
 * not followed.
 */
export async function listParquetFiles(folder: string): Promise<ParquetFolderListing> {
  const root = resolve(folder);
  const listing: ParquetFolderListing = { files: [], skippedCount: 0, issues: [] };
  await walk(root, [], listing);
  listing.files.sort((left, right) =>
    compareText(left.label ?? left.path, right.label ?? right.path),
  );
  return listing;
}

/**
 * Infer a table's columns, partition keys and partitions from the Parquet
 * files under a local folder, without running a Glue crawler. The
 * result is ready for the `columns` and `partitionKeys` of a `TableInput`.
 * Raises `SchemaInferenceError` listing every problem found.
 */
export async function inferTableFromFolder(
  folder: string,
  options: ParquetReaderOptions = {},
): Promise<InferredTable> {
  const listing = await listParquetFiles(folder);
  if (listing.issues.length > 0) {
    const [first] = listing.issues;
    const summary =
      first && listing.issues.length === 1
        ? `${first.keyPath}: ${first.message}`
        : `${listing.issues.length} problems`;
    throw new SchemaInferenceError(
      `cannot infer a schema from ${folder}: ${summary}`,
      listing.issues,
    );
  }

  // NOTE: objects that the local ObjectStore encrypted at rest are not Parquet
  // until decrypted, so they are reported as unreadable files.
  const schema = await inferParquetSchema({ ...options, files: listing.files, source: folder });
  return { ...schema, skippedCount: listing.skippedCount };
}

async function walk(
  folder: string,
  parents: readonly string[],
  listing: ParquetFolderListing,
): Promise<void> {
  const entries = [];
  for await (const entry of await opendir(folder)) entries.push(entry);
  entries.sort((left, right) => compareText(left.name, right.name));

  for (const entry of entries) {
    const path = join(folder, entry.name);
    const segments = [...parents, entry.name];
    if (isHiddenName(entry.name)) {
      listing.skippedCount += 1;
    } else if (entry.isDirectory()) {
      await walk(path, segments, listing);
    } else if (entry.isFile() && entry.name.endsWith('.parquet')) {
      addFile(path, segments, listing);
    } else {
      listing.skippedCount += 1;
    }
  }
}

function addFile(path: string, segments: readonly string[], listing: ParquetFolderListing): void {
  const label = segments.join('/');
  const partition: HivePartitionValue[] = [];
  for (const [index, folderName] of segments.slice(0, -1).entries()) {
    const value = parsePartitionFolder(folderName);
    if (!value) {
      // One issue per folder, however many files it contains.
      const keyPath = segments.slice(0, index + 1).join('/');
      if (!listing.issues.some((issue) => issue.keyPath === keyPath)) {
        const message = 'is not a key=value partition folder, but it contains Parquet files';
        listing.issues.push({ kind: 'partition-layout', keyPath, message });
      }
      return;
    }
    partition.push(value);
  }
  listing.files.push({ path, label, partition });
}

function isHiddenName(name: string): boolean {
  return name.startsWith('_') || name.startsWith('.');
}

/** Order by code unit, so that the order does not depend on the locale. */
function compareText(left: string, right: string): number {
  if (left === right) return 0;
  return left < right ? -1 : 1;
}
