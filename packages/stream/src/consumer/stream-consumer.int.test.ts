// Real: StreamConsumer reading kinesalite on 127.0.0.1, checkpoints in a LocalObjectStore in a temporary folder, and records put by StreamProducer. Faked: the FaultInjector (seeded) fails or pages some calls and ages iterators by a ManualClock; retry and idle sleeps return at once.
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';

import { numberedMessage, recordNumberOf } from '../__fixtures__/hl7-messages';
import { startTestStream, type TestStream } from '../__fixtures__/local-stream';
import { MemoryKeyProvider } from '../__fixtures__/memory-key-provider';
import { recordingSleep } from '../__fixtures__/sleeps';
import { range, TableSink } from '../__fixtures__/table-sink';
import { makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import { CheckpointStore } from '../checkpoint/checkpoint-store';
import { RecordDecryptor } from '../encryption/record-decryptor';
import { RecordEncryptor } from '../encryption/record-encryptor';
import { FaultInjector, type FaultInjectorOptions } from '../faults/fault-injector';
import type { KinesisSender } from '../kinesis-sender';
import { StreamProducer } from '../producer/stream-producer';
import type { StreamConsumerOptions } from './consumer-options';
import type { UnreadableStreamRecord } from './stream-batch';
import { StreamConsumer } from './stream-consumer';

describe('StreamConsumer', () => {
  let stream: TestStream;
  let folder: string;
  let store: LocalObjectStore;
  let streamCounter = 0;

  beforeAll(async () => {
    stream = await startTestStream('consumer');
  });

  afterAll(async () => {
    await stream.stop();
  });

  beforeEach(async () => {
    folder = await makeTempFolder('consumer-state');
    store = new LocalObjectStore({ root: folder });
  });

  afterEach(async () => {
    await removeTempFolder(folder);
  });

  async function streamWithRecords(
    count: number,
    shardCount: number,
    options: { aggregate?: boolean; encryptor?: RecordEncryptor; keyCount?: number } = {},
  ) {
    const { keyCount = 5, ...producerOptions } = options;
    streamCounter += 1;
    const streamName = `hl7-consumer-${streamCounter}`;
    await stream.createStream(streamName, shardCount);
    const producer = new StreamProducer({
      client: stream.client,
      streamName,
      lingerMs: 0,
      ...producerOptions,
    });
    await Promise.all(
      range(count).map((index) =>
        producer.put({
          partitionKey: `facility-${index % keyCount}`,
          data: numberedMessage(index),
        }),
      ),
    );
    await producer.close();
    return streamName;
  }

  function consumerFor(
    streamName: string,
    sink: TableSink,
    overrides: Partial<StreamConsumerOptions> = {},
  ): StreamConsumer {
    return new StreamConsumer({
      client: stream.client,
      streamName,
      consumerName: 'adt-loader',
      store,
      sleep: recordingSleep().sleep,
      onBatch: async (batch) => {
        sink.write(batch);
        await batch.commit();
      },
      ...overrides,
    });
  }

  it('reads every shard and hands over positions, keys and timestamps', async () => {
    const streamName = await streamWithRecords(100, 3);
    const sink = new TableSink();
    const consumer = consumerFor(streamName, sink, { maxRecordsPerRequest: 15 });

    const stats = await consumer.run({ untilCaughtUp: true });

    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(100));
    expect(new Set(sink.rows.map((row) => row.shardId)).size).toBe(3);
    for (const row of sink.rows) {
      expect(row.partitionKey).toBe(`facility-${recordNumberOf(row.data) % 5}`);
      expect(row.sequenceNumber).toMatch(/^\d{40,}$/);
      expect(row.subSequenceNumber).toBe(0);
      expect(row.approximateArrivalTimestamp.getTime()).toBeGreaterThan(Date.parse('2020-01-01'));
    }
    expect(stats.recordsDelivered).toBe(100);
    expect(stats.batchesDelivered).toBeGreaterThanOrEqual(7);
  });

  it('keeps shard order within each partition key', async () => {
    const streamName = await streamWithRecords(60, 2);
    const sink = new TableSink();

    await consumerFor(streamName, sink, { maxRecordsPerRequest: 7 }).run({ untilCaughtUp: true });

    for (let key = 0; key < 5; key++) {
      const numbers = sink.rows
        .filter((row) => row.partitionKey === `facility-${key}`)
        .map((row) => recordNumberOf(row.data));
      expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    }
  });

  it('resumes from its checkpoints and replays only the uncommitted batch', async () => {
    const streamName = await streamWithRecords(200, 2);
    const sink = new TableSink();
    let batches = 0;
    const first: StreamConsumer = consumerFor(streamName, sink, {
      maxRecordsPerRequest: 20,
      onBatch: async (batch) => {
        batches += 1;
        sink.write(batch);
        // The fifth batch is written but never committed, as if the process died before the commit.
        if (batches === 5) {
          void first.close();
          return;
        }
        await batch.commit();
      },
    });

    await first.run();
    const afterFirst = sink.rows.length;
    const second = consumerFor(streamName, sink, { maxRecordsPerRequest: 20 });
    const stats = await second.run({ untilCaughtUp: true });

    expect(afterFirst).toBe(100);
    expect(sink.replayedDropped).toBe(20);
    expect(stats.recordsDelivered).toBe(120);
    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(200));
  });

  it('reads nothing again after a full run', async () => {
    const streamName = await streamWithRecords(30, 2);
    await consumerFor(streamName, new TableSink()).run({ untilCaughtUp: true });

    const again = new TableSink();
    const stats = await consumerFor(streamName, again).run({ untilCaughtUp: true });

    const checkpoints = await new CheckpointStore(store, 'adt-loader', streamName).loadAll();

    expect(again.rows).toHaveLength(0);
    expect(stats.recordsDelivered).toBe(0);
    // Batches end with whole Kinesis records, so each shard resumes AFTER its checkpoint.
    expect([...checkpoints.values()].map((checkpoint) => checkpoint.endsKinesisRecord)).toEqual([
      true,
      true,
    ]);
    expect(stats.recordsSkipped).toBe(0);
  });

  it('resumes inside an aggregated record after the committed sub-sequence', async () => {
    // One partition key and no linger wait: the five records form one aggregated record.
    const streamName = await streamWithRecords(5, 1, { aggregate: true, keyCount: 1 });
    const everything = new TableSink();
    await consumerFor(streamName, everything, { consumerName: 'full-reader' }).run({
      untilCaughtUp: true,
    });
    const third = everything.rows[2];
    await new CheckpointStore(store, 'adt-loader', streamName).save({
      shardId: third?.shardId ?? '',
      position: { sequenceNumber: third?.sequenceNumber ?? '', subSequenceNumber: 2 },
      shardEnd: false,
    });

    const sink = new TableSink();
    const stats = await consumerFor(streamName, sink).run({ untilCaughtUp: true });

    expect(everything.rows.every((row) => row.aggregated)).toBe(true);
    expect(everything.rows.map((row) => row.subSequenceNumber)).toEqual([0, 1, 2, 3, 4]);
    expect(new Set(everything.rows.map((row) => row.sequenceNumber)).size).toBe(1);
    expect(sink.numbers()).toEqual([3, 4]);
    expect(stats.recordsSkipped).toBe(3);
  });

  it.each([
    {
      case: 'after a fixed number of calls',
      faults: { expireIteratorEveryCalls: 3 },
      advanceMs: 0,
    },
    { case: 'after five minutes by the clock', faults: {}, advanceMs: 5 * 60_000 + 1 },
  ])('renews an iterator that expires $case', async ({ faults, advanceMs }) => {
    const streamName = await streamWithRecords(120, 2);
    const clock = new ManualClock();
    const injector = new FaultInjector(stream.client, {
      seed: 21,
      clock,
      ...(faults as Partial<FaultInjectorOptions>),
    });
    const sink = new TableSink();
    const consumer = consumerFor(streamName, sink, {
      client: injector.client,
      maxRecordsPerRequest: 10,
      onBatch: async (batch) => {
        sink.write(batch);
        await batch.commit();
        clock.advance(advanceMs);
      },
    });

    const stats = await consumer.run({ untilCaughtUp: true });

    expect(injector.stats.iteratorsExpired).toBeGreaterThan(0);
    expect(stats.iteratorRenewals).toBe(injector.stats.iteratorsExpired);
    expect(sink.replayedDropped).toBe(0);
    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(120));
  });

  it('backs off throttled reads and pages through ListShards', async () => {
    const streamName = await streamWithRecords(80, 3);
    const injector = new FaultInjector(stream.client, {
      seed: 99,
      getRecordsThrottleRate: 0.3,
      listShardsPageSize: 1,
    });
    const { sleep, delaysMs } = recordingSleep();
    const sink = new TableSink();

    const stats = await consumerFor(streamName, sink, {
      client: injector.client,
      sleep,
      maxRecordsPerRequest: 10,
    }).run({
      untilCaughtUp: true,
    });

    expect(injector.stats.getRecordsThrottled).toBeGreaterThan(0);
    expect(stats.getRecordsRetries).toBe(injector.stats.getRecordsThrottled);
    expect(delaysMs.length).toBeGreaterThanOrEqual(injector.stats.getRecordsThrottled);
    expect(injector.stats.listShardsPages).toBeGreaterThanOrEqual(3);
    expect(new Set(sink.rows.map((row) => row.shardId)).size).toBe(3);
    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(80));
  });

  it('keeps reading after empty pages', async () => {
    streamCounter += 1;
    const streamName = `hl7-consumer-${streamCounter}`;
    await stream.createStream(streamName, 1);
    const sink = new TableSink();
    let idleRounds = 0;
    const consumer = consumerFor(streamName, sink, {
      sleep: async () => {
        idleRounds += 1;
        if (idleRounds === 3) {
          await stream.client.send(
            new PutRecordsCommand({
              StreamName: streamName,
              Records: [{ PartitionKey: 'facility-0', Data: numberedMessage(0) }],
            }),
          );
        }
        if (sink.rows.length > 0) void consumer.close();
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });

    await consumer.run();

    expect(idleRounds).toBeGreaterThanOrEqual(3);
    expect(sink.numbers()).toEqual([0]);
  });

  it('stops cleanly when closed during a retry wait', async () => {
    const streamName = await streamWithRecords(5, 1);
    const injector = new FaultInjector(stream.client, { seed: 1, getRecordsThrottleRate: 1 });
    const sink = new TableSink();
    let waits = 0;
    const consumer = consumerFor(streamName, sink, {
      client: injector.client,
      sleep: async () => {
        waits += 1;
        void consumer.close();
        await new Promise<void>((resolve) => setImmediate(resolve));
      },
    });

    const stats = await consumer.run();

    expect(waits).toBe(1);
    expect(stats.getRecordsRetries).toBe(1);
    expect(sink.rows).toHaveLength(0);
  });

  it('starts at LATEST without a checkpoint when asked', async () => {
    const streamName = await streamWithRecords(10, 1);
    const sink = new TableSink();

    const stats = await consumerFor(streamName, sink, { initialPosition: 'LATEST' }).run({
      untilCaughtUp: true,
    });

    expect(stats.recordsDelivered).toBe(0);
  });

  it('dead-letters records that do not decrypt and delivers the rest', async () => {
    const keyProvider = new MemoryKeyProvider();
    const streamName = await streamWithRecords(10, 1, {
      encryptor: new RecordEncryptor({ keyProvider }),
    });
    await stream.client.send(
      new PutRecordsCommand({
        StreamName: streamName,
        Records: [{ PartitionKey: 'facility-0', Data: Buffer.from('MSH|not encrypted') }],
      }),
    );
    const unreadable: UnreadableStreamRecord[] = [];
    const sink = new TableSink();

    await consumerFor(streamName, sink, {
      decryptor: new RecordDecryptor({ keyProvider }),
      deadLetter: async (records) => {
        unreadable.push(...records);
      },
    }).run({ untilCaughtUp: true });

    expect(sink.numbers()).toEqual(range(10));
    expect(unreadable).toHaveLength(1);
    expect(unreadable[0]?.error.name).toBe('RecordEnvelopeError');
    expect(Buffer.from(unreadable[0]?.data ?? []).toString()).toBe('MSH|not encrypted');
  });

  it('stops with an error on an unreadable record without a dead-letter callback', async () => {
    const keyProvider = new MemoryKeyProvider();
    const streamName = await streamWithRecords(3, 1, {
      encryptor: new RecordEncryptor({ keyProvider }),
    });
    const sink = new TableSink();

    const running = consumerFor(streamName, sink, {
      decryptor: new RecordDecryptor({ keyProvider: new MemoryKeyProvider('other-key') }),
    }).run({ untilCaughtUp: true });

    await expect(running).rejects.toThrow(/could not be read and no deadLetter callback is set/);
    expect(sink.rows).toHaveLength(0);
  });

  it('fails for a stream that does not exist', async () => {
    const consumer = consumerFor('no-such-stream', new TableSink(), {
      client: stream.client as KinesisSender,
    });

    await expect(consumer.run({ untilCaughtUp: true })).rejects.toThrow(
      /ListShards on stream no-such-stream failed: ResourceNotFoundException/,
    );
  });
});
