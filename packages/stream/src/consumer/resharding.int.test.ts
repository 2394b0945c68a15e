// Real: StreamProducer and StreamConsumer against kinesalite on 127.0.0.1 with SplitShard and MergeShards, checkpoints in a LocalObjectStore in a temporary folder. Faked: nothing; the consumer is paused by its own onBatch while the stream is resharded.
import { MergeShardsCommand, SplitShardCommand } from '@aws-sdk/client-kinesis';
import { LocalObjectStore } from '@carelake/storage';

import { numberedMessage, recordNumberOf } from '../__fixtures__/hl7-messages';
import { startTestStream, type TestStream } from '../__fixtures__/local-stream';
import { range, TableSink } from '../__fixtures__/table-sink';
import { makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { waitForStreamActive } from '../local/stream-status';
import { StreamProducer } from '../producer/stream-producer';
import { StreamConsumer } from './stream-consumer';

const KEYS = 8;
// 2^127, the middle of the 128-bit hash key space.
const MIDDLE_HASH_KEY = '170141183460469231731687303715884105728';

describe('StreamConsumer across resharding', () => {
  let stream: TestStream;
  let folder: string;
  let store: LocalObjectStore;

  beforeAll(async () => {
    stream = await startTestStream('resharding');
  });

  afterAll(async () => {
    await stream.stop();
  });

  beforeEach(async () => {
    folder = await makeTempFolder('resharding-state');
    store = new LocalObjectStore({ root: folder });
  });

  afterEach(async () => {
    await removeTempFolder(folder);
  });

  async function putRange(streamName: string, from: number, to: number): Promise<void> {
    const producer = new StreamProducer({ client: stream.client, streamName, lingerMs: 0 });
    await Promise.all(
      range(to - from).map((offset) => {
        const number = from + offset;
        return producer.put({
          partitionKey: `patient-${number % KEYS}`,
          data: numberedMessage(number),
        });
      }),
    );
    await producer.close();
  }

  /** Record numbers per partition key, in the order the sink received them. */
  function numbersByKey(sink: TableSink): Map<string, number[]> {
    const byKey = new Map<string, number[]>();
    for (const row of sink.rows) {
      const numbers = byKey.get(row.partitionKey) ?? [];
      numbers.push(recordNumberOf(row.data));
      byKey.set(row.partitionKey, numbers);
    }
    return byKey;
  }

  function expectOrderedPerKey(sink: TableSink, total: number): void {
    const byKey = numbersByKey(sink);
    expect(byKey.size).toBe(KEYS);
    for (const numbers of byKey.values())
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(total));
  }

  it('reads a split parent to its end before its children', async () => {
    const streamName = 'hl7-split';
    await stream.createStream(streamName, 1);
    await putRange(streamName, 0, 300);

    const sink = new TableSink();
    let releaseConsumer: () => void = () => undefined;
    const paused = new Promise<void>((resolve) => (releaseConsumer = resolve));
    let reachedPause: () => void = () => undefined;
    const atPause = new Promise<void>((resolve) => (reachedPause = resolve));
    let batches = 0;
    const consumer = new StreamConsumer({
      client: stream.client,
      streamName,
      consumerName: 'split-reader',
      store,
      maxRecordsPerRequest: 10,
      idleDelayMs: 5,
      // List shards every round, so the children are known while the parent still has records to read.
      shardRefreshIntervalMs: 0,
      onBatch: async (batch) => {
        sink.write(batch);
        await batch.commit();
        batches += 1;
        if (batches === 5) {
          reachedPause();
          await paused;
        }
        if (sink.rows.length === 600) void consumer.close();
      },
    });

    const running = consumer.run();
    await atPause;
    // The split happens while the parent still has 250 unread records.
    await stream.client.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: MIDDLE_HASH_KEY,
      }),
    );
    await waitForStreamActive(stream.client, streamName);
    await putRange(streamName, 300, 600);
    releaseConsumer();
    await running;

    expectOrderedPerKey(sink, 600);
    expect(new Set(sink.rows.map((row) => row.shardId))).toEqual(
      new Set(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']),
    );
    const parentRows = sink.rows.map((row) => row.shardId === 'shardId-000000000000');
    expect(parentRows.lastIndexOf(true)).toBeLessThan(parentRows.indexOf(false));
    const checkpoints = await new CheckpointStore(store, 'split-reader', streamName).loadAll();
    expect(checkpoints.get('shardId-000000000000')?.shardEnd).toBe(true);
    expect(consumer.stats.shardsFinished).toBe(1);
  });

  it('reads both parents of a merge before the merged shard', async () => {
    const streamName = 'hl7-merge';
    await stream.createStream(streamName, 1);
    await putRange(streamName, 0, 100);
    await stream.client.send(
      new SplitShardCommand({
        StreamName: streamName,
        ShardToSplit: 'shardId-000000000000',
        NewStartingHashKey: MIDDLE_HASH_KEY,
      }),
    );
    await waitForStreamActive(stream.client, streamName);
    await putRange(streamName, 100, 300);
    await stream.client.send(
      new MergeShardsCommand({
        StreamName: streamName,
        ShardToMerge: 'shardId-000000000001',
        AdjacentShardToMerge: 'shardId-000000000002',
      }),
    );
    await waitForStreamActive(stream.client, streamName);
    await putRange(streamName, 300, 400);

    const sink = new TableSink();
    const consumer = new StreamConsumer({
      client: stream.client,
      streamName,
      consumerName: 'merge-reader',
      store,
      maxRecordsPerRequest: 10,
      idleDelayMs: 5,
      onBatch: async (batch) => {
        sink.write(batch);
        await batch.commit();
      },
    });

    const stats = await consumer.run({ untilCaughtUp: true });

    expectOrderedPerKey(sink, 400);
    const firstMergedRow = sink.rows.findIndex((row) => row.shardId === 'shardId-000000000003');
    const lastParentRow = sink.rows
      .map((row) => row.shardId !== 'shardId-000000000003')
      .lastIndexOf(true);
    expect(firstMergedRow).toBeGreaterThan(lastParentRow);
    expect(stats.shardsFinished).toBe(3);
  });
});
