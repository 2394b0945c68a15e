/** A record to put on the stream. */
export interface ProducerRecord {
  /** 1 to 256 characters; records with the same key go to the same shard, in order. */
  partitionKey: string;
  data: Uint8Array;
  /** Decimal 128-bit hash key that chooses the shard instead of the partition key's MD5. */
  explicitHashKey?: string;
  /** Caller's id for the record (a message control id, a file position), named in errors. Never a field value. */
  id?: string;
}

/** Location of a record on the stream: its shard, sequence number and sub-sequence number. */
export interface PutResult {
  shardId: string;
  sequenceNumber: string;
  /** 0-based position inside an aggregated record; 0 for a plain record. */
  subSequenceNumber: number;
  aggregated: boolean;
}

/** A record the stream did not accept, handed to the producer's `deadLetter` callback. */
export interface DeadLetterRecord {
  /** 0-based index of the `put` call. */
  index: number;
  id?: string;
  partitionKey: string;
  explicitHashKey?: string;
  /** The data as the caller passed it to `put`, before encryption. */
  data: Uint8Array;
  /** PutRecords entry `ErrorCode`, or the name of the error that failed the last call. */
  errorCode: string;
  errorMessage?: string;
  /** PutRecords calls that carried the record. */
  attempts: number;
}

/** Stores records the stream did not accept, such as in the quarantine zone. Resolve only once they are durable. */
export type DeadLetterHandler = (records: DeadLetterRecord[]) => Promise<void>;

/** Counters of a producer since it was created. */
export interface ProducerStats {
  /** Records accepted by `put` into the buffer. */
  recordsBuffered: number;
  /** Records the stream accepted. */
  recordsAccepted: number;
  /** Records given to `deadLetter` after their retries. */
  recordsDeadLettered: number;
  /** Records that failed without reaching `deadLetter`: no callback, the callback failed, or a non-retryable error. */
  recordsFailed: number;
  /** PutRecords calls made, retries included. */
  putRecordsCalls: number;
  /** PutRecords entries sent again after a failure. */
  entriesRetried: number;
}
