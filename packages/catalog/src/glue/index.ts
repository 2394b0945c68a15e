export { GlueCatalog, type GlueCatalogOptions, type SwitchLocationsResult } from './glue-catalog';
export {
  GlueDatabaseNotFoundError,
  GluePartitionBatchError,
  GlueRequestError,
  RETRYABLE_ERROR_CODES,
  type GlueOperation,
  type GlueTarget,
} from './glue-errors';
export {
  MAX_ENTRIES_PER_BATCH_UPDATE,
  MAX_PARTITIONS_PER_BATCH_CREATE,
  MAX_PARTITIONS_PER_BATCH_DELETE,
} from './glue-partition-batches';
export { HIVE_TYPE_NAMES } from './glue-requests';
export { UnsupportedGlueColumnTypeError } from './glue-responses';
export {
  DEFAULT_BASE_DELAY_MS,
  DEFAULT_MAX_ATTEMPTS,
  DEFAULT_MAX_DELAY_MS,
  type GlueRetryEvent,
  type GlueRetryOptions,
} from './glue-retry';
export { S3Locations } from './s3-locations';
export { SYMLINK_MANIFEST_STORAGE_FORMAT } from './storage-formats';
