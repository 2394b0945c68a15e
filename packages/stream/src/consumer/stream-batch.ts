import type { StreamPosition } from '../checkpoint/stream-position';
import type { StreamError } from '../errors';

/** A user record read from a shard, decrypted and taken out of its aggregated record. */
export interface StreamRecord extends StreamPosition {
  shardId: string;
  partitionKey: string;
  explicitHashKey?: string;
  /** When Kinesis received the record. */
  approximateArrivalTimestamp: Date;
  data: Uint8Array;
  /** Whether the record came out of a KPL aggregated record. */
  aggregated: boolean;
}

/** A record that could not be read, such as an envelope that fails authentication. */
export interface UnreadableStreamRecord extends StreamPosition {
  shardId: string;
  partitionKey: string;
  approximateArrivalTimestamp: Date;
  /** The data as it was on the stream. */
  data: Uint8Array;
  error: StreamError;
}

/** Records of one GetRecords page of one shard, handed to `onBatch`. */
export interface StreamBatch {
  streamName: string;
  shardId: string;
  /** In shard order. Empty when every record of the page went to `deadLetter`. */
  records: StreamRecord[];
  /** Records of the page given to `deadLetter` before this batch. */
  deadLetteredCount: number;
  /** Position of the first record of the batch, dead-lettered ones included. */
  firstPosition: StreamPosition;
  /** Position of the last record of the batch, dead-lettered ones included: what `commit` stores. */
  lastPosition: StreamPosition;
  /** How far the shard's newest record is ahead of this page, as GetRecords reported it. */
  millisBehindLatest: number | undefined;
  /**
   * Store `lastPosition` as the shard's checkpoint. Call it once the batch is
   * durably written. Until then a restart reads the batch again. Committing a
   * batch also commits the earlier batches of its shard.
   */
  commit(): Promise<void>;
}

/** Stores records the consumer could not read, such as in the quarantine zone. Resolve only once they are durable. */
export type UnreadableRecordHandler = (records: UnreadableStreamRecord[]) => Promise<void>;

/** Counters of a consumer since it was created. */
export interface ConsumerStats {
  batchesDelivered: number;
  recordsDelivered: number;
  /** Records at or before a stored checkpoint, read again after a restart and not delivered. */
  recordsSkipped: number;
  recordsDeadLettered: number;
  getRecordsCalls: number;
  /** New iterators fetched after `ExpiredIteratorException`. */
  iteratorRenewals: number;
  /** GetRecords calls that were throttled or failed and were repeated after a backoff. */
  getRecordsRetries: number;
  /** Shards read to their end with every record committed. */
  shardsFinished: number;
}
