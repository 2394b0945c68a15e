import { basename, isAbsolute } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnInput } from '../catalog';
import { catalogNameIssue } from '../names';
import { FileColumnMerger, type InferredColumn, type TypeWidening } from './column-merge';
import { SchemaInferenceError, type InferenceIssue } from './errors';
import { readDuckDbType } from './file-types';
import { PartitionLayoutMerger, type InferredPartition } from './partition-layout';
import { partitionFolderPath, type HivePartitionValue } from './hive-partitions';
import {
  readParquetFileColumns,
  withParquetReader,
  type ParquetReaderOptions,
} from './parquet-reader';

/** One data file to read. */
export interface ParquetFileInput {
  /** Absolute path of a local Parquet file. */
  path: string;
  /** Name of the file in messages, such as its path relative to the table folder. Defaults to `path`. */
  label?: string;
  /** The `key=value` folders above the file, outermost first. Defaults to none. */
  partition?: readonly HivePartitionValue[];
}

export interface InferParquetSchemaRequest extends ParquetReaderOptions {
  /** Files in the order their columns should appear: a column first seen in a later file comes later. */
  files: readonly ParquetFileInput[];
  /** Location of the files, such as the table folder, named in the error summary. */
  source?: string;
}

/** A table schema read from data files, shaped like the `columns` and `partitionKeys` of a `TableInput`. */
export interface InferredSchema {
  columns: InferredColumn[];
  partitionKeys: ColumnInput[];
  /** Each distinct partition, in the order first seen. Empty for a table without partition keys. */
  partitions: InferredPartition[];
  /** Columns registered with a wider type than some files store. */
  widenings: TypeWidening[];
  fileCount: number;
}

/**
 * Read the schema of Parquet files and their partition folders and merge it
 * into one table schema. Reads only the file footers, through DuckDB. Raises
 * `SchemaInferenceError` listing every problem found in every file: unreadable
 * files, unsupported types, invalid names, conflicting column types and
 * partition folders that differ between files.
 */
export async function inferParquetSchema(
  request: InferParquetSchemaRequest,
): Promise<InferredSchema> {
  const source = request.source ?? `${request.files.length} Parquet files`;
  if (request.files.length === 0) {
    const issue: InferenceIssue = {
      kind: 'no-files',
      keyPath: source,
      message: 'no Parquet files to read',
    };
    throw new SchemaInferenceError(`cannot infer a schema from ${source}: no Parquet files found`, [
      issue,
    ]);
  }

  const issues: InferenceIssue[] = [];
  const columns = new FileColumnMerger();
  const partitions = new PartitionLayoutMerger();
  let firstReadError: unknown;

  await withParquetReader(request, async (connection) => {
    for (const file of request.files) {
      const keyPath = file.label ?? file.path;
      partitions.add(file.partition ?? [], keyPath, issues);
      const error = await readFileColumns(connection, file, columns, partitions.keys(), issues);
      firstReadError ??= error;
    }
  });

  if (issues.length > 0) {
    const distinct = groupRepeatedIssues(issues);
    const [first] = distinct;
    const summary =
      first && distinct.length === 1
        ? `${first.keyPath}: ${first.message}`
        : `${distinct.length} problems`;
    throw new SchemaInferenceError(`cannot infer a schema from ${source}: ${summary}`, distinct, {
      cause: firstReadError,
    });
  }

  return {
    columns: columns.columns(),
    partitionKeys: partitions.partitionKeys(),
    partitions: partitions.partitions(),
    widenings: columns.widenings(),
    fileCount: request.files.length,
  };
}

/** Read one file's columns into the merger. Returns the DuckDB error when the file cannot be read. */
async function readFileColumns(
  connection: DuckDBConnection,
  file: ParquetFileInput,
  merger: FileColumnMerger,
  partitionKeys: ReadonlySet<string>,
  issues: InferenceIssue[],
): Promise<unknown> {
  const keyPath = file.label ?? file.path;
  if (!isAbsolute(file.path)) {
    issues.push({ kind: 'not-local', keyPath, message: 'the path is not an absolute local path' });
    return undefined;
  }

  let fileColumns;
  try {
    fileColumns = await readParquetFileColumns(connection, file.path);
  } catch (error) {
    const reason = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
    issues.push({
      kind: 'unreadable-file',
      keyPath,
      message: `cannot be read as Parquet: ${reason}`,
    });
    return error;
  }

  const location = describeLocation(file);
  for (const column of fileColumns) {
    const nameIssue = catalogNameIssue('column', column.name, keyPath);
    if (nameIssue) {
      issues.push({ kind: 'invalid-name', keyPath, message: nameIssue.message });
      continue;
    }
    if (partitionKeys.has(column.name)) {
      const message = `column "${column.name}" has the name of a partition key`;
      issues.push({ kind: 'partition-key-in-file', keyPath, message });
      continue;
    }

    const reading = readDuckDbType(column.duckDbType);
    if ('unsupported' in reading) {
      const message = `column "${column.name}" has type ${column.duckDbType}, ${reading.unsupported}`;
      issues.push({ kind: 'unsupported-type', keyPath, message });
      continue;
    }
    merger.add(column.name, reading.type, location, keyPath, issues);
  }
  return undefined;
}

/**
 * Keep one issue for each problem that repeats across files, such as the same
 * unsupported column in every file, at the first file with a count of the others.
 */
function groupRepeatedIssues(issues: readonly InferenceIssue[]): InferenceIssue[] {
  const groups = new Map<string, { issue: InferenceIssue; count: number }>();
  for (const issue of issues) {
    const key = `${issue.kind}\u0000${issue.message}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { issue, count: 1 });
  }
  return [...groups.values()].map(({ issue, count }) =>
    count === 1
      ? issue
      : {
          ...issue,
          message: `${issue.message} (also in ${count - 1} other file${count === 2 ? '' : 's'})`,
        },
  );
}

/** Name a file's location in messages, by its partition when it has one. */
function describeLocation(file: ParquetFileInput): string {
  const label = file.label ?? file.path;
  if (!file.partition || file.partition.length === 0) return `file ${label}`;
  return `partition ${partitionFolderPath(file.partition)} (file ${basename(label)})`;
}
