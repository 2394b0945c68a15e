import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** Root of the errors the stream package raises. SDK and backend errors are chained as `cause`. */
export class StreamError extends CarelakeError {}

/** The Kinesis rule a record breaks. */
export type StreamRecordRule = 'partition-key' | 'explicit-hash-key' | 'record-size';

export interface InvalidStreamRecordOptions extends CarelakeErrorOptions {
  rule: StreamRecordRule;
  /** 0-based index of the `put` call that passed the record to the producer. */
  recordIndex: number;
  /** Caller's id for the record, when it gave one. */
  recordId?: string;
  sizeBytes?: number;
  limitBytes?: number;
}

/**
 * A record that breaks a Kinesis limit, rejected before it is buffered. The
 * producer never truncates a record to make it fit. The message names the
 * record by index and id and gives sizes, never the record's data.
 */
export class InvalidStreamRecordError extends StreamError {
  readonly rule: StreamRecordRule;
  readonly recordIndex: number;
  readonly recordId: string | undefined;
  readonly sizeBytes: number | undefined;
  readonly limitBytes: number | undefined;

  constructor(message: string, options: InvalidStreamRecordOptions) {
    super(message, { ...options, position: { record: options.recordIndex } });
    this.rule = options.rule;
    this.recordIndex = options.recordIndex;
    this.recordId = options.recordId;
    this.sizeBytes = options.sizeBytes;
    this.limitBytes = options.limitBytes;
  }
}

export interface StreamRecordFailedOptions extends CarelakeErrorOptions {
  /** PutRecords entry `ErrorCode`, or the name of the error that failed the whole call. */
  errorCode: string;
  /** PutRecords calls that carried the record, the first included. */
  attempts: number;
  /** Whether the producer's `deadLetter` callback stored the record. */
  deadLettered: boolean;
}

/** The stream did not accept a record: its retries ran out, or the error was not worth retrying. */
export class StreamRecordFailedError extends StreamError {
  readonly errorCode: string;
  readonly attempts: number;
  readonly deadLettered: boolean;

  constructor(message: string, options: StreamRecordFailedOptions) {
    super(message, options);
    this.errorCode = options.errorCode;
    this.attempts = options.attempts;
    this.deadLettered = options.deadLettered;
  }
}

/** `put` was called after `close`. */
export class ProducerClosedError extends StreamError {}

/** A Kinesis call failed for good: an error that is not retried, or one that outlasted its retries. */
export class StreamRequestError extends StreamError {
  /** Kinesis operation, such as `GetRecords`. */
  readonly operation: string;
  readonly shardId: string | undefined;

  constructor(
    message: string,
    operation: string,
    options: CarelakeErrorOptions & { shardId?: string } = {},
  ) {
    super(message, options);
    this.operation = operation;
    this.shardId = options.shardId;
  }
}

/** A stored checkpoint object that cannot be read. */
export class CheckpointError extends StreamError {
  /** Object key of the checkpoint. */
  readonly key: string;

  constructor(message: string, key: string, options: CarelakeErrorOptions = {}) {
    super(message, { ...options, position: { file: key, ...options.position } });
    this.key = key;
  }
}

/** Record data that is not a valid encryption envelope: truncated, or of an unknown version. */
export class RecordEnvelopeError extends StreamError {}

/** An envelope whose data key could not be unwrapped, or whose ciphertext failed authentication. */
export class RecordDecryptionError extends StreamError {
  /** Id of the wrapping key named in the envelope. */
  readonly keyId: string;

  constructor(message: string, keyId: string, options: CarelakeErrorOptions = {}) {
    super(message, options);
    this.keyId = keyId;
  }
}
