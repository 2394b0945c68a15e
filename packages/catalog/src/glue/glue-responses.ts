import { COLUMN_TYPES, type ColumnType } from '@carelake/core';
import type {
  Column as GlueColumn,
  Database as GlueDatabase,
  Partition as GluePartition,
  Table as GlueTable,
} from '@aws-sdk/client-glue';
import type {
  CatalogColumn,
  CatalogDatabase,
  CatalogPartition,
  CatalogTable,
  TableType,
} from '../catalog';
import { CatalogError } from '../errors';
import type { TableDefinition } from '../table-input';
import type { S3Locations } from './s3-locations';

/** Hive spellings Glue may hold for a carelake type, when a table was written by another tool. */
const HIVE_TYPE_ALIASES: ReadonlyMap<string, ColumnType> = new Map([['integer', 'int']]);

/** Glue sets CreateTime on what it stores. The epoch marks a response without one. */
const UNKNOWN_TIME = new Date(0);

/** A Glue type name that no carelake column type maps to. */
export class UnsupportedGlueColumnTypeError extends CatalogError {}

/** Read a Glue table's definition, with locations inside the lake as key prefixes. */
export function definitionFromGlue(table: GlueTable, locations: S3Locations): TableDefinition {
  const qualified = `${table.DatabaseName ?? '?'}.${table.Name ?? '?'}`;
  const descriptor = table.StorageDescriptor ?? {};
  const definition: TableDefinition = {
    database: table.DatabaseName ?? '',
    name: table.Name ?? '',
    tableType: (table.TableType ?? 'EXTERNAL_TABLE') as TableType,
    location: locations.toLakeLocation(descriptor.Location ?? ''),
    columns: (descriptor.Columns ?? []).map((column) => catalogColumn(column, qualified)),
    partitionKeys: (table.PartitionKeys ?? []).map((column) => catalogColumn(column, qualified)),
    parameters: { ...(table.Parameters ?? {}) },
    storage: {
      inputFormat: descriptor.InputFormat ?? '',
      outputFormat: descriptor.OutputFormat ?? '',
      serde: descriptor.SerdeInfo?.SerializationLibrary ?? '',
    },
  };
  if (table.Description !== undefined) definition.description = table.Description;
  return definition;
}

export function tableFromGlue(table: GlueTable, locations: S3Locations): CatalogTable {
  const createdAt = table.CreateTime ?? UNKNOWN_TIME;
  return {
    ...definitionFromGlue(table, locations),
    createdAt,
    updatedAt: table.UpdateTime ?? createdAt,
    version: versionFromGlue(table.VersionId),
  };
}

/**
 * Return the catalog version of a Glue table: its `VersionId` plus one. Glue
 * numbers versions from "0" at creation and adds one at each `UpdateTable`,
 * while carelake numbers them from 1, as the local catalog does.
 */
export function versionFromGlue(versionId: string | undefined): number {
  const parsed = versionId === undefined ? Number.NaN : Number(versionId);
  return Number.isSafeInteger(parsed) && parsed >= 0 ? parsed + 1 : 1;
}

export function partitionFromGlue(
  partition: GluePartition,
  locations: S3Locations,
): CatalogPartition {
  return {
    values: [...(partition.Values ?? [])],
    location: locations.toLakeLocation(partition.StorageDescriptor?.Location ?? ''),
    parameters: { ...(partition.Parameters ?? {}) },
  };
}

export function databaseFromGlue(database: GlueDatabase): CatalogDatabase {
  const result: CatalogDatabase = {
    name: database.Name ?? '',
    createdAt: database.CreateTime ?? UNKNOWN_TIME,
  };
  if (database.Description !== undefined) result.description = database.Description;
  return result;
}

/** Order partitions by their values, key by key, as the local catalog does. */
export function comparePartitionValues(left: readonly string[], right: readonly string[]): number {
  const shared = Math.min(left.length, right.length);
  for (let index = 0; index < shared; index++) {
    const a = left[index] ?? '';
    const b = right[index] ?? '';
    if (a !== b) return a < b ? -1 : 1;
  }
  return left.length - right.length;
}

function catalogColumn(column: GlueColumn, qualifiedTable: string): CatalogColumn {
  const name = column.Name ?? '';
  const typeName = (column.Type ?? '').trim().toLowerCase();
  const type = (COLUMN_TYPES as readonly string[]).includes(typeName)
    ? (typeName as ColumnType)
    : HIVE_TYPE_ALIASES.get(typeName);
  if (type === undefined) {
    // NOTE: a database that also contains tables of other tools, with decimal,
    // array or struct columns, therefore cannot be listed whole by this catalog.
    throw new UnsupportedGlueColumnTypeError(
      `column "${name}" of Glue table ${qualifiedTable} has type "${column.Type ?? ''}", which carelake does not read; expected one of ${COLUMN_TYPES.join(', ')}`,
      {
        hint: 'Keep tables of other tools out of the databases carelake registers its tables in.',
      },
    );
  }
  const result: CatalogColumn = { name, type, parameters: { ...(column.Parameters ?? {}) } };
  if (column.Comment !== undefined) result.comment = column.Comment;
  return result;
}
