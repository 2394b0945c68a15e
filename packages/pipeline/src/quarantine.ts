import { formatPosition, type ErrorPosition } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';

/** One input part that failed to decode, map or validate. */
export interface QuarantineItem {
  /** Landing key of the file it came from. */
  landingKey: string;
  fileSha256: string;
  position: ErrorPosition;
  /** Stage that rejected it: decode, map or validate; publish when a stream did not accept a record. */
  stage: 'decode' | 'map' | 'validate' | 'publish';
  reason: string;
  /** The rejected text (a message, a line), when the decoder can isolate it; the file stays in landing/. */
  content?: string;
  /** The stream record it came from, for items of stream pipelines. */
  streamRecord?: QuarantinedStreamRecord;
}

/**
 * Origin of a quarantined stream record, or what became of it. A record the stream stored has a
 * shard id and sequence number; a record the producer dead-lettered has the PutRecords error code.
 */
export interface QuarantinedStreamRecord {
  stream: string;
  partitionKey: string;
  shardId?: string;
  /** Decimal string of up to 129 digits. */
  sequenceNumber?: string;
  /** 0-based position inside a KPL aggregated record; 0 for a plain record. */
  subSequenceNumber?: number;
  /** PutRecords `ErrorCode` of a dead-lettered record, such as `ProvisionedThroughputExceededException`. */
  errorCode?: string;
  /** PutRecords calls that carried a dead-lettered record. */
  attempts?: number;
}

/**
 * Write a quarantine item under a key derived from its file and position, so
 * the same problem found twice is stored once.
 */
export async function quarantine(store: ObjectStore, pipeline: string, item: QuarantineItem): Promise<string> {
  const where = formatPosition({ ...item.position, file: undefined }).replace(/[^A-Za-z0-9]+/g, '-') || 'file';
  const key = `quarantine/${pipeline}/${item.fileSha256}/${item.stage}-${where}.json`;
  const body = JSON.stringify({ ...item, where: formatPosition(item.position) }, null, 1);
  await store.put(key, body, { contentType: 'application/json' });
  return key;
}
