import { ProducerClosedError } from '../errors';
import type { TimerHandle } from '../timers';
import { sendBatch, type BatchSenderContext } from './batch-sender';
import { PendingEntry, type PendingRecord } from './pending-entry';
import {
  resolveProducerOptions,
  type ResolvedProducerOptions,
  type StreamProducerOptions,
} from './producer-options';
import type { ProducerRecord, ProducerStats, PutResult } from './producer-types';
import {
  checkExplicitHashKey,
  checkPartitionKey,
  checkRecordSize,
  recordSizeBytes,
} from './record-rules';

/**
 * Puts records on a Kinesis stream in PutRecords batches. A batch is sent when
 * it reaches `maxBatchRecords` entries or `maxBatchBytes`, or when its first
 * record has waited `lingerMs`. `put` resolves once the stream has accepted the
 * record, so a caller can acknowledge its sender only then. When the buffer is
 * full, `put` waits for room. Records of one partition key keep the order of
 * their `put` calls, except that a resent record lands after records accepted
 * before it (see `sendBatch`).
 */
export class StreamProducer {
  private readonly options: ResolvedProducerOptions;
  private readonly senderContext: BatchSenderContext;
  private readonly statsCounters: ProducerStats = {
    recordsBuffered: 0,
    recordsAccepted: 0,
    recordsDeadLettered: 0,
    recordsFailed: 0,
    putRecordsCalls: 0,
    entriesRetried: 0,
  };

  /** Entries not yet sent, oldest first. */
  private buffer: PendingEntry[] = [];
  private bufferedBytes = 0;
  /** The aggregating entry still in the buffer for each partition key. */
  private readonly openAggregates = new Map<string, PendingEntry>();
  /** User records and bytes buffered or in flight, for back-pressure. */
  private unsettledRecords = 0;
  private unsettledBytes = 0;
  private readonly inFlight = new Set<Promise<void>>();
  private roomWaiters: Array<() => void> = [];
  /** Admissions run one after another, so records enter the buffer in `put` order. */
  private intake: Promise<void> = Promise.resolve();
  private lingerTimer: TimerHandle | undefined;
  /** Send every buffered entry without waiting for full batches, until the buffer is empty. */
  private flushRequested = false;
  private nextIndex = 0;
  private closed = false;

  constructor(options: StreamProducerOptions) {
    this.options = resolveProducerOptions(options);
    this.senderContext = {
      client: this.options.client,
      streamName: this.options.streamName,
      policy: this.options.retry,
      random: this.options.random,
      sleep: this.options.sleep,
      logger: this.options.logger.child({ stream: this.options.streamName }),
      deadLetter: this.options.deadLetter,
      stats: this.statsCounters,
    };
  }

  get streamName(): string {
    return this.options.streamName;
  }

  /** A copy of the counters. */
  get stats(): ProducerStats {
    return { ...this.statsCounters };
  }

  /**
   * Put one record. Resolves when the stream has accepted it. Rejects with
   * `InvalidStreamRecordError` for a record that breaks a Kinesis limit (it is
   * never truncated), with `StreamRecordFailedError` when the stream did not
   * accept it after the retries, and with `ProducerClosedError` after `close`.
   */
  put(record: ProducerRecord): Promise<PutResult> {
    const index = this.nextIndex++;
    if (this.closed) {
      return Promise.reject(
        new ProducerClosedError(
          `producer for stream ${this.options.streamName} is closed; record ${index} was not put`,
          {
            hint: 'Create a new producer, or put all records before calling close.',
          },
        ),
      );
    }
    return new Promise<PutResult>((resolve, reject) => {
      this.intake = this.intake.then(() =>
        this.admit(record, index, resolve, reject).catch(reject),
      );
    });
  }

  /** Send every record put so far and wait until each is accepted or dead-lettered. */
  async flush(): Promise<void> {
    await this.intake;
    for (;;) {
      // Set on every pass: records admitted meanwhile may have found the flag cleared.
      this.flushRequested = true;
      this.sendBatches();
      // With the flag set, sendBatches leaves entries behind only while every slot is busy.
      if (this.inFlight.size === 0) return;
      await Promise.race(this.inFlight);
    }
  }

  /** Stop taking records, then flush the ones already put. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
    this.clearLinger();
  }

  private async admit(
    record: ProducerRecord,
    index: number,
    resolve: (result: PutResult) => void,
    reject: (error: unknown) => void,
  ): Promise<void> {
    const { maxRecordBytes, encryptor } = this.options;
    const ref = record.id === undefined ? { index } : { index, id: record.id };
    checkPartitionKey(record.partitionKey, ref);
    checkExplicitHashKey(record.explicitHashKey, ref);
    checkRecordSize(
      recordSizeBytes(record.partitionKey, record.data.length),
      maxRecordBytes,
      ref,
      'with its partition key',
    );

    const streamData = encryptor
      ? await encryptor.seal(record.data, record.partitionKey)
      : record.data;
    const sizeBytes = recordSizeBytes(record.partitionKey, streamData.length);
    if (encryptor)
      checkRecordSize(
        sizeBytes,
        maxRecordBytes,
        ref,
        'with its partition key and encryption envelope',
      );

    const pending: PendingRecord = {
      index,
      partitionKey: record.partitionKey,
      data: record.data,
      streamData,
      sizeBytes,
      resolve,
      reject,
    };
    if (record.id !== undefined) pending.id = record.id;
    if (record.explicitHashKey !== undefined) pending.explicitHashKey = record.explicitHashKey;

    await this.waitForRoom(sizeBytes);
    this.addToBuffer(pending);
    this.statsCounters.recordsBuffered += 1;
  }

  /** Wait until one more record of `sizeBytes` fits in the buffer limits, then reserve its room. */
  private async waitForRoom(sizeBytes: number): Promise<void> {
    const { maxBufferedRecords, maxBufferedBytes } = this.options;
    while (
      this.unsettledRecords > 0 &&
      (this.unsettledRecords + 1 > maxBufferedRecords ||
        this.unsettledBytes + sizeBytes > maxBufferedBytes)
    ) {
      // Room comes back only when batches settle, so send what is buffered now.
      this.flushRequested = true;
      this.sendBatches();
      await new Promise<void>((wake) => this.roomWaiters.push(wake));
    }
    this.unsettledRecords += 1;
    this.unsettledBytes += sizeBytes;
  }

  private addToBuffer(record: PendingRecord): void {
    const open = this.options.aggregate ? this.openAggregates.get(record.partitionKey) : undefined;
    if (open) {
      const sizeBefore = open.sizeBytes;
      if (open.tryAppend(record)) {
        this.bufferedBytes += open.sizeBytes - sizeBefore;
        this.afterBufferChange();
        return;
      }
      this.openAggregates.delete(record.partitionKey);
    }

    const entry = this.options.aggregate
      ? PendingEntry.aggregating(record, this.options.maxRecordBytes)
      : PendingEntry.plain(record);
    if (entry.aggregating) this.openAggregates.set(record.partitionKey, entry);
    this.buffer.push(entry);
    this.bufferedBytes += entry.sizeBytes;
    this.afterBufferChange();
  }

  private afterBufferChange(): void {
    if (this.hasFullBatch()) this.sendBatches();
    this.scheduleLinger();
  }

  private hasFullBatch(): boolean {
    return (
      this.buffer.length >= this.options.maxBatchRecords ||
      this.bufferedBytes >= this.options.maxBatchBytes
    );
  }

  /** Start PutRecords calls while there is a slot for one and a batch to send. */
  private sendBatches(): void {
    while (
      this.buffer.length > 0 &&
      this.inFlight.size < this.options.maxInFlightBatches &&
      (this.flushRequested || this.hasFullBatch())
    ) {
      const batch = this.takeBatch();
      const sending: Promise<void> = sendBatch(batch, this.senderContext)
        .catch((error: unknown) => {
          // sendBatch settles every record itself; this only guards against a bug in it.
          for (const entry of batch) for (const record of entry.records) record.reject(error);
        })
        .finally(() => {
          this.inFlight.delete(sending);
          this.releaseRoom(batch);
          this.sendBatches();
        });
      this.inFlight.add(sending);
    }
    if (this.buffer.length === 0) {
      this.flushRequested = false;
      this.clearLinger();
    }
  }

  /** Take entries from the head of the buffer, in order, up to the batch limits. */
  private takeBatch(): PendingEntry[] {
    let count = 0;
    let bytes = 0;
    for (const entry of this.buffer) {
      if (count === this.options.maxBatchRecords) break;
      if (count > 0 && bytes + entry.sizeBytes > this.options.maxBatchBytes) break;
      count += 1;
      bytes += entry.sizeBytes;
    }

    const batch = this.buffer.splice(0, count);
    this.bufferedBytes -= bytes;
    for (const entry of batch) {
      const [first] = entry.records as [PendingRecord];
      if (this.openAggregates.get(first.partitionKey) === entry)
        this.openAggregates.delete(first.partitionKey);
    }
    return batch;
  }

  private releaseRoom(batch: readonly PendingEntry[]): void {
    for (const entry of batch) {
      for (const record of entry.records) {
        this.unsettledRecords -= 1;
        this.unsettledBytes -= record.sizeBytes;
      }
    }
    const waiters = this.roomWaiters;
    this.roomWaiters = [];
    for (const wake of waiters) wake();
  }

  private scheduleLinger(): void {
    if (this.buffer.length === 0 || this.lingerTimer !== undefined) return;
    this.lingerTimer = this.options.timers.setTimeout(() => {
      this.lingerTimer = undefined;
      this.flushRequested = true;
      this.sendBatches();
    }, this.options.lingerMs);
  }

  private clearLinger(): void {
    if (this.lingerTimer === undefined) return;
    this.options.timers.clearTimeout(this.lingerTimer);
    this.lingerTimer = undefined;
  }
}
