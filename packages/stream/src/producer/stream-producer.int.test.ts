// Real: StreamProducer against kinesalite on 127.0.0.1, with the SDK's HTTP/1.1 client. Faked: linger timers are ManualTimers, and a gate delays PutRecords calls in the back-pressure test.
import { ConfigError } from '@carelake/core';

import { GatedSender, settle } from '../__fixtures__/gated-sender';
import { numberedMessage, recordNumberOf } from '../__fixtures__/hl7-messages';
import { startTestStream, type TestStream } from '../__fixtures__/local-stream';
import { ManualTimers } from '../__fixtures__/manual-timers';
import { readWholeStream } from '../__fixtures__/read-stream';
import { ProducerClosedError } from '../errors';
import type { PutResult } from './producer-types';
import { StreamProducer } from './stream-producer';

const STREAM = 'hl7-adt';

describe('StreamProducer', () => {
  let stream: TestStream;

  beforeAll(async () => {
    stream = await startTestStream('producer');
  });

  afterAll(async () => {
    await stream.stop();
  });

  let streamCounter = 0;
  async function newStream(shardCount = 1): Promise<string> {
    streamCounter += 1;
    const name = `${STREAM}-${streamCounter}`;
    await stream.createStream(name, shardCount);
    return name;
  }

  /** Put records without awaiting them, tracking which ones have resolved. */
  function putMany(producer: StreamProducer, count: number, partitionKey = 'facility-east') {
    const results: Array<PutResult | undefined> = new Array(count).fill(undefined);
    const promises = Array.from({ length: count }, (_, index) =>
      producer
        .put({ partitionKey, data: numberedMessage(index), id: `MSG${index}` })
        .then((result) => {
          results[index] = result;
          return result;
        }),
    );
    return {
      results,
      all: Promise.all(promises),
      resolvedCount: () => results.filter(Boolean).length,
    };
  }

  it('resolves each put with the shard and sequence number the stream stored', async () => {
    const streamName = await newStream(2);
    const producer = new StreamProducer({ client: stream.client, streamName, lingerMs: 0 });

    const results = await Promise.all(
      ['facility-east', 'facility-west', 'facility-east'].map((partitionKey, index) =>
        producer.put({ partitionKey, data: numberedMessage(index) }),
      ),
    );
    await producer.close();
    const stored = await readWholeStream(stream.client, streamName);

    const storedBySequence = new Map(
      stored.map(({ shardId, record }) => [record.SequenceNumber, { shardId, record }]),
    );
    results.forEach((result, index) => {
      const found = storedBySequence.get(result.sequenceNumber);
      expect(found?.shardId).toBe(result.shardId);
      expect(recordNumberOf(found?.record.Data ?? new Uint8Array())).toBe(index);
      expect(result.subSequenceNumber).toBe(0);
      expect(result.aggregated).toBe(false);
    });
    expect(stored).toHaveLength(3);
  });

  it('sends a batch when it reaches maxBatchRecords', async () => {
    const streamName = await newStream();
    const timers = new ManualTimers();
    const producer = new StreamProducer({
      client: stream.client,
      streamName,
      maxBatchRecords: 10,
      lingerMs: 60_000,
      timers,
    });

    const puts = putMany(producer, 25);
    await waitUntil(() => puts.resolvedCount() === 20);
    await settle();

    expect(producer.stats.putRecordsCalls).toBe(2);
    expect(puts.resolvedCount()).toBe(20);

    timers.advance(60_000);
    await puts.all;
    expect(producer.stats.putRecordsCalls).toBe(3);
    await producer.close();
  });

  it('sends a batch when it reaches maxBatchBytes', async () => {
    const streamName = await newStream();
    const timers = new ManualTimers();
    const producer = new StreamProducer({
      client: stream.client,
      streamName,
      maxRecordBytes: 4000,
      maxBatchBytes: 10_000,
      lingerMs: 60_000,
      timers,
    });
    const data = new Uint8Array(3000).fill(0x41);

    const puts = Array.from({ length: 7 }, (_, index) =>
      producer.put({ partitionKey: `key-${index}`, data }),
    );
    await waitUntil(() => producer.stats.recordsAccepted === 6);
    await settle();

    expect(producer.stats.putRecordsCalls).toBe(2);
    expect(producer.stats.recordsAccepted).toBe(6);

    timers.advance(60_000);
    await Promise.all(puts);
    expect(producer.stats.recordsAccepted).toBe(7);
    await producer.close();
  });

  it('sends a lone record once lingerMs has passed', async () => {
    const streamName = await newStream();
    const timers = new ManualTimers();
    const producer = new StreamProducer({
      client: stream.client,
      streamName,
      lingerMs: 250,
      timers,
    });

    const put = producer.put({ partitionKey: 'facility-east', data: numberedMessage(1) });
    await settle();
    timers.advance(249);
    await settle();
    const callsBeforeLinger = producer.stats.putRecordsCalls;
    timers.advance(1);
    const result = await put;

    expect(callsBeforeLinger).toBe(0);
    expect(producer.stats.putRecordsCalls).toBe(1);
    expect(result.sequenceNumber).toMatch(/^\d+$/);
    await producer.close();
  });

  it('makes put wait while the buffer is full', async () => {
    const streamName = await newStream();
    const gate = new GatedSender(stream.client);
    const producer = new StreamProducer({
      client: gate.client,
      streamName,
      maxBatchRecords: 5,
      maxBufferedRecords: 5,
      lingerMs: 0,
    });

    const puts = putMany(producer, 12);
    await settle(20);

    expect(producer.stats.recordsBuffered).toBe(5);
    expect(gate.putRecordsCalls).toBe(1);
    expect(puts.resolvedCount()).toBe(0);

    gate.release();
    const results = await puts.all;
    await producer.close();
    const stored = await readWholeStream(stream.client, streamName);

    expect(results).toHaveLength(12);
    expect(stored.map(({ record }) => recordNumberOf(record.Data ?? new Uint8Array()))).toEqual(
      Array.from({ length: 12 }, (_, index) => index),
    );
  });

  it('flushes buffered records on close and rejects later puts', async () => {
    const streamName = await newStream();
    const timers = new ManualTimers();
    const producer = new StreamProducer({
      client: stream.client,
      streamName,
      lingerMs: 60_000,
      timers,
    });

    const puts = putMany(producer, 3);
    await producer.close();
    await puts.all;

    expect(puts.resolvedCount()).toBe(3);
    expect(timers.pendingCount).toBe(0);
    await expect(
      producer.put({ partitionKey: 'facility-east', data: numberedMessage(4) }),
    ).rejects.toBeInstanceOf(ProducerClosedError);
  });

  it('reports every invalid option at once', () => {
    let error: unknown;
    try {
      new StreamProducer({
        client: stream.client,
        streamName: 'bad name',
        maxBatchRecords: 501,
        lingerMs: -1,
      });
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual([
      'streamName',
      'maxBatchRecords',
      'lingerMs',
    ]);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
