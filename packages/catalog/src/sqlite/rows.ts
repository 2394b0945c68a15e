import type { ColumnType } from '@carelake/core';
import type {
  CatalogColumn,
  CatalogDatabase,
  CatalogPartition,
  CatalogTable,
  TableType,
} from '../catalog';
import type { TableDefinition } from '../table-input';

// Rows as better-sqlite3 returns them from the schema in migrations.ts, and
// their conversion to the catalog model. JSON columns hold objects with sorted
// keys (canonicalJson), so equal parameters are stored as equal text.

export interface DatabaseRow {
  name: string;
  description: string | null;
  created_at: string;
}

export interface TableRow {
  id: number;
  database_name: string;
  name: string;
  description: string | null;
  table_type: string;
  location: string;
  input_format: string;
  output_format: string;
  serde: string;
  parameters: string;
  created_at: string;
  updated_at: string;
  version: number;
}

export interface ColumnRow {
  table_id: number;
  kind: 'column' | 'partition_key';
  position: number;
  name: string;
  type: string;
  comment: string | null;
  parameters: string;
}

export interface PartitionRow {
  partition_values: string;
  location: string;
  parameters: string;
}

export function databaseFromRow(row: DatabaseRow): CatalogDatabase {
  const database: CatalogDatabase = { name: row.name, createdAt: new Date(row.created_at) };
  if (row.description !== null) database.description = row.description;
  return database;
}

/** Build a table definition from its row and its column rows, ordered by kind and position. */
export function definitionFromRows(
  row: TableRow,
  columnRows: readonly ColumnRow[],
): TableDefinition {
  const definition: TableDefinition = {
    database: row.database_name,
    name: row.name,
    tableType: row.table_type as TableType,
    location: row.location,
    columns: columnRows.filter((column) => column.kind === 'column').map(columnFromRow),
    partitionKeys: columnRows
      .filter((column) => column.kind === 'partition_key')
      .map(columnFromRow),
    parameters: parseStringRecord(row.parameters),
    storage: { inputFormat: row.input_format, outputFormat: row.output_format, serde: row.serde },
  };
  if (row.description !== null) definition.description = row.description;
  return definition;
}

export function tableFromRows(row: TableRow, columnRows: readonly ColumnRow[]): CatalogTable {
  return {
    ...definitionFromRows(row, columnRows),
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
    version: row.version,
  };
}

export function partitionFromRow(row: PartitionRow): CatalogPartition {
  return {
    values: JSON.parse(row.partition_values) as string[],
    location: row.location,
    parameters: parseStringRecord(row.parameters),
  };
}

function columnFromRow(row: ColumnRow): CatalogColumn {
  const column: CatalogColumn = {
    name: row.name,
    type: row.type as ColumnType,
    parameters: parseStringRecord(row.parameters),
  };
  if (row.comment !== null) column.comment = row.comment;
  return column;
}

function parseStringRecord(json: string): Record<string, string> {
  return JSON.parse(json) as Record<string, string>;
}
