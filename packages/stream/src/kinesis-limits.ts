// Kinesis Data Streams limits, from the API reference pages of PutRecords,
// PutRecordsRequestEntry, GetRecords and GetShardIterator. The local stream
// enforces the same ones, so a pipeline that passes locally also fits on AWS.

/** PutRecords takes 1 to 500 entries per call. */
export const MAX_PUT_RECORDS_ENTRIES = 500;

/**
 * Request size the producer keeps to by default: 5 MiB, data and partition keys
 * together. The current PutRecords page allows 10 MiB per request on streams whose
 * maximum record size was raised above 1 MiB, and older copies of the page give
 * 5 MiB. 5 MiB is valid on every stream.
 */
export const DEFAULT_MAX_PUT_RECORDS_BYTES = 5 * 1024 * 1024;

/** Request size allowed on streams whose maximum record size is above 1 MiB. */
export const LARGE_RECORD_MAX_PUT_RECORDS_BYTES = 10 * 1024 * 1024;

/** Default maximum size of one record: the data blob plus the UTF-8 partition key. */
export const DEFAULT_MAX_RECORD_BYTES = 1024 * 1024;

/** Largest maximum record size a stream can be given (`MaxRecordSizeInKiB` 10240). */
export const MAX_RECORD_BYTES_CEILING = 10 * 1024 * 1024;

/** Partition keys are 1 to 256 Unicode characters. */
export const MAX_PARTITION_KEY_LENGTH = 256;

/** `ExplicitHashKey` is a decimal 128-bit integer. */
export const EXPLICIT_HASH_KEY_PATTERN = /^(0|[1-9]\d{0,38})$/;

/** `SequenceNumber` is a decimal string of up to 129 digits. */
export const SEQUENCE_NUMBER_PATTERN = /^(0|[1-9]\d{0,128})$/;

/** GetRecords returns at most 10,000 records per call (`Limit` 1 to 10000). */
export const MAX_GET_RECORDS_LIMIT = 10_000;

/** A shard iterator expires five minutes after it is returned. */
export const SHARD_ITERATOR_LIFETIME_MS = 5 * 60_000;

/** Stream and consumer names: 1 to 128 characters of `[a-zA-Z0-9_.-]`. */
export const STREAM_NAME_PATTERN = /^[a-zA-Z0-9_.-]{1,128}$/;
