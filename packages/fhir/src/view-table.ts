import { sha256Hex, type ColumnType, type DatasetDefinition } from '@carelake/core';
import { FhirMappingError } from './errors';
import { parseFhirDate, parseFhirDateTime, parseFhirInstant } from './fhir-dates';
import { describeJsonType } from './resource-check';
import type { ResourceIdentity } from './resource-identity';
import type { FhirMappingContext, Row } from './rows';
import type { FhirEntry } from './types';
import { deriveViewDataset, viewTableName } from './view-dataset';
import type { CompiledView } from './views';

/** A compiled view with the table it writes. */
export interface FhirViewTable {
  /** `fhir.<view name>`. */
  table: string;
  view: CompiledView;
  /** The derived dataset, with the steward metadata of the table's dataset file when there is one. */
  dataset: DatasetDefinition;
  /**
   * Maps one entry of the view's resource type to the table's rows, each with the
   * lineage columns. A resource version yields the view's rows, or one marker row
   * with `is_deleted` true when the view yields none (a `where` filters it out, or a
   * `forEach` finds nothing), so that it still supersedes the version before it in
   * `_current`. A DELETE yields one row with `is_deleted` true. View columns are null
   * in marker and delete rows.
   *
   * Throws `FhirMappingError` when the resource has no id or a value does not fit
   * its column's type, and `ViewEvaluationError` when the view cannot evaluate the
   * resource. Both name the position and never a value.
   */
  mapRows(entry: FhirEntry, identity: ResourceIdentity, context: FhirMappingContext): Row[];
}

/**
 * Pairs a compiled view with its table and dataset (see `deriveViewDataset`).
 * @throws ConfigError when the view cannot be a table or does not match its dataset file.
 */
export function createFhirViewTable(view: CompiledView, stewardDataset?: DatasetDefinition): FhirViewTable {
  const table = viewTableName(view);
  const dataset = deriveViewDataset(view, stewardDataset);
  const columns = view.columns.map((column) => ({
    name: column.name,
    type: dataset.columns[column.name]?.type ?? 'string',
  }));

  const mapRows = (entry: FhirEntry, identity: ResourceIdentity, context: FhirMappingContext): Row[] => {
    const { resourceType } = entry.resource;
    if (identity.id === null) {
      throw new FhirMappingError(`${resourceType}.id is missing; ${table} needs it for resource_key`, {
        position: { file: context.sourceFile, record: entry.position, field: `${resourceType}.id` },
      });
    }
    // `ordinal` is the row's 0-based index among the version's rows, or `empty` for a marker or delete row.
    const lineage = (ordinal: number | 'empty', isDeleted: boolean, lastUpdated: Date | null): Row => ({
      resource_key: `${resourceType}/${identity.id}`,
      version_id: identity.versionId,
      last_updated: lastUpdated,
      is_deleted: isDeleted,
      record_hash: sha256Hex(`${identity.recordHash}#${ordinal}`),
      source_file: context.sourceFile,
      source_position: entry.position,
      ingested_at: context.ingestedAt,
    });
    const emptyRow = (isDeleted: boolean, lastUpdated: Date | null): Row => ({
      ...Object.fromEntries(columns.map((column) => [column.name, null])),
      ...lineage('empty', isDeleted, lastUpdated),
    });

    if (entry.deleted) {
      // NOTE: a delete that the bundle does not date gets its ingestion time, so it supersedes every
      // version stored before it. A later version without meta.lastUpdated then sorts before it.
      const deletedAt = entry.deletedAt === undefined ? undefined : parseFhirInstant(entry.deletedAt);
      return [emptyRow(true, deletedAt ?? context.ingestedAt)];
    }

    const viewRows = view.evaluate(entry.resource);
    if (viewRows.length === 0) return [emptyRow(true, identity.lastUpdated)];
    return viewRows.map((viewRow, ordinal) => {
      const row: Row = {};
      for (const column of columns) {
        const value = viewRow[column.name];
        const cell = toCell(value, column.type);
        if (cell === undefined) throw cellError(table, column.name, column.type, value, entry, context);
        row[column.name] = cell;
      }
      return Object.assign(row, lineage(ordinal, false, identity.lastUpdated));
    });
  };

  return { table, view, dataset, mapRows };
}

/** Converts a view value to the lake type of its column, or returns undefined when it does not fit. */
function toCell(value: unknown, type: ColumnType): Row[string] | undefined {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'string':
      if (typeof value === 'string') return value;
      if (typeof value === 'number' || typeof value === 'boolean') return String(value);
      // Collection columns and complex types, such as a CodeableConcept, are stored as JSON text.
      return JSON.stringify(value);
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined;
    case 'int':
      return Number.isInteger(value) && (value as number) >= -(2 ** 31) && (value as number) < 2 ** 31
        ? (value as number)
        : undefined;
    case 'bigint':
      return Number.isSafeInteger(value) ? (value as number) : undefined;
    case 'double':
      return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    case 'date':
      return typeof value === 'string' ? parseFhirDate(value) : undefined;
    case 'timestamp':
      return typeof value === 'string' ? parseFhirDateTime(value) : undefined;
  }
}

function cellError(
  table: string,
  column: string,
  type: ColumnType,
  value: unknown,
  entry: FhirEntry,
  context: FhirMappingContext,
): FhirMappingError {
  return new FhirMappingError(`${table}.${column} has type ${type}, but the view returned ${describeJsonType(value)}`, {
    position: { file: context.sourceFile, record: entry.position, field: column },
    hint: 'Declare the type the column path returns in the view, or narrow the path.',
  });
}
