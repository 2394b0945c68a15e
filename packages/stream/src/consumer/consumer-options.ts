import {
  silentLogger,
  systemClock,
  type Clock,
  type ConfigIssue,
  type Logger,
} from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';

import type { RecordDecryptor } from '../encryption/record-decryptor';
import { MAX_GET_RECORDS_LIMIT } from '../kinesis-limits';
import type { KinesisSender } from '../kinesis-sender';
import { checkInteger, checkKinesisName, throwIfIssues } from '../option-checks';
import {
  realSleep,
  resolveRetryPolicy,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
} from '../retry';
import type { InitialPosition } from './shard-reader';
import type { StreamBatch, UnreadableRecordHandler } from './stream-batch';

export interface StreamConsumerOptions {
  client: KinesisSender;
  streamName: string;
  /** Name of this consumer; its checkpoints live under `_state/streams/<consumerName>/<streamName>/`. */
  consumerName: string;
  /** Store of the checkpoints, the lake's `ObjectStore`. */
  store: ObjectStore;
  /** Receives each page of records, one call at a time. Call `batch.commit()` once the records are durable. */
  onBatch: (batch: StreamBatch) => Promise<void>;
  /** Stores records that could not be decrypted. Without it such a record stops the consumer with an error. */
  deadLetter?: UnreadableRecordHandler;
  /** Decrypts records that a producer with an encryptor wrote. */
  decryptor?: RecordDecryptor;
  /** Starting position of shards without a checkpoint: `TRIM_HORIZON` (the oldest record, the default) or `LATEST`. */
  initialPosition?: InitialPosition;
  /** GetRecords `Limit`, the most records per batch before aggregation: 1 to 10,000, 1,000 by default. */
  maxRecordsPerRequest?: number;
  /** Wait after a round in which no shard had new records, 1,000 ms by default. */
  idleDelayMs?: number;
  /** Interval of ListShards calls that look for new shards, 10,000 ms by default. A shard that ends also starts one. */
  shardRefreshIntervalMs?: number;
  /** `ExpiredIteratorException`s in a row on one shard before the consumer fails, 5 by default. */
  maxIteratorRenewals?: number;
  /** Retries of throttled and failed calls. */
  retry?: Partial<RetryPolicy>;
  random?: RandomSource;
  sleep?: Sleep;
  /** Times the shard refreshes and the checkpoints' `updatedAt`. */
  clock?: Clock;
  logger?: Logger;
}

export interface ResolvedConsumerOptions {
  client: KinesisSender;
  streamName: string;
  consumerName: string;
  store: ObjectStore;
  onBatch: (batch: StreamBatch) => Promise<void>;
  deadLetter: UnreadableRecordHandler | undefined;
  decryptor: RecordDecryptor | undefined;
  initialPosition: InitialPosition;
  maxRecordsPerRequest: number;
  idleDelayMs: number;
  shardRefreshIntervalMs: number;
  maxIteratorRenewals: number;
  retry: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  clock: Clock;
  logger: Logger;
}

/** Fill in defaults and check every option, reporting all problems in one `ConfigError`. */
export function resolveConsumerOptions(options: StreamConsumerOptions): ResolvedConsumerOptions {
  const issues: ConfigIssue[] = [];
  const resolved: ResolvedConsumerOptions = {
    client: options.client,
    streamName: options.streamName,
    consumerName: options.consumerName,
    store: options.store,
    onBatch: options.onBatch,
    deadLetter: options.deadLetter,
    decryptor: options.decryptor,
    initialPosition: options.initialPosition ?? 'TRIM_HORIZON',
    maxRecordsPerRequest: options.maxRecordsPerRequest ?? 1000,
    idleDelayMs: options.idleDelayMs ?? 1000,
    shardRefreshIntervalMs: options.shardRefreshIntervalMs ?? 10_000,
    maxIteratorRenewals: options.maxIteratorRenewals ?? 5,
    retry: resolveRetryPolicy(issues, 'retry', options.retry),
    random: options.random ?? Math.random,
    sleep: options.sleep ?? realSleep,
    clock: options.clock ?? systemClock,
    logger: options.logger ?? silentLogger,
  };

  if (!options.client) issues.push({ keyPath: 'client', message: 'is required' });
  if (!options.store) issues.push({ keyPath: 'store', message: 'is required' });
  if (typeof options.onBatch !== 'function')
    issues.push({ keyPath: 'onBatch', message: 'must be a function' });
  checkKinesisName(issues, 'streamName', resolved.streamName);
  checkKinesisName(issues, 'consumerName', resolved.consumerName);
  if (resolved.initialPosition !== 'TRIM_HORIZON' && resolved.initialPosition !== 'LATEST') {
    issues.push({
      keyPath: 'initialPosition',
      message: `must be TRIM_HORIZON or LATEST, got ${JSON.stringify(resolved.initialPosition)}`,
    });
  }
  checkInteger(
    issues,
    'maxRecordsPerRequest',
    resolved.maxRecordsPerRequest,
    1,
    MAX_GET_RECORDS_LIMIT,
  );
  checkInteger(issues, 'idleDelayMs', resolved.idleDelayMs, 0, 600_000);
  checkInteger(issues, 'shardRefreshIntervalMs', resolved.shardRefreshIntervalMs, 0, 3_600_000);
  checkInteger(issues, 'maxIteratorRenewals', resolved.maxIteratorRenewals, 0, 1000);
  throwIfIssues(
    issues,
    `consumer ${String(options.consumerName)} of stream ${String(options.streamName)}`,
  );
  return resolved;
}
