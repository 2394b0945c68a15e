import {
  ConfigError,
  sha256Hex,
  type ColumnType,
  type ConfigIssue,
  type DatasetDefinition,
  type Row,
} from '@carelake/core';
import type { StreamRecordInput } from './stream-record';
import { streamRecordId } from './stream-ranges';

/** Columns a `decode.format: raw` pipeline's table must declare, with their types. */
export const RAW_STREAM_COLUMNS: Readonly<Record<string, ColumnType>> = {
  stream_name: 'string',
  shard_id: 'string',
  sequence_number: 'string',
  sub_sequence_number: 'int',
  partition_key: 'string',
  approximate_arrival_timestamp: 'timestamp',
  data_base64: 'string',
  data_sha256: 'string',
  record_hash: 'string',
  source_file: 'string',
  ingested_at: 'timestamp',
};

/**
 * Check that a raw pipeline's table declares every stream record column with its type.
 * @throws ConfigError listing each missing or mistyped column under `columns.<name>`.
 */
export function checkRawStreamDataset(dataset: DatasetDefinition): void {
  const issues: ConfigIssue[] = [];
  for (const [name, type] of Object.entries(RAW_STREAM_COLUMNS)) {
    const column = dataset.columns[name];
    if (!column)
      issues.push({
        keyPath: `columns.${name}`,
        message: `is missing; a raw stream table needs it, of type ${type}`,
      });
    else if (column.type !== type)
      issues.push({
        keyPath: `columns.${name}`,
        message: `has type ${column.type}; a raw stream table needs ${type}`,
      });
  }
  if (issues.length > 0) {
    throw new ConfigError(`dataset ${dataset.table} cannot hold raw stream records`, issues, {
      position: { file: `${dataset.table}.dataset.yaml` },
    });
  }
}

/**
 * Build the row of one record for a raw table: its position, partition key, arrival time and bytes
 * in Base64. `record_hash` is the SHA-256 of the stream, shard and position, because a raw record
 * is known only by where it sits in the stream. Other columns of the table are null.
 */
export function rawStreamRow(
  dataset: DatasetDefinition,
  stream: string,
  record: StreamRecordInput,
  ingestedAt: Date,
): Row {
  const row: Row = Object.fromEntries(Object.keys(dataset.columns).map((name) => [name, null]));
  const recordId = streamRecordId(stream, record.shardId, record);
  return {
    ...row,
    stream_name: stream,
    shard_id: record.shardId,
    sequence_number: record.sequenceNumber,
    sub_sequence_number: record.subSequenceNumber,
    partition_key: record.partitionKey,
    approximate_arrival_timestamp: record.approximateArrivalTimestamp,
    data_base64: Buffer.from(record.data).toString('base64'),
    data_sha256: sha256Hex(record.data),
    record_hash: sha256Hex(recordId),
    source_file: recordId,
    ingested_at: ingestedAt,
  };
}
