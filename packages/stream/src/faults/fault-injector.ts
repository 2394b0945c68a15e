import {
  ExpiredIteratorException,
  GetRecordsCommand,
  GetShardIteratorCommand,
  InvalidArgumentException,
  ListShardsCommand,
  ProvisionedThroughputExceededException,
  PutRecordsCommand,
  type GetRecordsCommandOutput,
  type KinesisClient,
  type ListShardsCommandInput,
  type ListShardsCommandOutput,
  type PutRecordsCommandOutput,
  type PutRecordsResultEntry,
} from '@aws-sdk/client-kinesis';
import type { Clock } from '@carelake/core';

import { SHARD_ITERATOR_LIFETIME_MS } from '../kinesis-limits';
import type { KinesisSender } from '../kinesis-sender';
import { seededRandom, type RandomSource } from '../retry';

export interface FaultInjectorOptions {
  /** Seed of the random choices: the same seed and the same calls fail the same way. */
  seed: number;
  /** Share of PutRecords entries, 0 to 1, failed with a per-entry `ErrorCode` and not written. */
  putRecordsEntryFailureRate?: number;
  /** Share of PutRecords calls, 0 to 1, failed whole with `ProvisionedThroughputExceededException`. */
  putRecordsCallFailureRate?: number;
  /** Share of GetRecords calls, 0 to 1, failed with `ProvisionedThroughputExceededException`. */
  getRecordsThrottleRate?: number;
  /** Fail every Nth GetRecords call with `ExpiredIteratorException`. */
  expireIteratorEveryCalls?: number;
  /**
   * Clock that ages shard iterators. With it, an iterator older than
   * `iteratorLifetimeMs` fails with `ExpiredIteratorException`, as on AWS.
   */
  clock?: Clock;
  /** Iterator lifetime by `clock`, five minutes by default as on AWS. */
  iteratorLifetimeMs?: number;
  /** Split ListShards responses into pages of this many shards with a `NextToken`, which kinesalite never returns. */
  listShardsPageSize?: number;
}

/** Faults injected so far, for tests to check that the faults they asked for happened. */
export interface FaultInjectorStats {
  putRecordsEntriesFailed: number;
  putRecordsCallsFailed: number;
  getRecordsThrottled: number;
  iteratorsExpired: number;
  listShardsPages: number;
}

type SendFunction = (command: unknown) => Promise<unknown>;

/**
 * Wraps a Kinesis client's `send` and makes some calls fail the way Kinesis
 * does, deterministically from a seed. A PutRecords entry chosen to fail is
 * left out of the real call, so the stream never stores it, and gets an
 * `ErrorCode` in the response at its own index, as a partial failure does.
 * Calls of other kinds pass through unchanged.
 */
export class FaultInjector {
  /** The wrapped client to give the producer and the consumer. */
  readonly client: KinesisSender;
  private readonly target: KinesisSender;
  private settings: FaultInjectorOptions;
  private readonly random: RandomSource;
  private readonly iteratorIssuedAtMs = new Map<string, number>();
  private getRecordsCalls = 0;
  private readonly counters: FaultInjectorStats = {
    putRecordsEntriesFailed: 0,
    putRecordsCallsFailed: 0,
    getRecordsThrottled: 0,
    iteratorsExpired: 0,
    listShardsPages: 0,
  };

  constructor(target: KinesisSender, options: FaultInjectorOptions) {
    this.target = target;
    this.settings = { ...options };
    this.random = seededRandom(options.seed);
    const send: SendFunction = (command) => this.intercept(command);
    this.client = { send: send as KinesisClient['send'] };
  }

  get stats(): FaultInjectorStats {
    return { ...this.counters };
  }

  /** Change the fault rates from now on, such as to stop failing calls; the seed stays. */
  configure(changes: Partial<Omit<FaultInjectorOptions, 'seed'>>): void {
    this.settings = { ...this.settings, ...changes };
  }

  private async intercept(command: unknown): Promise<unknown> {
    if (command instanceof PutRecordsCommand) return this.putRecords(command);
    if (command instanceof GetRecordsCommand) return this.getRecords(command);
    if (command instanceof GetShardIteratorCommand) {
      const output = await this.target.send(command);
      if (output.ShardIterator !== undefined) this.trackIterator(output.ShardIterator);
      return output;
    }
    if (command instanceof ListShardsCommand && this.settings.listShardsPageSize !== undefined) {
      return this.listShardsPage(command.input, this.settings.listShardsPageSize);
    }
    return (this.target.send as unknown as SendFunction)(command);
  }

  private async putRecords(command: PutRecordsCommand): Promise<PutRecordsCommandOutput> {
    const input = command.input;
    if (this.chance(this.settings.putRecordsCallFailureRate)) {
      this.counters.putRecordsCallsFailed += 1;
      throw new ProvisionedThroughputExceededException({
        message: `Rate exceeded for stream ${input.StreamName} (injected fault).`,
        $metadata: {},
      });
    }

    const entries = input.Records ?? [];
    const failing = entries.map(() => this.chance(this.settings.putRecordsEntryFailureRate));
    const writtenEntries = entries.filter((_, index) => !failing[index]);
    const output: PutRecordsCommandOutput =
      writtenEntries.length > 0
        ? await this.target.send(new PutRecordsCommand({ ...input, Records: writtenEntries }))
        : { FailedRecordCount: 0, Records: [], $metadata: {} };

    const writtenResults = output.Records ?? [];
    let writtenIndex = 0;
    const results: PutRecordsResultEntry[] = failing.map((fails) => {
      if (!fails) return writtenResults[writtenIndex++] ?? {};
      this.counters.putRecordsEntriesFailed += 1;
      // Alternate the two codes Kinesis returns per entry, without a random draw.
      return this.counters.putRecordsEntriesFailed % 2 === 1
        ? {
            ErrorCode: 'ProvisionedThroughputExceededException',
            ErrorMessage: `Rate exceeded for shard in stream ${input.StreamName} (injected fault).`,
          }
        : {
            ErrorCode: 'InternalFailure',
            ErrorMessage: 'Internal service failure (injected fault).',
          };
    });
    const injected = failing.filter(Boolean).length;
    return {
      ...output,
      FailedRecordCount: (output.FailedRecordCount ?? 0) + injected,
      Records: results,
    };
  }

  private async getRecords(command: GetRecordsCommand): Promise<GetRecordsCommandOutput> {
    this.getRecordsCalls += 1;
    const iterator = command.input.ShardIterator ?? '';

    if (this.chance(this.settings.getRecordsThrottleRate)) {
      this.counters.getRecordsThrottled += 1;
      throw new ProvisionedThroughputExceededException({
        message: 'Rate exceeded for shard (injected fault).',
        $metadata: {},
      });
    }
    const every = this.settings.expireIteratorEveryCalls;
    if ((every !== undefined && this.getRecordsCalls % every === 0) || this.isTooOld(iterator)) {
      this.counters.iteratorsExpired += 1;
      this.iteratorIssuedAtMs.delete(iterator);
      throw new ExpiredIteratorException({
        message: 'Iterator expired (injected fault).',
        $metadata: {},
      });
    }

    this.iteratorIssuedAtMs.delete(iterator);
    const output = await this.target.send(command);
    if (output.NextShardIterator) this.trackIterator(output.NextShardIterator);
    return output;
  }

  private async listShardsPage(
    input: ListShardsCommandInput,
    pageSize: number,
  ): Promise<ListShardsCommandOutput> {
    if (input.StreamName !== undefined && input.NextToken !== undefined) {
      throw new InvalidArgumentException({
        message: 'NextToken and StreamName cannot be provided together.',
        $metadata: {},
      });
    }
    const page =
      input.NextToken === undefined
        ? { streamName: input.StreamName, offset: 0 }
        : decodePageToken(input.NextToken);
    const all = await this.target.send(new ListShardsCommand({ StreamName: page.streamName }));
    const shards = all.Shards ?? [];
    const end = page.offset + pageSize;
    this.counters.listShardsPages += 1;

    const output: ListShardsCommandOutput = { ...all, Shards: shards.slice(page.offset, end) };
    if (end < shards.length)
      output.NextToken = encodePageToken({ streamName: page.streamName, offset: end });
    else delete output.NextToken;
    return output;
  }

  private trackIterator(iterator: string): void {
    if (this.settings.clock)
      this.iteratorIssuedAtMs.set(iterator, this.settings.clock.now().getTime());
  }

  private isTooOld(iterator: string): boolean {
    const issuedAtMs = this.iteratorIssuedAtMs.get(iterator);
    if (issuedAtMs === undefined || !this.settings.clock) return false;
    const lifetimeMs = this.settings.iteratorLifetimeMs ?? SHARD_ITERATOR_LIFETIME_MS;
    return this.settings.clock.now().getTime() - issuedAtMs > lifetimeMs;
  }

  /**
   * Draw a number even when the rate is unset, so that turning one fault on or
   * off with `configure` does not change which calls the other faults hit.
   */
  private chance(rate: number | undefined): boolean {
    const draw = this.random();
    return rate !== undefined && draw < rate;
  }
}

interface PageToken {
  streamName: string | undefined;
  offset: number;
}

function encodePageToken(token: PageToken): string {
  return Buffer.from(JSON.stringify(token), 'utf8').toString('base64');
}

function decodePageToken(token: string): PageToken {
  const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as PageToken;
  return { streamName: parsed.streamName, offset: Number(parsed.offset) };
}
