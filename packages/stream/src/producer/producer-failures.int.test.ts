// Real: StreamProducer against kinesalite on 127.0.0.1. Faked: the FaultInjector fails PutRecords entries and calls from a seed, and the backoff sleep returns at once.
import { numberedMessage, recordNumberOf } from '../__fixtures__/hl7-messages';
import { startTestStream, type TestStream } from '../__fixtures__/local-stream';
import { readWholeStream } from '../__fixtures__/read-stream';
import { recordingSleep } from '../__fixtures__/sleeps';
import { StreamRecordFailedError } from '../errors';
import { FaultInjector } from '../faults/fault-injector';
import { seededRandom } from '../retry';
import type { DeadLetterRecord } from './producer-types';
import { StreamProducer } from './stream-producer';

describe('StreamProducer failures', () => {
  let stream: TestStream;
  let streamCounter = 0;

  beforeAll(async () => {
    stream = await startTestStream('producer-failures');
  });

  afterAll(async () => {
    await stream.stop();
  });

  async function newStream(): Promise<string> {
    streamCounter += 1;
    const name = `hl7-oru-${streamCounter}`;
    await stream.createStream(name, 2);
    return name;
  }

  function putNumbered(producer: StreamProducer, count: number) {
    return Array.from({ length: count }, (_, index) =>
      producer.put({
        partitionKey: `facility-${index % 3}`,
        data: numberedMessage(index),
        id: `MSG${index}`,
      }),
    );
  }

  it('resends only the failed entries until all are stored once', async () => {
    const streamName = await newStream();
    const faults = new FaultInjector(stream.client, { seed: 7, putRecordsEntryFailureRate: 0.3 });
    const { sleep, delaysMs } = recordingSleep();
    const producer = new StreamProducer({
      client: faults.client,
      streamName,
      maxBatchRecords: 50,
      lingerMs: 0,
      sleep,
      random: seededRandom(1),
    });

    await Promise.all(putNumbered(producer, 200));
    await producer.close();
    const stored = await readWholeStream(stream.client, streamName);
    const numbers = stored.map(({ record }) => recordNumberOf(record.Data ?? new Uint8Array()));

    expect(faults.stats.putRecordsEntriesFailed).toBeGreaterThan(30);
    expect(producer.stats.entriesRetried).toBe(faults.stats.putRecordsEntriesFailed);
    expect(producer.stats.recordsAccepted).toBe(200);
    expect(delaysMs.length).toBeGreaterThan(0);
    expect(numbers).toHaveLength(200);
    expect(new Set(numbers).size).toBe(200);
  });

  it('repeats whole calls that are throttled', async () => {
    const streamName = await newStream();
    const faults = new FaultInjector(stream.client, { seed: 11, putRecordsCallFailureRate: 0.5 });
    const { sleep } = recordingSleep();
    const producer = new StreamProducer({
      client: faults.client,
      streamName,
      maxBatchRecords: 10,
      lingerMs: 0,
      sleep,
    });

    await Promise.all(putNumbered(producer, 60));
    await producer.close();
    const stored = await readWholeStream(stream.client, streamName);

    expect(faults.stats.putRecordsCallsFailed).toBeGreaterThan(0);
    expect(stored).toHaveLength(60);
  });

  it('dead-letters records whose retries run out, with their error codes', async () => {
    const streamName = await newStream();
    const faults = new FaultInjector(stream.client, { seed: 3, putRecordsEntryFailureRate: 1 });
    const { sleep, delaysMs } = recordingSleep();
    const deadLettered: DeadLetterRecord[] = [];
    const producer = new StreamProducer({
      client: faults.client,
      streamName,
      lingerMs: 0,
      retry: { maxAttempts: 3, baseDelayMs: 100, maxDelayMs: 1000 },
      sleep,
      deadLetter: async (records) => {
        deadLettered.push(...records);
      },
    });

    const outcomes = await Promise.allSettled(putNumbered(producer, 4));
    await producer.close();

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'rejected',
      'rejected',
      'rejected',
      'rejected',
    ]);
    const error = (outcomes[0] as PromiseRejectedResult).reason as StreamRecordFailedError;
    expect(error).toBeInstanceOf(StreamRecordFailedError);
    expect(error.deadLettered).toBe(true);
    expect(error.attempts).toBe(3);
    expect(deadLettered.map((record) => record.id).sort()).toEqual([
      'MSG0',
      'MSG1',
      'MSG2',
      'MSG3',
    ]);
    expect(deadLettered.every((record) => record.attempts === 3)).toBe(true);
    expect(new Set(deadLettered.map((record) => record.errorCode))).toEqual(
      new Set(['ProvisionedThroughputExceededException', 'InternalFailure']),
    );
    expect(deadLettered.map((record) => recordNumberOf(record.data)).sort()).toEqual([0, 1, 2, 3]);
    expect(delaysMs).toHaveLength(2);
    expect(delaysMs[0]).toBeLessThan(100);
    expect(delaysMs[1]).toBeLessThan(200);
    expect(producer.stats.recordsDeadLettered).toBe(4);
    expect(await readWholeStream(stream.client, streamName)).toHaveLength(0);
  });

  it('rejects without dead-lettering when the stream does not exist', async () => {
    const deadLetter = jest.fn(async () => undefined);
    const producer = new StreamProducer({
      client: stream.client,
      streamName: 'no-such-stream',
      lingerMs: 0,
      deadLetter,
    });

    const outcome = producer.put({
      partitionKey: 'facility-east',
      data: numberedMessage(0),
      id: 'MSG0',
    });

    await expect(outcome).rejects.toMatchObject({
      deadLettered: false,
      errorCode: 'ResourceNotFoundException',
      attempts: 1,
    });
    expect(deadLetter).not.toHaveBeenCalled();
    await producer.close();
  });

  it('reports records as not stored when the dead-letter callback fails', async () => {
    const streamName = await newStream();
    const faults = new FaultInjector(stream.client, { seed: 5, putRecordsEntryFailureRate: 1 });
    const producer = new StreamProducer({
      client: faults.client,
      streamName,
      lingerMs: 0,
      retry: { maxAttempts: 2 },
      sleep: recordingSleep().sleep,
      deadLetter: async () => {
        throw new Error('quarantine unavailable');
      },
    });

    const outcome = producer.put({
      partitionKey: 'facility-east',
      data: numberedMessage(0),
      id: 'MSG0',
    });

    await expect(outcome).rejects.toMatchObject({
      deadLettered: false,
      cause: expect.objectContaining({ message: 'quarantine unavailable' }),
    });
    expect(producer.stats.recordsFailed).toBe(1);
    await producer.close();
  });
});
