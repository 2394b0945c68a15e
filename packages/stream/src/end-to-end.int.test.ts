// Real: StreamProducer → kinesalite on 127.0.0.1 → StreamConsumer, AES-256-GCM record encryption, checkpoints in a LocalObjectStore in a temporary folder. Faked: the FaultInjector (seeded) fails about 10% of PutRecords entries and some GetRecords calls, the KeyProvider keeps its key in memory, and backoff sleeps return at once.
import { LocalObjectStore } from '@carelake/storage';

import { numberedMessage } from './__fixtures__/hl7-messages';
import { startTestStream, type TestStream } from './__fixtures__/local-stream';
import { MemoryKeyProvider } from './__fixtures__/memory-key-provider';
import { recordingSleep } from './__fixtures__/sleeps';
import { range, TableSink } from './__fixtures__/table-sink';
import { makeTempFolder, removeTempFolder } from './__fixtures__/temp-folder';
import { StreamConsumer } from './consumer/stream-consumer';
import { RecordDecryptor } from './encryption/record-decryptor';
import { RecordEncryptor } from './encryption/record-encryptor';
import { FaultInjector } from './faults/fault-injector';
import { StreamProducer } from './producer/stream-producer';
import { seededRandom } from './retry';

const RECORDS = 5000;

describe('producer to consumer under faults', () => {
  let stream: TestStream;
  let folder: string;

  beforeAll(async () => {
    stream = await startTestStream('end-to-end');
  });

  afterAll(async () => {
    await stream.stop();
  });

  beforeEach(async () => {
    folder = await makeTempFolder('end-to-end-state');
  });

  afterEach(async () => {
    await removeTempFolder(folder);
  });

  it.each([
    {
      case: 'plain records',
      aggregate: false,
      streamName: 'hl7-e2e-plain',
      maxRecordBytes: undefined,
      minFailedEntries: 300,
    },
    // Aggregated records of at most 16 KiB hold about 15 messages each, so there are enough entries to fail.
    {
      case: 'aggregated records',
      aggregate: true,
      streamName: 'hl7-e2e-aggregated',
      maxRecordBytes: 16 * 1024,
      minFailedEntries: 10,
    },
  ])(
    'delivers 5,000 $case once each',
    async ({ aggregate, streamName, maxRecordBytes, minFailedEntries }) => {
      await stream.createStream(streamName, 4);
      const keyProvider = new MemoryKeyProvider();
      // One injector per side, so each side's faults depend only on its own calls.
      const producerFaults = new FaultInjector(stream.client, {
        seed: 2026,
        putRecordsEntryFailureRate: 0.1,
      });
      const consumerFaults = new FaultInjector(stream.client, {
        seed: 2027,
        getRecordsThrottleRate: 0.2,
      });
      const producerSleep = recordingSleep();
      const producer = new StreamProducer({
        client: producerFaults.client,
        streamName,
        aggregate,
        ...(maxRecordBytes ? { maxRecordBytes } : {}),
        encryptor: new RecordEncryptor({ keyProvider, rotateAfterRecords: 1000 }),
        lingerMs: 5,
        maxBufferedRecords: 1000,
        sleep: producerSleep.sleep,
        random: seededRandom(1),
        deadLetter: async (records) => {
          throw new Error(`${records.length} records were dead-lettered`);
        },
      });
      const sink = new TableSink();
      const consumer = new StreamConsumer({
        client: consumerFaults.client,
        streamName,
        consumerName: 'e2e-loader',
        store: new LocalObjectStore({ root: folder }),
        decryptor: new RecordDecryptor({ keyProvider }),
        maxRecordsPerRequest: aggregate ? 10 : 100,
        idleDelayMs: 2,
        random: seededRandom(2),
        onBatch: async (batch) => {
          sink.write(batch);
          await batch.commit();
          if (sink.rows.length >= RECORDS) void consumer.close();
        },
      });

      // The consumer reads while the producer is still writing.
      const consuming = consumer.run();
      await Promise.all(
        range(RECORDS).map((index) =>
          producer.put({
            partitionKey: `facility-${index % 20}`,
            data: numberedMessage(index),
            id: `MSG${index}`,
          }),
        ),
      );
      await producer.close();
      await consuming;

      const numbers = sink.numbers();
      expect(producerFaults.stats.putRecordsEntriesFailed).toBeGreaterThan(minFailedEntries);
      expect(consumerFaults.stats.getRecordsThrottled).toBeGreaterThan(0);
      expect(consumer.stats.getRecordsRetries).toBe(consumerFaults.stats.getRecordsThrottled);
      expect(producer.stats.recordsAccepted).toBe(RECORDS);
      expect(producer.stats.recordsDeadLettered).toBe(0);
      expect(numbers).toHaveLength(RECORDS);
      expect(new Set(numbers).size).toBe(RECORDS);
      expect([...numbers].sort((a, b) => a - b)).toEqual(range(RECORDS));
      expect(sink.rows.some((row) => row.aggregated)).toBe(aggregate);
    },
  );
});
