import { canonicalJson, COLUMN_TYPES } from '@carelake/core';
import {
  PARQUET_STORAGE_FORMAT,
  type CatalogColumn,
  type CatalogTable,
  type ColumnInput,
  type TableInput,
} from './catalog';
import { InvalidTableInputError, type CatalogIssue } from './errors';
import {
  MAX_COLUMN_COMMENT_BYTES,
  MAX_PARAMETER_KEY_BYTES,
  MAX_PARAMETER_VALUE_BYTES,
  MAX_TABLE_DESCRIPTION_BYTES,
  utf8Bytes,
} from './glue-limits';
import { catalogNameIssue, invalidNamesError } from './names';

/** A table without its timestamps and version, which is what `upsertTable` stores and compares. */
export type TableDefinition = Omit<CatalogTable, 'createdAt' | 'updatedAt' | 'version'>;

/**
 * Validate a table input and fill in its defaults. Raises
 * `InvalidCatalogNameError` listing every invalid name, else
 * `InvalidTableInputError` listing every other problem.
 */
export function normalizeTableInput(input: TableInput): TableDefinition {
  const partitionKeys = input.partitionKeys ?? [];
  checkNames(input, partitionKeys);

  const issues: CatalogIssue[] = [];
  if (input.columns.length === 0) {
    issues.push({
      keyPath: 'columns',
      message: 'a table needs at least one column besides its partition keys',
    });
  }
  if (input.location.trim() === '') {
    issues.push({
      keyPath: 'location',
      message: 'location is empty, expected the lake key prefix or s3:// URI of the data files',
    });
  }
  if (input.description !== undefined) {
    const bytes = utf8Bytes(input.description);
    if (bytes > MAX_TABLE_DESCRIPTION_BYTES) {
      issues.push({
        keyPath: 'description',
        message: `description is ${bytes} bytes, Glue allows at most ${MAX_TABLE_DESCRIPTION_BYTES}`,
      });
    }
  }
  checkColumns(input.columns, 'columns', issues);
  checkColumns(partitionKeys, 'partitionKeys', issues);
  checkDuplicateNames(input.columns, partitionKeys, issues);
  checkParameters(input.parameters ?? {}, 'parameters', issues);

  if (issues.length > 0) {
    const [first] = issues;
    const summary = first && issues.length === 1 ? first.message : `${issues.length} problems`;
    const message = `invalid table ${input.database}.${input.name}: ${summary}`;
    throw new InvalidTableInputError(message, issues);
  }

  const definition: TableDefinition = {
    database: input.database,
    name: input.name,
    tableType: input.tableType ?? 'EXTERNAL_TABLE',
    location: input.location,
    columns: input.columns.map(normalizeColumn),
    partitionKeys: partitionKeys.map(normalizeColumn),
    parameters: { ...(input.parameters ?? {}) },
    storage: { ...(input.storage ?? PARQUET_STORAGE_FORMAT) },
  };
  if (input.description !== undefined) definition.description = input.description;
  return definition;
}

/** Compare two definitions whatever the order of their parameter keys. */
export function isSameDefinition(left: TableDefinition, right: TableDefinition): boolean {
  return canonicalJson(left) === canonicalJson(right);
}

/** Check parameter keys and values against Glue's length limits. */
export function checkParameters(
  parameters: Record<string, string>,
  keyPath: string,
  issues: CatalogIssue[],
): void {
  for (const [key, value] of Object.entries(parameters)) {
    const keyBytes = utf8Bytes(key);
    if (keyBytes === 0 || keyBytes > MAX_PARAMETER_KEY_BYTES) {
      issues.push({
        keyPath,
        message: `parameter key "${key.slice(0, 60)}" is ${keyBytes} bytes, Glue allows 1 to ${MAX_PARAMETER_KEY_BYTES}`,
      });
    }
    if (typeof value !== 'string') {
      issues.push({
        keyPath: `${keyPath}.${key}`,
        message: `parameter value is a ${typeof value}, expected a string`,
      });
    } else if (utf8Bytes(value) > MAX_PARAMETER_VALUE_BYTES) {
      issues.push({
        keyPath: `${keyPath}.${key}`,
        message: `parameter value is ${utf8Bytes(value)} bytes, Glue allows at most ${MAX_PARAMETER_VALUE_BYTES}`,
      });
    }
  }
}

function checkNames(input: TableInput, partitionKeys: ColumnInput[]): void {
  const issues = [
    catalogNameIssue('database', input.database, 'database'),
    catalogNameIssue('table', input.name, 'name'),
    ...input.columns.map((column, index) =>
      catalogNameIssue('column', column.name, `columns[${index}].name`),
    ),
    ...partitionKeys.map((key, index) =>
      catalogNameIssue('partition key', key.name, `partitionKeys[${index}].name`),
    ),
  ].filter((issue): issue is CatalogIssue => issue !== undefined);
  if (issues.length > 0) throw invalidNamesError(issues);
}

function checkColumns(columns: ColumnInput[], keyPath: string, issues: CatalogIssue[]): void {
  columns.forEach((column, index) => {
    const at = `${keyPath}[${index}]`;
    if (!(COLUMN_TYPES as readonly string[]).includes(column.type)) {
      issues.push({
        keyPath: `${at}.type`,
        message: `column "${column.name}" has type "${column.type}", expected one of ${COLUMN_TYPES.join(', ')}`,
      });
    }
    if (column.comment !== undefined && utf8Bytes(column.comment) > MAX_COLUMN_COMMENT_BYTES) {
      issues.push({
        keyPath: `${at}.comment`,
        message: `comment of column "${column.name}" is ${utf8Bytes(column.comment)} bytes, Glue allows at most ${MAX_COLUMN_COMMENT_BYTES}`,
      });
    }
    checkParameters(column.parameters ?? {}, `${at}.parameters`, issues);
  });
}

/** Names are unique across data columns and partition keys together, as Athena reads them as one row. */
function checkDuplicateNames(
  columns: ColumnInput[],
  partitionKeys: ColumnInput[],
  issues: CatalogIssue[],
): void {
  const seen = new Map<string, string>();
  const all = [
    ...columns.map((column, index) => ({ column, at: `columns[${index}].name` })),
    ...partitionKeys.map((column, index) => ({ column, at: `partitionKeys[${index}].name` })),
  ];
  for (const { column, at } of all) {
    const first = seen.get(column.name);
    if (first === undefined) {
      seen.set(column.name, at);
      continue;
    }
    const hint =
      at.startsWith('partitionKeys') && first.startsWith('columns')
        ? '. Leave partition keys out of columns'
        : '';
    issues.push({
      keyPath: at,
      message: `column "${column.name}" is already declared at ${first}${hint}`,
    });
  }
}

function normalizeColumn(column: ColumnInput): CatalogColumn {
  const normalized: CatalogColumn = {
    name: column.name,
    type: column.type,
    parameters: { ...(column.parameters ?? {}) },
  };
  if (column.comment !== undefined) normalized.comment = column.comment;
  return normalized;
}
