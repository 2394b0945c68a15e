import type { ColumnType } from '@carelake/core';
import type {
  Column as GlueColumn,
  PartitionInput as GluePartitionInput,
  StorageDescriptor,
  TableInput as GlueTableInput,
} from '@aws-sdk/client-glue';
import { PARQUET_STORAGE_FORMAT, type CatalogColumn, type CatalogPartition } from '../catalog';
import type { TableDefinition } from '../table-input';
import type { S3Locations } from './s3-locations';

/**
 * Hive type names as Glue and Athena spell them, for each carelake column type.
 * They happen to be the same words, but the table keeps the mapping in one place.
 */
export const HIVE_TYPE_NAMES: Readonly<Record<ColumnType, string>> = Object.freeze({
  string: 'string',
  int: 'int',
  bigint: 'bigint',
  double: 'double',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
});

/**
 * Return the definition as Glue stores it, so that an upsert can compare it
 * with the table it reads back. The location takes its canonical form. A
 * Parquet table without a `classification` parameter gets `parquet`, the table
 * property in which Glue records a table's data format.
 */
export function glueDefinition(
  definition: TableDefinition,
  locations: S3Locations,
): TableDefinition {
  const parameters = { ...definition.parameters };
  if (
    definition.storage.serde === PARQUET_STORAGE_FORMAT.serde &&
    parameters.classification === undefined
  ) {
    parameters.classification = 'parquet';
  }
  return { ...definition, location: locations.canonical(definition.location), parameters };
}

/** Build Glue's `TableInput` for a table definition. */
export function glueTableInput(
  definition: TableDefinition,
  locations: S3Locations,
): GlueTableInput {
  const input: GlueTableInput = {
    Name: definition.name,
    TableType: definition.tableType,
    Parameters: { ...definition.parameters },
    // Athena requires the list even when it is empty.
    PartitionKeys: definition.partitionKeys.map(glueColumn),
    StorageDescriptor: storageDescriptor(definition, locations.toS3Uri(definition.location)),
  };
  if (definition.description !== undefined) input.Description = definition.description;
  return input;
}

/**
 * Build Glue's `PartitionInput`. A partition has a storage descriptor of its
 * own, which Athena reads for the formats and SerDe, so it repeats the table's.
 */
export function gluePartitionInput(
  partition: CatalogPartition,
  table: TableDefinition,
  locations: S3Locations,
): GluePartitionInput {
  return {
    Values: [...partition.values],
    Parameters: { ...partition.parameters },
    StorageDescriptor: storageDescriptor(table, locations.toS3Uri(partition.location)),
  };
}

// NOTE: a partition keeps the Columns it was created or last moved with. After a
// column type change, partitions not rewritten since keep the old type, which
// Athena reports as HIVE_PARTITION_SCHEMA_MISMATCH.
function storageDescriptor(table: TableDefinition, s3Uri: string): StorageDescriptor {
  return {
    Columns: table.columns.map(glueColumn),
    Location: s3Uri,
    InputFormat: table.storage.inputFormat,
    OutputFormat: table.storage.outputFormat,
    SerdeInfo: { SerializationLibrary: table.storage.serde },
  };
}

function glueColumn(column: CatalogColumn): GlueColumn {
  const glue: GlueColumn = {
    Name: column.name,
    Type: HIVE_TYPE_NAMES[column.type],
    Parameters: { ...column.parameters },
  };
  if (column.comment !== undefined) glue.Comment = column.comment;
  return glue;
}
