import type { CarelakeErrorOptions, ColumnType } from '@carelake/core';
import { CatalogInputError, type CatalogIssue } from '../errors';

/** The kinds of problem that schema inference reports, each with its own next step. */
export type InferenceIssueKind =
  | 'no-files'
  | 'not-local'
  | 'unreadable-file'
  | 'unsupported-type'
  | 'invalid-name'
  | 'type-conflict'
  | 'partition-layout'
  | 'partition-key-in-file';

/**
 * One problem found while reading data files. `keyPath` is the file or folder,
 * relative to the table folder when a folder was walked.
 */
export interface InferenceIssue extends CatalogIssue {
  kind: InferenceIssueKind;
}

/** The Athena behaviour behind every rejected type change, shared by inference and evolution. */
export const TYPE_CHANGE_HINT =
  'Athena fails queries on a table whose files store a column in a type it cannot read as the declared one. ' +
  'Write the new type into a new column, or rewrite the table with one type.';

const INFERENCE_HINTS: Record<InferenceIssueKind, string> = {
  'no-files':
    'Point at the folder that contains the *.parquet files. Names starting with "_" or "." are skipped.',
  'not-local': 'Give the absolute path of a local Parquet file.',
  'unreadable-file':
    'Check that each listed file is a complete Parquet file that is not encrypted at rest, or move it out of the table folder.',
  'unsupported-type':
    'Write such columns as string, int, bigint, double, boolean, date or timestamp, or move those files out of the table folder.',
  'invalid-name':
    'Rename columns and partition folders to lower case letters, digits and "_", as Glue and Athena require.',
  'type-conflict': TYPE_CHANGE_HINT,
  'partition-layout':
    'Put every data file under the same key=value folders, in the same order, or move the other files out of the table folder.',
  'partition-key-in-file':
    'Leave partition keys out of the files, because Athena reads their values from the folder names.',
};

/**
 * Data files whose schema cannot be registered. Every problem found in one run
 * is listed in `issues`, and the hint gives the next step for each kind found.
 */
export class SchemaInferenceError extends CatalogInputError {
  declare readonly issues: readonly InferenceIssue[];

  constructor(
    message: string,
    issues: readonly InferenceIssue[],
    options: Omit<CarelakeErrorOptions, 'hint'> = {},
  ) {
    const kinds = [...new Set(issues.map((issue) => issue.kind))];
    super(message, issues, {
      ...options,
      hint: kinds.map((kind) => INFERENCE_HINTS[kind]).join(' '),
    });
  }
}

/** The kinds of schema change that the evolution rules reject. */
export type SchemaConflictKind =
  'narrowed' | 'incompatible' | 'required-column-added' | 'duplicate-column';

/** One rejected change to a registered table's columns. */
export interface SchemaConflict {
  kind: SchemaConflictKind;
  column: string;
  /** The type in the catalog, absent for a column the catalog does not have. */
  currentType?: ColumnType;
  incomingType: ColumnType;
  /** The partition, file or schema where the incoming type was seen. */
  seenIn: string;
  message: string;
}

/** A change to a registered table's columns that Athena could not query. Lists every conflict found. */
export class SchemaEvolutionError extends CatalogInputError {
  readonly conflicts: readonly SchemaConflict[];

  constructor(
    message: string,
    conflicts: readonly SchemaConflict[],
    options: CarelakeErrorOptions = {},
  ) {
    const issues = conflicts.map((conflict) => ({
      keyPath: `columns.${conflict.column}`,
      message: conflict.message,
    }));
    super(message, issues, options);
    this.conflicts = conflicts;
  }
}
