import { silentLogger, type ConfigIssue, type Logger } from '@carelake/core';

import type { RecordEncryptor } from '../encryption/record-encryptor';
import {
  DEFAULT_MAX_PUT_RECORDS_BYTES,
  DEFAULT_MAX_RECORD_BYTES,
  LARGE_RECORD_MAX_PUT_RECORDS_BYTES,
  MAX_PUT_RECORDS_ENTRIES,
  MAX_RECORD_BYTES_CEILING,
} from '../kinesis-limits';
import type { KinesisSender } from '../kinesis-sender';
import { checkInteger, checkKinesisName, throwIfIssues } from '../option-checks';
import {
  realSleep,
  resolveRetryPolicy,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
} from '../retry';
import { systemTimers, type Timers } from '../timers';
import type { DeadLetterHandler } from './producer-types';

export interface StreamProducerOptions {
  client: KinesisSender;
  streamName: string;
  /**
   * Maximum record size of the stream, data plus UTF-8 partition key: 1 MiB by
   * default, up to 10 MiB for a stream created with a larger `MaxRecordSizeInKiB`.
   */
  maxRecordBytes?: number;
  /** Entries per PutRecords call, 1 to 500; 500 by default. */
  maxBatchRecords?: number;
  /** Bytes per PutRecords call; 5 MiB by default, 10 MiB when `maxRecordBytes` is above 1 MiB. */
  maxBatchBytes?: number;
  /** How long a record waits for more records to fill its batch, 100 ms by default. */
  lingerMs?: number;
  /** Records buffered or in flight before `put` waits for room, 10,000 by default. */
  maxBufferedRecords?: number;
  /** Bytes buffered or in flight, as sent to the stream, before `put` waits for room; 64 MiB by default. */
  maxBufferedBytes?: number;
  /** PutRecords calls in flight at once, 1 by default, which keeps batches in order. */
  maxInFlightBatches?: number;
  /** Pack records of one partition key into KPL aggregated records; off by default. */
  aggregate?: boolean;
  /** Encrypts each record's data before it leaves the producer. */
  encryptor?: RecordEncryptor;
  /** Retries of failed calls and failed entries. */
  retry?: Partial<RetryPolicy>;
  /** Jitter source for the backoff, `Math.random` by default; `seededRandom(seed)` makes runs repeat. */
  random?: RandomSource;
  sleep?: Sleep;
  /** Schedules the linger flush. */
  timers?: Timers;
  /** Stores records whose retries ran out. Without it their `put` promises reject and nothing keeps them. */
  deadLetter?: DeadLetterHandler;
  logger?: Logger;
}

export interface ResolvedProducerOptions {
  client: KinesisSender;
  streamName: string;
  maxRecordBytes: number;
  maxBatchRecords: number;
  maxBatchBytes: number;
  lingerMs: number;
  maxBufferedRecords: number;
  maxBufferedBytes: number;
  maxInFlightBatches: number;
  aggregate: boolean;
  encryptor: RecordEncryptor | undefined;
  retry: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  timers: Timers;
  deadLetter: DeadLetterHandler | undefined;
  logger: Logger;
}

/** Fill in defaults and check every option, reporting all problems in one `ConfigError`. */
export function resolveProducerOptions(options: StreamProducerOptions): ResolvedProducerOptions {
  const issues: ConfigIssue[] = [];
  const maxRecordBytes = options.maxRecordBytes ?? DEFAULT_MAX_RECORD_BYTES;
  const requestCeiling =
    maxRecordBytes > DEFAULT_MAX_RECORD_BYTES
      ? LARGE_RECORD_MAX_PUT_RECORDS_BYTES
      : DEFAULT_MAX_PUT_RECORDS_BYTES;
  const resolved: ResolvedProducerOptions = {
    client: options.client,
    streamName: options.streamName,
    maxRecordBytes,
    maxBatchRecords: options.maxBatchRecords ?? MAX_PUT_RECORDS_ENTRIES,
    maxBatchBytes: options.maxBatchBytes ?? requestCeiling,
    lingerMs: options.lingerMs ?? 100,
    maxBufferedRecords: options.maxBufferedRecords ?? 10_000,
    maxBufferedBytes: options.maxBufferedBytes ?? 64 * 1024 * 1024,
    maxInFlightBatches: options.maxInFlightBatches ?? 1,
    aggregate: options.aggregate ?? false,
    encryptor: options.encryptor,
    retry: resolveRetryPolicy(issues, 'retry', options.retry),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
    timers: options.timers ?? systemTimers,
    deadLetter: options.deadLetter,
    logger: options.logger ?? silentLogger,
  };

  if (!options.client) issues.push({ keyPath: 'client', message: 'is required' });
  checkKinesisName(issues, 'streamName', resolved.streamName);
  checkInteger(issues, 'maxRecordBytes', resolved.maxRecordBytes, 1, MAX_RECORD_BYTES_CEILING);
  checkInteger(issues, 'maxBatchRecords', resolved.maxBatchRecords, 1, MAX_PUT_RECORDS_ENTRIES);
  checkInteger(
    issues,
    'maxBatchBytes',
    resolved.maxBatchBytes,
    resolved.maxRecordBytes,
    requestCeiling,
  );
  checkInteger(issues, 'lingerMs', resolved.lingerMs, 0, 60_000);
  checkInteger(issues, 'maxBufferedRecords', resolved.maxBufferedRecords, 1, 10_000_000);
  checkInteger(
    issues,
    'maxBufferedBytes',
    resolved.maxBufferedBytes,
    resolved.maxRecordBytes,
    2 ** 40,
  );
  checkInteger(issues, 'maxInFlightBatches', resolved.maxInFlightBatches, 1, 64);
  throwIfIssues(issues, `producer for stream ${String(options.streamName)}`);
  return resolved;
}
