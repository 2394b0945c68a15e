import type { Shard } from '@aws-sdk/client-kinesis';
import type { Logger } from '@carelake/core';

import { CheckpointStore, type ShardCheckpoint } from '../checkpoint/checkpoint-store';
import { compareStreamPositions, type StreamPosition } from '../checkpoint/stream-position';
import { StreamError, StreamRequestError } from '../errors';
import type { CallRetryContext } from '../kinesis-call';
import { errorCodeOf } from '../kinesis-errors';
import {
  resolveConsumerOptions,
  type ResolvedConsumerOptions,
  type StreamConsumerOptions,
} from './consumer-options';
import { decodePage } from './record-decoding';
import { listAllShards, parentShardIds } from './shard-list';
import { ShardReader, type ShardPage, type ShardReaderContext } from './shard-reader';
import type { ConsumerStats, StreamBatch } from './stream-batch';

/**
 * - `blocked`: a parent shard is not finished, so reading this one could put a
 *   partition key's newer records before its older ones.
 * - `reading`: records are being read.
 * - `ended`: read to SHARD_END, waiting for the caller to commit its last batch.
 * - `finished`: SHARD_END is checkpointed; children may be read.
 */
type ShardStatus = 'blocked' | 'reading' | 'ended' | 'finished';

interface ShardState {
  shard: Shard;
  shardId: string;
  status: ShardStatus;
  reader: ShardReader | undefined;
  /** Stored checkpoint when the consumer started. User records up to it that are read again are skipped. */
  storedCheckpoint: ShardCheckpoint | undefined;
  committed: StreamPosition | undefined;
  /** Whether `committed` is the last user record of its Kinesis record. */
  committedEndsKinesisRecord: boolean;
  /** Last position handed to `onBatch` or `deadLetter`. */
  delivered: StreamPosition | undefined;
  /** The last page was empty and GetRecords reported the shard's newest record reached. */
  caughtUp: boolean;
}

export interface RunOptions {
  /**
   * Return once every shard that can be read has no newer records, instead of
   * waiting for more. For batch jobs and tests.
   */
  untilCaughtUp?: boolean;
}

/**
 * Reads every shard of a stream from its checkpoint and hands the records to
 * `onBatch`, one page at a time. Checkpoints move only when the caller commits
 * a batch, so a crash replays records and never skips them. After a split or a
 * merge, a child shard is read only once its parents are read to their end and
 * committed, which keeps each partition key's records in order.
 *
 * NOTE: one consumer process per consumer name and stream. There are no shard
 * leases, so two processes with the same name would read the same shards.
 */
export class StreamConsumer {
  private readonly options: ResolvedConsumerOptions;
  private readonly logger: Logger;
  private readonly checkpoints: CheckpointStore;
  private readonly readerContext: ShardReaderContext;
  private readonly retryContext: CallRetryContext;
  private readonly closing = new AbortController();
  private readonly shards = new Map<string, ShardState>();
  private readonly statsCounters: ConsumerStats = {
    batchesDelivered: 0,
    recordsDelivered: 0,
    recordsSkipped: 0,
    recordsDeadLettered: 0,
    getRecordsCalls: 0,
    iteratorRenewals: 0,
    getRecordsRetries: 0,
    shardsFinished: 0,
  };
  private storedCheckpoints = new Map<string, ShardCheckpoint>();
  private lastShardRefreshMs = 0;
  private shardRefreshDue = true;
  /** Ends the idle wait early when a commit finishes a shard, so its children start at once. */
  private idleWake: AbortController | undefined;
  private running: Promise<ConsumerStats> | undefined;

  constructor(options: StreamConsumerOptions) {
    this.options = resolveConsumerOptions(options);
    this.logger = this.options.logger.child({
      stream: this.options.streamName,
      consumer: this.options.consumerName,
    });
    this.checkpoints = new CheckpointStore(
      this.options.store,
      this.options.consumerName,
      this.options.streamName,
      this.options.clock,
    );
    this.retryContext = {
      policy: this.options.retry,
      random: this.options.random,
      sleep: this.options.sleep,
      logger: this.logger,
      signal: this.closing.signal,
    };
    this.readerContext = {
      client: this.options.client,
      streamName: this.options.streamName,
      maxRecordsPerRequest: this.options.maxRecordsPerRequest,
      maxIteratorRenewals: this.options.maxIteratorRenewals,
      initialPosition: this.options.initialPosition,
      retry: this.retryContext,
      stats: this.statsCounters,
    };
  }

  /** A copy of the counters. */
  get stats(): ConsumerStats {
    return { ...this.statsCounters };
  }

  /** Key prefix of this consumer's checkpoints in the store. */
  get checkpointPrefix(): string {
    return this.checkpoints.prefix;
  }

  /**
   * Read until `close` is called, or until caught up with `untilCaughtUp`.
   * Rejects when `onBatch` or `deadLetter` throws, or when a Kinesis call fails
   * for good. Uncommitted batches are then read again by the next run.
   */
  run(options: RunOptions = {}): Promise<ConsumerStats> {
    if (this.running) {
      const name = `consumer ${this.options.consumerName} of stream ${this.options.streamName}`;
      return Promise.reject(
        new StreamError(`${name} has already run`, {
          hint: 'Call run once per StreamConsumer. Create a new one to read again.',
        }),
      );
    }
    this.running = this.readLoop(options.untilCaughtUp ?? false);
    return this.running;
  }

  /**
   * Stop reading after the current page, and wait until the batch being handled
   * returns. Batches not committed by then are read again by the next consumer.
   * Do not await it inside `onBatch`, which it waits for.
   */
  async close(): Promise<void> {
    this.closing.abort();
    this.idleWake?.abort();
    await this.running?.catch(() => undefined);
  }

  private async readLoop(untilCaughtUp: boolean): Promise<ConsumerStats> {
    const startedAtMs = Date.now();
    try {
      await this.readUntilStopped(untilCaughtUp);
    } catch (error) {
      // close() cuts a retry wait short, and the call then fails with its last error: that is a stop, not a failure.
      const interruptedByClose = this.closing.signal.aborted && error instanceof StreamRequestError;
      if (!interruptedByClose) {
        this.logger.error(
          { ...this.stats, errorCode: errorCodeOf(error) },
          'consumer stopped on an error',
        );
        throw error;
      }
    }
    this.logger.info({ ...this.stats, durationMs: Date.now() - startedAtMs }, 'consumer stopped');
    return this.stats;
  }

  private async readUntilStopped(untilCaughtUp: boolean): Promise<void> {
    this.storedCheckpoints = await this.checkpoints.loadAll();
    await this.refreshShards();
    this.logger.info(
      { shards: this.shards.size, checkpoints: this.storedCheckpoints.size },
      'consumer started',
    );

    while (!this.closing.signal.aborted) {
      let progressed = this.isShardRefreshDue() && (await this.refreshShards());
      progressed = this.startReadableShards() || progressed;
      for (const state of this.shardsWithStatus('reading')) {
        if (this.closing.signal.aborted) break;
        progressed = (await this.readOnce(state)) || progressed;
      }
      if (progressed || this.closing.signal.aborted) continue;

      if (untilCaughtUp) {
        // Look for shards created since the last listing before deciding to stop.
        if (await this.refreshShards()) continue;
        if (this.shardsWithStatus('reading').every((state) => state.caughtUp)) break;
      }
      await this.idleWait();
    }
  }

  /** New shards appear after a split or merge: list again when a shard ends, and at the refresh interval. */
  private isShardRefreshDue(): boolean {
    const sinceLastMs = this.options.clock.now().getTime() - this.lastShardRefreshMs;
    return this.shardRefreshDue || sinceLastMs >= this.options.shardRefreshIntervalMs;
  }

  /** Read one page of a shard and hand it on. Returns whether anything changed. */
  private async readOnce(state: ShardState): Promise<boolean> {
    const reader = state.reader as ShardReader;
    const page = await reader.readPage();
    state.caughtUp = page.records.length === 0 && (page.millisBehindLatest ?? 0) === 0;
    if (page.records.length > 0) await this.deliver(state, page);
    if (page.ended) {
      state.status = 'ended';
      this.shardRefreshDue = true;
      await this.finishIfCommitted(state);
    }
    return page.records.length > 0 || page.ended;
  }

  private async deliver(state: ShardState, page: ShardPage): Promise<void> {
    const decoded = await decodePage(
      page.records,
      state.shardId,
      state.storedCheckpoint?.position,
      this.options.decryptor,
    );
    this.statsCounters.recordsSkipped += decoded.skipped;
    if (decoded.first === undefined || decoded.last === undefined) return;

    if (decoded.unreadable.length > 0) {
      if (!this.options.deadLetter) {
        const [first] = decoded.unreadable;
        throw new StreamError(
          `record ${first?.sequenceNumber}/${first?.subSequenceNumber} of shard ${state.shardId} could not be read and no deadLetter callback is set`,
          {
            cause: first?.error,
            hint: 'Give the consumer a deadLetter callback that quarantines unreadable records, or the decryptor for them.',
          },
        );
      }
      await this.options.deadLetter(decoded.unreadable);
      this.statsCounters.recordsDeadLettered += decoded.unreadable.length;
    }

    const lastPosition = decoded.last;
    state.delivered = lastPosition;
    const batch: StreamBatch = {
      streamName: this.options.streamName,
      shardId: state.shardId,
      records: decoded.records,
      deadLetteredCount: decoded.unreadable.length,
      firstPosition: decoded.first,
      lastPosition,
      millisBehindLatest: page.millisBehindLatest,
      commit: () => this.commit(state, lastPosition),
    };
    this.statsCounters.batchesDelivered += 1;
    this.statsCounters.recordsDelivered += decoded.records.length;
    await this.options.onBatch(batch);
  }

  private async commit(state: ShardState, position: StreamPosition): Promise<void> {
    const endsShard =
      state.status === 'ended' &&
      state.delivered !== undefined &&
      compareStreamPositions(position, state.delivered) === 0;
    // A batch always ends with the last user record of a Kinesis record.
    await this.checkpoints.save({
      shardId: state.shardId,
      position,
      endsKinesisRecord: true,
      shardEnd: endsShard,
    });
    if (state.committed === undefined || compareStreamPositions(position, state.committed) > 0) {
      state.committed = position;
      state.committedEndsKinesisRecord = true;
    }
    if (endsShard) this.markFinished(state);
    // The shard may have reached its end while this save was in flight.
    else if (state.status === 'ended') await this.finishIfCommitted(state);
  }

  /** Checkpoint SHARD_END once every record delivered from an ended shard is committed. */
  private async finishIfCommitted(state: ShardState): Promise<void> {
    if (state.status !== 'ended') return;
    const allCommitted =
      state.delivered === undefined ||
      (state.committed !== undefined &&
        compareStreamPositions(state.committed, state.delivered) >= 0);
    if (!allCommitted) return;

    const checkpoint: ShardCheckpoint = {
      shardId: state.shardId,
      endsKinesisRecord: state.committedEndsKinesisRecord,
      shardEnd: true,
    };
    if (state.committed !== undefined) checkpoint.position = state.committed;
    await this.checkpoints.save(checkpoint);
    this.markFinished(state);
  }

  private markFinished(state: ShardState): void {
    if (state.status === 'finished') return;
    state.status = 'finished';
    state.reader = undefined;
    this.statsCounters.shardsFinished += 1;
    this.logger.info({ shardId: state.shardId }, 'shard read to its end and committed');
    this.idleWake?.abort();
  }

  /** List the shards and add the ones not seen yet. Returns whether any was new. */
  private async refreshShards(): Promise<boolean> {
    const shards = await listAllShards(
      this.options.client,
      this.options.streamName,
      this.retryContext,
    );
    this.lastShardRefreshMs = this.options.clock.now().getTime();
    this.shardRefreshDue = false;

    let added = false;
    for (const shard of shards) {
      const shardId = shard.ShardId;
      if (shardId === undefined || this.shards.has(shardId)) continue;
      const checkpoint = this.storedCheckpoints.get(shardId);
      this.shards.set(shardId, {
        shard,
        shardId,
        status: checkpoint?.shardEnd ? 'finished' : 'blocked',
        reader: undefined,
        storedCheckpoint: checkpoint,
        committed: checkpoint?.position,
        committedEndsKinesisRecord: checkpoint?.endsKinesisRecord ?? false,
        delivered: undefined,
        caughtUp: false,
      });
      added = true;
    }
    return added;
  }

  /**
   * Start reading blocked shards whose parents are finished. A parent that is no
   * longer listed has passed the retention period and counts as finished.
   */
  private startReadableShards(): boolean {
    let started = false;
    for (const state of this.shardsWithStatus('blocked')) {
      const parentsFinished = parentShardIds(state.shard).every((parentId) => {
        const parent = this.shards.get(parentId);
        return parent === undefined || parent.status === 'finished';
      });
      if (!parentsFinished) continue;
      state.status = 'reading';
      state.reader = new ShardReader(this.readerContext, state.shardId, state.storedCheckpoint);
      started = true;
    }
    return started;
  }

  /** Shards with a status, in shard id order so that runs repeat. */
  private shardsWithStatus(status: ShardStatus): ShardState[] {
    const matching = [...this.shards.values()].filter((state) => state.status === status);
    return matching.sort((a, b) => compareShardIds(a.shardId, b.shardId));
  }

  private async idleWait(): Promise<void> {
    this.idleWake = new AbortController();
    try {
      await this.options.sleep(
        this.options.idleDelayMs,
        AbortSignal.any([this.closing.signal, this.idleWake.signal]),
      );
    } finally {
      this.idleWake = undefined;
    }
  }
}

/** Order shard ids by code unit, the same on every locale. */
function compareShardIds(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
