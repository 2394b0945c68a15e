import type { StorageFormat } from '../catalog';

/**
 * Storage classes of a Parquet table read through symlink manifests: each
 * location contains a `manifest` text file that lists the data files to read,
 * instead of the data files themselves. Tables on S3 use it, so that Athena
 * reads only the files of committed versions (Hive's `SymlinkTextInputFormat`,
 * as in Delta Lake's Presto and Athena integration).
 */
export const SYMLINK_MANIFEST_STORAGE_FORMAT: Readonly<StorageFormat> = Object.freeze({
  inputFormat: 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
  outputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
  serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
});
