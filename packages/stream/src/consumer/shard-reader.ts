import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-kinesis';

import type { ShardCheckpoint } from '../checkpoint/checkpoint-store';
import { callWithRetry, requestFailed, type CallRetryContext } from '../kinesis-call';
import { errorCodeOf, isRetryableCallError } from '../kinesis-errors';
import type { KinesisSender } from '../kinesis-sender';
import { backoffDelayMs } from '../retry';
import type { ConsumerStats } from './stream-batch';

/** Starting position of a shard without a checkpoint. */
export type InitialPosition = 'TRIM_HORIZON' | 'LATEST';

export interface ShardReaderContext {
  client: KinesisSender;
  streamName: string;
  /** GetRecords `Limit`. */
  maxRecordsPerRequest: number;
  /** `ExpiredIteratorException`s in a row on one shard before the reader gives up. */
  maxIteratorRenewals: number;
  initialPosition: InitialPosition;
  retry: CallRetryContext;
  stats: ConsumerStats;
}

export interface ShardPage {
  records: _Record[];
  millisBehindLatest: number | undefined;
  /** GetRecords returned no next iterator: the shard is closed and read to its end (SHARD_END). */
  ended: boolean;
}

/**
 * Reads one shard page by page with GetRecords, holding its shard iterator. An
 * expired iterator is replaced by one after the last record read, or at the
 * checkpoint when nothing was read yet, so no record is skipped. Throttled calls
 * are repeated after a backoff.
 */
export class ShardReader {
  readonly shardId: string;
  private readonly context: ShardReaderContext;
  private readonly checkpoint: ShardCheckpoint | undefined;
  private iterator: string | undefined;
  private lastReadSequenceNumber: string | undefined;
  private endReached = false;

  /** `checkpoint` is the stored checkpoint the shard resumes from, if it has one. */
  constructor(
    context: ShardReaderContext,
    shardId: string,
    checkpoint: ShardCheckpoint | undefined,
  ) {
    this.context = context;
    this.shardId = shardId;
    this.checkpoint = checkpoint;
  }

  get ended(): boolean {
    return this.endReached;
  }

  async readPage(): Promise<ShardPage> {
    const { client, retry, stats } = this.context;
    const details = { streamName: this.context.streamName, shardId: this.shardId };
    let renewals = 0;
    let failures = 0;

    for (;;) {
      this.iterator ??= await this.fetchIterator();
      try {
        stats.getRecordsCalls += 1;
        const output = await client.send(
          new GetRecordsCommand({
            ShardIterator: this.iterator,
            Limit: this.context.maxRecordsPerRequest,
          }),
        );
        const records = output.Records ?? [];
        const last = records[records.length - 1];
        if (last?.SequenceNumber !== undefined) this.lastReadSequenceNumber = last.SequenceNumber;
        this.iterator = output.NextShardIterator ?? undefined;
        this.endReached = this.iterator === undefined;
        return { records, millisBehindLatest: output.MillisBehindLatest, ended: this.endReached };
      } catch (error) {
        if (error instanceof ExpiredIteratorException) {
          renewals += 1;
          if (renewals > this.context.maxIteratorRenewals)
            throw requestFailed('GetRecords', error, renewals, true, details);
          stats.iteratorRenewals += 1;
          retry.logger.info(
            { shardId: this.shardId, renewals },
            'shard iterator expired, fetching a new one',
          );
          this.iterator = undefined;
          continue;
        }

        failures += 1;
        const retryable = isRetryableCallError(error);
        if (!retryable || failures >= retry.policy.maxAttempts || retry.signal?.aborted) {
          throw requestFailed('GetRecords', error, failures, retryable, details);
        }
        stats.getRecordsRetries += 1;
        const delayMs = backoffDelayMs(failures, retry.policy, retry.random);
        retry.logger.warn(
          { shardId: this.shardId, attempt: failures, delayMs, errorCode: errorCodeOf(error) },
          'GetRecords failed, retrying',
        );
        await retry.sleep(delayMs, retry.signal);
      }
    }
  }

  private async fetchIterator(): Promise<string> {
    const input: GetShardIteratorCommandInput = {
      StreamName: this.context.streamName,
      ShardId: this.shardId,
      ShardIteratorType: this.context.initialPosition,
    };
    // NOTE: a LATEST iterator that expires before any record was read is replaced by a new
    // LATEST one, so records written while it sat unused for five minutes are not read.
    if (this.lastReadSequenceNumber !== undefined) {
      input.ShardIteratorType = 'AFTER_SEQUENCE_NUMBER';
      input.StartingSequenceNumber = this.lastReadSequenceNumber;
    } else if (this.checkpoint?.position !== undefined) {
      // AT, not AFTER, when the checkpoint sits inside an aggregated record whose later user
      // records are not committed. The consumer skips the committed ones.
      input.ShardIteratorType = this.checkpoint.endsKinesisRecord
        ? 'AFTER_SEQUENCE_NUMBER'
        : 'AT_SEQUENCE_NUMBER';
      input.StartingSequenceNumber = this.checkpoint.position.sequenceNumber;
    }

    const output = await callWithRetry(
      'GetShardIterator',
      () => this.context.client.send(new GetShardIteratorCommand(input)),
      this.context.retry,
      { streamName: this.context.streamName, shardId: this.shardId },
    );
    if (output.ShardIterator === undefined) {
      throw requestFailed(
        'GetShardIterator',
        new Error('no ShardIterator in the response'),
        1,
        false,
        {
          streamName: this.context.streamName,
          shardId: this.shardId,
        },
      );
    }
    return output.ShardIterator;
  }
}
