export {
  CheckpointError,
  InvalidStreamRecordError,
  ProducerClosedError,
  RecordDecryptionError,
  RecordEnvelopeError,
  StreamError,
  StreamRecordFailedError,
  StreamRequestError,
  type InvalidStreamRecordOptions,
  type StreamRecordFailedOptions,
  type StreamRecordRule,
} from './errors';
export {
  DEFAULT_MAX_PUT_RECORDS_BYTES,
  DEFAULT_MAX_RECORD_BYTES,
  LARGE_RECORD_MAX_PUT_RECORDS_BYTES,
  MAX_GET_RECORDS_LIMIT,
  MAX_PARTITION_KEY_LENGTH,
  MAX_PUT_RECORDS_ENTRIES,
  MAX_RECORD_BYTES_CEILING,
  SHARD_ITERATOR_LIFETIME_MS,
} from './kinesis-limits';
export type { KinesisSender } from './kinesis-sender';
export { isRetryableCallError, isThrottlingError } from './kinesis-errors';
export {
  backoffDelayMs,
  DEFAULT_RETRY_POLICY,
  realSleep,
  seededRandom,
  type RandomSource,
  type RetryPolicy,
  type Sleep,
} from './retry';
export { systemTimers, type TimerHandle, type Timers } from './timers';

export { kinesisClientFor, type LocalKinesisClientOptions } from './local/kinesis-client';
export {
  LOCAL_STREAM_HOST,
  startLocalStream,
  type LocalStream,
  type LocalStreamOptions,
} from './local/local-stream';
export {
  ensureStream,
  waitForStreamActive,
  type WaitForStreamOptions,
} from './local/stream-status';

export { deaggregate, type DeaggregatedRecord } from './aggregation/deaggregate';
export {
  decodeAggregatedRecord,
  encodeAggregatedRecord,
  KPL_DIGEST_BYTES,
  KPL_MAGIC,
  type AggregatedRecordContent,
  type AggregatedUserRecord,
} from './aggregation/kpl-format';
export {
  RecordAggregator,
  type KinesisRecordData,
  type UserRecord,
} from './aggregation/record-aggregator';

export { RecordDecryptor, type RecordDecryptorOptions } from './encryption/record-decryptor';
export { RecordEncryptor, type RecordEncryptorOptions } from './encryption/record-encryptor';
export {
  decodeEnvelope,
  ENVELOPE_VERSION,
  type RecordEnvelope,
} from './encryption/record-envelope';

export { StreamProducer } from './producer/stream-producer';
export type { StreamProducerOptions } from './producer/producer-options';
export type {
  DeadLetterHandler,
  DeadLetterRecord,
  ProducerRecord,
  ProducerStats,
  PutResult,
} from './producer/producer-types';

export {
  checkpointPrefix,
  CheckpointStore,
  parseCheckpoint,
  type ShardCheckpoint,
} from './checkpoint/checkpoint-store';
export {
  compareStreamPositions,
  dropReplayed,
  isReplayed,
  parseSequenceNumber,
  type StreamPosition,
} from './checkpoint/stream-position';

export { StreamConsumer, type RunOptions } from './consumer/stream-consumer';
export type { StreamConsumerOptions } from './consumer/consumer-options';
export type { InitialPosition } from './consumer/shard-reader';
export type {
  ConsumerStats,
  StreamBatch,
  StreamRecord,
  UnreadableRecordHandler,
  UnreadableStreamRecord,
} from './consumer/stream-batch';

export {
  FaultInjector,
  type FaultInjectorOptions,
  type FaultInjectorStats,
} from './faults/fault-injector';
