import type { ColumnType } from '@carelake/core';
import type { ColumnInput } from '../catalog';
import {
  SchemaEvolutionError,
  TYPE_CHANGE_HINT,
  type SchemaConflict,
  type SchemaConflictKind,
} from './errors';
import { compareWidth } from './file-types';

/** A column of the schema that new data is written with, compared against the catalog's. */
export interface IncomingColumn extends ColumnInput {
  /** False when every row must have a value. Defaults to true. */
  nullable?: boolean;
  /** The partition, file or schema where this type was seen, named in messages. */
  seenIn?: string;
}

export interface EvolutionContext {
  /** The table as `database.table`, named in every message. */
  table: string;
  /** Source of the incoming columns, named for columns without `seenIn`. Defaults to `the incoming schema`. */
  incomingSource?: string;
}

/** One accepted change to a table's columns. */
export type SchemaChange =
  | { kind: 'added'; column: string; type: ColumnType; seenIn: string; message: string }
  | {
      kind: 'widened';
      column: string;
      from: ColumnType;
      to: ColumnType;
      seenIn: string;
      message: string;
    }
  | { kind: 'absent'; column: string; type: ColumnType; message: string };

export interface AcceptedEvolution {
  accepted: true;
  /** The table's columns after the change: the current ones in their order, then the new ones. */
  columns: ColumnInput[];
  changes: SchemaChange[];
}

export interface RejectedEvolution {
  accepted: false;
  conflicts: SchemaConflict[];
}

export type SchemaEvolution = AcceptedEvolution | RejectedEvolution;

/**
 * Merge the columns that new data is written with into a registered table's
 * columns. A new column is added at the end, in incoming order. A type that
 * widens (int to bigint) replaces the current one. A column missing from the
 * incoming schema stays, because Athena reads it as null in files without it.
 * A type that narrows or changes otherwise, a new column that is not nullable
 * and a column declared twice are conflicts, all returned together.
 * A table with no columns yet takes every incoming column.
 */
export function evolveSchema(
  current: readonly ColumnInput[],
  incoming: readonly IncomingColumn[],
  context: EvolutionContext,
): SchemaEvolution {
  const conflicts = duplicateConflicts(incoming, context);
  const changes: SchemaChange[] = [];
  const incomingByName = new Map(incoming.map((column) => [column.name, column]));
  const currentNames = new Set(current.map((column) => column.name));

  const columns = current.map((column): ColumnInput => {
    const next = incomingByName.get(column.name);
    if (!next) {
      changes.push(absentChange(column, context));
      return column;
    }
    const conflict = typeConflict(column, next, context);
    if (conflict) {
      conflicts.push(conflict);
      return column;
    }
    if (next.type !== column.type) changes.push(widenedChange(column, next, context));
    return mergeColumn(column, next);
  });

  for (const column of incomingByName.values()) {
    if (currentNames.has(column.name)) continue;
    if (current.length > 0 && column.nullable === false) {
      conflicts.push(requiredColumnConflict(column, context));
      continue;
    }
    changes.push(addedChange(column, context));
    columns.push(withoutIncomingFields(column));
  }

  return conflicts.length > 0
    ? { accepted: false, conflicts }
    : { accepted: true, columns, changes };
}

/** Return an accepted evolution, or raise `SchemaEvolutionError` listing every conflict of a rejected one. */
export function assertEvolutionAccepted(
  evolution: SchemaEvolution,
  table: string,
): AcceptedEvolution {
  if (evolution.accepted) return evolution;

  const { conflicts } = evolution;
  const [first] = conflicts;
  const summary = first && conflicts.length === 1 ? first.message : `${conflicts.length} conflicts`;
  const kinds = new Set(conflicts.map((conflict) => conflict.kind));
  const hints = [...kinds].map((kind) => CONFLICT_HINTS[kind]);
  throw new SchemaEvolutionError(`cannot change the columns of ${table}: ${summary}`, conflicts, {
    hint: [...new Set(hints)].join(' '),
  });
}

const CONFLICT_HINTS: Record<SchemaConflictKind, string> = {
  narrowed: TYPE_CHANGE_HINT,
  incompatible: TYPE_CHANGE_HINT,
  'required-column-added':
    'Declare the new column nullable, or rewrite the table with a value in every row.',
  'duplicate-column': 'Declare each column once.',
};

function typeConflict(
  current: ColumnInput,
  next: IncomingColumn,
  context: EvolutionContext,
): SchemaConflict | undefined {
  const width = compareWidth(next.type, current.type);
  if (width !== undefined && width >= 0) return undefined;

  const seenIn = seenInOf(next, context);
  const kind =
    width !== undefined || isFractionDropped(current.type, next.type) ? 'narrowed' : 'incompatible';
  const reason =
    kind === 'narrowed'
      ? 'a column type can widen but not narrow'
      : 'neither type reads as the other';
  return {
    kind,
    column: current.name,
    currentType: current.type,
    incomingType: next.type,
    seenIn,
    message: `${context.table} column "${current.name}" is ${current.type} in the catalog but ${next.type} in ${seenIn}, and ${reason}`,
  };
}

/** Double to an integer type narrows the values, though Athena reads neither as the other. */
function isFractionDropped(currentType: ColumnType, nextType: ColumnType): boolean {
  return currentType === 'double' && (nextType === 'int' || nextType === 'bigint');
}

function requiredColumnConflict(column: IncomingColumn, context: EvolutionContext): SchemaConflict {
  return {
    kind: 'required-column-added',
    column: column.name,
    incomingType: column.type,
    seenIn: seenInOf(column, context),
    message: `${context.table} column "${column.name}" is new and not nullable, but the files already in the table have no value for it`,
  };
}

function duplicateConflicts(
  incoming: readonly IncomingColumn[],
  context: EvolutionContext,
): SchemaConflict[] {
  const counts = new Map<string, { column: IncomingColumn; count: number }>();
  for (const column of incoming) {
    const entry = counts.get(column.name);
    if (entry) entry.count += 1;
    else counts.set(column.name, { column, count: 1 });
  }
  return [...counts.values()]
    .filter(({ count }) => count > 1)
    .map(({ column, count }) => ({
      kind: 'duplicate-column',
      column: column.name,
      incomingType: column.type,
      seenIn: seenInOf(column, context),
      message: `${context.table} column "${column.name}" is declared ${count} times in ${incomingSourceOf(context)}`,
    }));
}

function widenedChange(
  current: ColumnInput,
  next: IncomingColumn,
  context: EvolutionContext,
): SchemaChange {
  const seenIn = seenInOf(next, context);
  // NOTE: the Athena User Guide ("Change a column data type") states that unpartitioned
  // Parquet tables cannot read a file column as another type, so older int
  // files of such a table may fail once the column is bigint.
  return {
    kind: 'widened',
    column: current.name,
    from: current.type,
    to: next.type,
    seenIn,
    message: `${context.table} column "${current.name}" widened from ${current.type} to ${next.type}, seen in ${seenIn}`,
  };
}

function addedChange(column: IncomingColumn, context: EvolutionContext): SchemaChange {
  const seenIn = seenInOf(column, context);
  return {
    kind: 'added',
    column: column.name,
    type: column.type,
    seenIn,
    message: `${context.table} column "${column.name}" added as ${column.type}, seen in ${seenIn}`,
  };
}

function absentChange(column: ColumnInput, context: EvolutionContext): SchemaChange {
  return {
    kind: 'absent',
    column: column.name,
    type: column.type,
    message: `${context.table} column "${column.name}" is absent from ${incomingSourceOf(context)}, so it stays in the catalog and reads as null where the files lack it`,
  };
}

/** Keep the catalog's comment and parameters unless the incoming column brings its own. */
function mergeColumn(current: ColumnInput, next: IncomingColumn): ColumnInput {
  const merged: ColumnInput = { ...current, type: next.type };
  if (next.comment !== undefined) merged.comment = next.comment;
  if (next.parameters !== undefined) merged.parameters = { ...next.parameters };
  return merged;
}

function withoutIncomingFields(column: IncomingColumn): ColumnInput {
  const { name, type, comment, parameters } = column;
  const result: ColumnInput = { name, type };
  if (comment !== undefined) result.comment = comment;
  if (parameters !== undefined) result.parameters = { ...parameters };
  return result;
}

function seenInOf(column: IncomingColumn, context: EvolutionContext): string {
  return column.seenIn ?? incomingSourceOf(context);
}

function incomingSourceOf(context: EvolutionContext): string {
  return context.incomingSource ?? 'the incoming schema';
}
