import { performance } from 'node:perf_hooks';
import type { KeyProvider } from '@carelake/storage';
import {
  RecordDecryptor,
  StreamConsumer,
  type ConsumerStats,
  type KinesisSender,
  type StreamBatch,
  type StreamConsumerOptions,
  type UnreadableStreamRecord,
} from '@carelake/stream';
import { CommittedStreamRanges } from './committed-ranges';
import {
  commitMicroBatch,
  emptyMicroBatchCounts,
  refreshStreamCompanions,
  type MicroBatchCounts,
  type StreamFaultHook,
} from './micro-batch-commit';
import { bufferingHintsOf, StreamMicroBatch, type BufferingHints } from './micro-batch';
import { stageStreamRecord } from './record-staging';
import { consumerNameOf, type StreamPipelineSetup } from './stream-pipeline-setup';
import { landingNameOf, quarantineStreamRecord } from './stream-quarantine';
import { streamRecordId } from './stream-ranges';

/** GetRecords `Limit` for a stream of aggregated records. */
const AGGREGATED_RECORDS_PER_REQUEST = 10;

/** Consumer settings a caller may change, such as tests that shorten waits. */
export type StreamConsumerTuning = Partial<
  Pick<
    StreamConsumerOptions,
    'maxRecordsPerRequest' | 'idleDelayMs' | 'shardRefreshIntervalMs' | 'retry' | 'sleep' | 'random'
  >
>;

export interface StreamWorkerOptions {
  setup: StreamPipelineSetup;
  client: KinesisSender;
  /** Unwraps the data keys of records that the producer encrypted; records are read as they are without it. */
  keyProvider?: KeyProvider;
  consumer?: StreamConsumerTuning;
  /** Called at each fault point of a micro-batch commit; tests stop the worker there. */
  onFaultPoint?: StreamFaultHook;
  /** Called after each micro-batch commit and its checkpoints, for progress output. */
  onMicroBatch?: (counts: Readonly<MicroBatchCounts>) => void;
}

/** Counts and duration of one stream run. */
export interface StreamRunSummary extends MicroBatchCounts {
  pipeline: string;
  stream: string;
  consumer: string;
  /** Records read again after a restart that their checkpoint already covered, and not delivered. */
  recordsSkippedByCheckpoint: number;
  /** Records that did not decrypt, quarantined before their batch. */
  recordsUnreadable: number;
  durationMs: number;
}

/**
 * Reads a stream pipeline's stream with a checkpointed consumer into micro-batches, and commits
 * each micro-batch when it reaches a buffering hint. A shard's checkpoint moves only after every
 * table contains the micro-batch's rows, so a crash replays records and never skips them. Replayed
 * records that a table already contains are recognised by their sequence range and left out.
 *
 * Batches of the consumer and the interval timer go through one queue, so that a micro-batch is
 * never added to while it is committed.
 */
export class StreamPipelineWorker {
  private readonly hints: BufferingHints;
  private readonly committed: CommittedStreamRanges;
  private readonly decryptor: RecordDecryptor | undefined;
  private readonly counts = emptyMicroBatchCounts();
  /** The newest batch of each shard in the open micro-batch; committing it covers the earlier ones. */
  private readonly pendingBatches = new Map<string, StreamBatch>();
  private microBatch: StreamMicroBatch | undefined;
  private lastIngestedAtMs = 0;
  /** Clock time of the last rebuild of the `_current` companions, undefined before the first. */
  private lastRefreshMs: number | undefined;
  /** Whether a micro-batch was committed after the last rebuild. */
  private companionsStale = false;
  private queue: Promise<void> = Promise.resolve();
  private consumer: StreamConsumer | undefined;
  private failure: unknown;
  private stopped = false;
  private recordsSkippedByCheckpoint = 0;
  private recordsUnreadable = 0;

  constructor(private readonly options: StreamWorkerOptions) {
    const { source, pipeline, lake } = options.setup;
    this.hints = bufferingHintsOf(source, pipeline.batchRows);
    this.committed = new CommittedStreamRanges(lake.store, lake.tables, source.stream);
    // One decryptor for every consumer of the worker, so that each data key is unwrapped once.
    this.decryptor = options.keyProvider
      ? new RecordDecryptor({ keyProvider: options.keyProvider })
      : undefined;
  }

  /**
   * Read until `stop` is called, or with `untilCaughtUp` until every shard that can be read has no
   * newer record, then commit what is buffered. Rejects when a commit or a Kinesis call fails for
   * good; what was not committed is read again by the next run.
   */
  async run(options: { untilCaughtUp?: boolean } = {}): Promise<StreamRunSummary> {
    const { setup } = this.options;
    const started = performance.now();
    const timer = setInterval(
      () => this.enqueue(() => this.commitIfDue()),
      timerIntervalMs(this.hints),
    );
    timer.unref();
    try {
      // A consumer that stops while a parent shard's last batch is still buffered leaves the
      // children unread until that batch is committed. A batch job reads again until a pass finds nothing.
      for (;;) {
        const stats = await this.readOnce(options.untilCaughtUp ?? false);
        await this.enqueue(() => this.commitOpen());
        this.throwIfFailed();
        const delivered = stats.recordsDelivered + stats.recordsDeadLettered;
        if (!options.untilCaughtUp || this.stopped || delivered === 0) break;
      }
      // Also when this run committed nothing, so that a run stopped before its rebuild is caught up.
      await this.enqueue(() => this.refreshCompanions());
      this.throwIfFailed();
    } finally {
      clearInterval(timer);
    }

    const summary = this.summary(Math.round(performance.now() - started));
    await setup.lake.audit.append({
      principal: setup.principal.name,
      action: 'pipeline.run',
      resources: setup.tables.tables,
      outcome: 'success',
      details: {
        stream: summary.stream,
        microBatches: summary.microBatches,
        recordsIn: summary.recordsIn,
        rowsOut: summary.rowsOut,
        quarantined: summary.quarantined,
        durationMs: summary.durationMs,
      },
    });
    const { pipeline: _name, rowsByTable: _tables, ...loggedCounts } = summary;
    setup.logger.info(loggedCounts, 'stream run finished');
    return summary;
  }

  /** Stop reading after the current page; `run` then commits what is buffered and resolves. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.close();
  }

  private async readOnce(untilCaughtUp: boolean): Promise<ConsumerStats> {
    const { setup, client } = this.options;
    const consumer = new StreamConsumer({
      // A page of aggregated records of up to 1 MiB each: ten of them are the 10 MiB a GetRecords call returns at most on AWS.
      maxRecordsPerRequest: setup.source.aggregation ? AGGREGATED_RECORDS_PER_REQUEST : undefined,
      ...this.options.consumer,
      client,
      streamName: setup.source.stream,
      consumerName: consumerNameOf(setup.pipeline),
      store: setup.lake.store,
      clock: setup.lake.clock,
      logger: setup.logger,
      ...(this.decryptor ? { decryptor: this.decryptor } : {}),
      onBatch: (batch) => this.enqueue(() => this.add(batch)),
      deadLetter: (records) => this.enqueue(() => this.quarantineUnreadable(records)),
    });
    this.consumer = consumer;
    if (this.stopped) return consumer.stats;
    const stats = await consumer.run({ untilCaughtUp });
    this.recordsSkippedByCheckpoint += stats.recordsSkipped;
    return stats;
  }

  private async add(batch: StreamBatch): Promise<void> {
    const { setup } = this.options;
    for (const record of batch.records) {
      const microBatch = this.openMicroBatch();
      microBatch.add(await stageStreamRecord(setup, record, microBatch.ingestedAt));
      // A page of aggregated records can hold far more than bufferMiB, so a micro-batch may end
      // inside it. The page's checkpoint then waits for the micro-batch that takes its last record.
      if (microBatch.isFull(this.hints)) await this.commitOpen();
    }
    // Records that went to quarantine before the batch are part of its range.
    const microBatch = this.openMicroBatch();
    microBatch.cover(batch.shardId, batch.firstPosition, batch.lastPosition);
    this.pendingBatches.set(batch.shardId, batch);
    if (microBatch.isFull(this.hints)) await this.commitOpen();
  }

  private openMicroBatch(): StreamMicroBatch {
    if (this.microBatch) return this.microBatch;
    const nowMs = this.options.setup.lake.clock.now().getTime();
    // Each micro-batch's rows get a later ingested_at than the one before, so versions with equal
    // event times sort by arrival even when the clock returns the same millisecond.
    this.lastIngestedAtMs = Math.max(nowMs, this.lastIngestedAtMs + 1);
    this.microBatch = new StreamMicroBatch(
      this.options.setup.source.stream,
      nowMs,
      new Date(this.lastIngestedAtMs),
    );
    return this.microBatch;
  }

  private async commitIfDue(): Promise<void> {
    const nowMs = this.options.setup.lake.clock.now().getTime();
    if (this.microBatch?.isDue(this.hints, nowMs)) await this.commitOpen();
    // A stream that goes quiet still gets its last commits into the companions.
    if (this.companionsStale && this.isRefreshDue()) await this.refreshCompanions();
  }

  /** Commit the open micro-batch to the tables, then store the checkpoint of each shard in it. */
  private async commitOpen(): Promise<void> {
    const microBatch = this.microBatch;
    if (!microBatch || microBatch.isEmpty) return;
    const { setup, onFaultPoint } = this.options;
    await commitMicroBatch(setup, microBatch, this.committed, this.counts, onFaultPoint);
    for (const batch of this.pendingBatches.values()) await batch.commit();
    this.pendingBatches.clear();
    this.microBatch = undefined;
    this.companionsStale = true;
    if (this.isRefreshDue()) await this.refreshCompanions();
    setup.logger.info(
      {
        microBatch: this.counts.microBatches,
        records: microBatch.recordCount,
        bytes: microBatch.sizeBytes,
        shards: microBatch.shardRanges().length,
      },
      'micro-batch committed',
    );
    this.options.onMicroBatch?.(this.counts);
  }

  private isRefreshDue(): boolean {
    const intervalMs = this.options.setup.source.currentRefreshSeconds * 1000;
    const nowMs = this.options.setup.lake.clock.now().getTime();
    return this.lastRefreshMs === undefined || nowMs - this.lastRefreshMs >= intervalMs;
  }

  private async refreshCompanions(): Promise<void> {
    await refreshStreamCompanions(this.options.setup);
    this.lastRefreshMs = this.options.setup.lake.clock.now().getTime();
    this.companionsStale = false;
  }

  private async quarantineUnreadable(records: readonly UnreadableStreamRecord[]): Promise<void> {
    const { setup } = this.options;
    for (const record of records) {
      this.counts.quarantined += await quarantineStreamRecord(setup, {
        landingName: landingNameOf(record.shardId, record.sequenceNumber, record.subSequenceNumber),
        data: record.data,
        streamRecord: {
          stream: setup.source.stream,
          partitionKey: record.partitionKey,
          shardId: record.shardId,
          sequenceNumber: record.sequenceNumber,
          subSequenceNumber: record.subSequenceNumber,
        },
        problems: [
          {
            position: { file: streamRecordId(setup.source.stream, record.shardId, record) },
            stage: 'decode',
            reason: record.error.describe(),
          },
        ],
      });
      this.recordsUnreadable++;
    }
  }

  /**
   * Run work after the work queued before it. A failure stops the consumer, and `run` rejects
   * with it. Work queued after a failure does nothing, so no batch is committed past a failed one.
   */
  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.queue.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await work();
      } catch (error) {
        this.failure = error;
        // close() waits for onBatch, which is this queue: do not wait for it here.
        void this.consumer?.close();
      }
    });
    this.queue = next;
    return next;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure;
  }

  private summary(durationMs: number): StreamRunSummary {
    const { setup } = this.options;
    return {
      pipeline: setup.pipeline.name,
      stream: setup.source.stream,
      consumer: consumerNameOf(setup.pipeline),
      ...this.counts,
      rowsByTable: { ...this.counts.rowsByTable },
      recordsSkippedByCheckpoint: this.recordsSkippedByCheckpoint,
      recordsUnreadable: this.recordsUnreadable,
      durationMs,
    };
  }
}

/** Check the interval often enough to keep a micro-batch's age near `bufferSeconds`, and at least once a second. */
function timerIntervalMs(hints: BufferingHints): number {
  return Math.min(1000, Math.max(50, Math.round(hints.bufferIntervalMs / 10)));
}
