import type { ColumnType } from '@carelake/core';

/**
 * The Hive classes Glue and Athena use to read and write Parquet tables, as in
 * Glue's `StorageDescriptor.InputFormat`, `OutputFormat` and
 * `SerdeInfo.SerializationLibrary`.
 */
export interface StorageFormat {
  inputFormat: string;
  outputFormat: string;
  serde: string;
}

export const PARQUET_STORAGE_FORMAT: Readonly<StorageFormat> = Object.freeze({
  inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
});

/** The only table type carelake writes: data files it owns, registered by location. */
export type TableType = 'EXTERNAL_TABLE';

/** A column or partition key, like Glue's `Column`. */
export interface CatalogColumn {
  name: string;
  /** Hive type name as Glue and Athena spell it. */
  type: ColumnType;
  comment?: string;
  /** Steward metadata as `carelake.*` keys, such as `carelake.classification`. */
  parameters: Record<string, string>;
}

/** A column as given to `upsertTable`, where `parameters` defaults to none. */
export interface ColumnInput {
  name: string;
  type: ColumnType;
  comment?: string;
  parameters?: Record<string, string>;
}

/**
 * A table definition to register, shaped like Glue's `TableInput` with the
 * `StorageDescriptor` fields carelake uses lifted to the top. Partition keys are
 * not repeated among `columns`, as Glue requires.
 */
export interface TableInput {
  database: string;
  name: string;
  description?: string;
  /** Defaults to `EXTERNAL_TABLE`. */
  tableType?: TableType;
  /** Lake key prefix (`curated/clinical/patients/`) or `s3://` URI of the data files. */
  location: string;
  columns: ColumnInput[];
  /** Defaults to none. */
  partitionKeys?: ColumnInput[];
  /** Defaults to none. Must hold nothing volatile, so that registering the same table twice changes nothing. */
  parameters?: Record<string, string>;
  /** Defaults to `PARQUET_STORAGE_FORMAT`. */
  storage?: StorageFormat;
}

/** A registered table, like Glue's `Table`. */
export interface CatalogTable {
  database: string;
  name: string;
  description?: string;
  tableType: TableType;
  location: string;
  columns: CatalogColumn[];
  partitionKeys: CatalogColumn[];
  /** Includes `classification=parquet`, and steward metadata as `carelake.*` keys. */
  parameters: Record<string, string>;
  storage: StorageFormat;
  createdAt: Date;
  /** Time of the last change to the definition. An upsert of an identical definition leaves it. */
  updatedAt: Date;
  /** 1 when created, one more at each change of the definition. */
  version: number;
}

export interface CatalogDatabase {
  name: string;
  description?: string;
  createdAt: Date;
}

/** A partition to register, like Glue's `PartitionInput`. */
export interface PartitionInput {
  /** One value per partition key, in the order of the table's `partitionKeys`. */
  values: string[];
  /** Lake key prefix or `s3://` URI of the partition's data files. */
  location: string;
  /** Defaults to none. */
  parameters?: Record<string, string>;
}

export interface CatalogPartition {
  values: string[];
  location: string;
  parameters: Record<string, string>;
}

export interface UpsertTableResult {
  created: boolean;
  /** False when the stored definition was already identical, so nothing was written. */
  changed: boolean;
  version: number;
}

/**
 * The registry of every table carelake writes: the Glue Data Catalog on AWS and
 * a SQLite file locally. Both check input with `normalizeTableInput` (names that
 * Athena can query, Glue's length limits), so a table that registers locally
 * also registers on AWS. Invalid input and missing databases or tables reject
 * with a `CatalogError`, but a failure of the store itself (a file locked past
 * the busy timeout, a full disk) rejects with the store's own error.
 */
export interface Catalog {
  /** Create the database if it is missing. A given description replaces the stored one. */
  ensureDatabase(name: string, description?: string): Promise<void>;
  /** Every database, by name. */
  listDatabases(): Promise<CatalogDatabase[]>;
  /** The table, or undefined when it or its database does not exist. */
  getTable(database: string, name: string): Promise<CatalogTable | undefined>;
  /**
   * Tables of one database, or of every database when none is given, ordered by
   * database and name. Rejects with `DatabaseNotFoundError` for a missing database.
   */
  listTables(database?: string): Promise<CatalogTable[]>;
  /**
   * Create the table or replace its definition. Upserting a definition equal to
   * the stored one writes nothing and returns `changed: false` with the version
   * unchanged, so running a pipeline again changes nothing. The database must
   * exist (`DatabaseNotFoundError`).
   */
  upsertTable(input: TableInput): Promise<UpsertTableResult>;
  /** Delete the table with its partitions. `deleted` is false when it did not exist. */
  deleteTable(database: string, name: string): Promise<{ deleted: boolean }>;
  /**
   * Register partitions, leaving existing ones (same values) untouched, so a
   * retried commit can register its partitions again. `added` counts new ones.
   * Takes any number, so an implementation over Glue must split them into
   * `BatchCreatePartition` calls of at most 100.
   */
  addPartitions(
    database: string,
    table: string,
    partitions: PartitionInput[],
  ): Promise<{ added: number }>;
  /** Partitions of the table, ordered by their values. */
  listPartitions(database: string, table: string): Promise<CatalogPartition[]>;
  /** Delete partitions by their values. Missing ones are skipped and not counted. */
  deletePartitions(
    database: string,
    table: string,
    partitionValues: string[][],
  ): Promise<{ deleted: number }>;
  close(): Promise<void>;
}
