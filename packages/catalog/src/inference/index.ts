export * from './errors';
export {
  readDuckDbType,
  compareWidth,
  catalogTypeOf,
  type FileColumnType,
  type FileTypeReading,
} from './file-types';
export {
  HIVE_DEFAULT_PARTITION,
  parsePartitionFolder,
  partitionFolderPath,
  inferPartitionKeyType,
  type HivePartitionValue,
} from './hive-partitions';
export {
  withParquetReader,
  readParquetFileColumns,
  type ParquetReaderOptions,
  type ParquetFileColumn,
} from './parquet-reader';
export type { InferredColumn, TypeWidening } from './column-merge';
export type { InferredPartition } from './partition-layout';
export {
  inferParquetSchema,
  type InferParquetSchemaRequest,
  type InferredSchema,
  type ParquetFileInput,
} from './parquet-schema';
export {
  listParquetFiles,
  inferTableFromFolder,
  type ParquetFolderListing,
  type InferredTable,
} from './folder-walk';
export {
  evolveSchema,
  assertEvolutionAccepted,
  type IncomingColumn,
  type EvolutionContext,
  type SchemaChange,
  type SchemaEvolution,
  type AcceptedEvolution,
  type RejectedEvolution,
} from './schema-evolution';
