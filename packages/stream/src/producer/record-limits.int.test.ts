// Real: StreamProducer against kinesalite on 127.0.0.1, and RecordEncryptor with AES-256-GCM. Faked: the KeyProvider keeps its key in memory.
import { MemoryKeyProvider } from '../__fixtures__/memory-key-provider';
import { startTestStream, type TestStream } from '../__fixtures__/local-stream';
import { readWholeStream } from '../__fixtures__/read-stream';
import { RecordEncryptor } from '../encryption/record-encryptor';
import { InvalidStreamRecordError } from '../errors';
import { DEFAULT_MAX_RECORD_BYTES } from '../kinesis-limits';
import { StreamProducer } from './stream-producer';

const STREAM = 'hl7-limits';
const SECRET = 'PID|1||SECRET-VALUE';

function dataOf(sizeBytes: number): Uint8Array {
  const data = Buffer.alloc(sizeBytes, 0x41);
  data.write(SECRET, 0);
  return data;
}

describe('producer record limits', () => {
  let stream: TestStream;

  beforeAll(async () => {
    stream = await startTestStream('limits');
    await stream.createStream(STREAM, 1);
  });

  afterAll(async () => {
    await stream.stop();
  });

  it.each([
    {
      case: 'data plus partition key over 1 MiB',
      record: {
        partitionKey: 'facility-east',
        data: dataOf(DEFAULT_MAX_RECORD_BYTES - 12),
        id: 'MSG-big',
      },
      options: {},
      rule: 'record-size',
      message:
        /record 0 \(id "MSG-big"\) is 1048577 bytes with its partition key, over the maximum record size of 1048576 bytes/,
    },
    {
      case: 'a record over a configured maximum',
      record: { partitionKey: 'k', data: dataOf(1000), id: 'MSG-1000' },
      options: { maxRecordBytes: 1000 },
      rule: 'record-size',
      message: /is 1001 bytes with its partition key, over the maximum record size of 1000 bytes/,
    },
    {
      case: 'an empty partition key',
      record: { partitionKey: '', data: dataOf(10) },
      options: {},
      rule: 'partition-key',
      message:
        /record 0 has an invalid partition key: expected 1 to 256 characters, found 0 characters/,
    },
    {
      case: 'a partition key of 257 characters',
      record: { partitionKey: 'p'.repeat(257), data: dataOf(10) },
      options: {},
      rule: 'partition-key',
      message: /found 257 characters/,
    },
    {
      case: 'an explicit hash key of 2^128',
      record: { partitionKey: 'k', explicitHashKey: (2n ** 128n).toString(), data: dataOf(10) },
      options: {},
      rule: 'explicit-hash-key',
      message: /invalid explicit hash key/,
    },
  ])('rejects $case without sending it', async ({ record, options, rule, message }) => {
    const producer = new StreamProducer({
      client: stream.client,
      streamName: STREAM,
      lingerMs: 0,
      ...options,
    });

    const outcome = producer.put(record);

    await expect(outcome).rejects.toBeInstanceOf(InvalidStreamRecordError);
    await expect(outcome).rejects.toMatchObject({ rule, recordIndex: 0 });
    await expect(outcome).rejects.toThrow(message);
    await outcome.catch((error: Error) => expect(error.message).not.toContain('SECRET-VALUE'));
    await producer.close();
    expect(producer.stats.putRecordsCalls).toBe(0);
  });

  it('accepts a record of exactly the maximum size', async () => {
    const producer = new StreamProducer({ client: stream.client, streamName: STREAM, lingerMs: 0 });

    const result = await producer.put({
      partitionKey: 'facility-east',
      data: dataOf(DEFAULT_MAX_RECORD_BYTES - 13),
    });
    await producer.close();
    const stored = await readWholeStream(stream.client, STREAM);

    expect(
      stored.find(({ record }) => record.SequenceNumber === result.sequenceNumber)?.record.Data,
    ).toHaveLength(DEFAULT_MAX_RECORD_BYTES - 13);
  });

  it('counts the encryption envelope against the maximum size', async () => {
    const encryptor = new RecordEncryptor({ keyProvider: new MemoryKeyProvider() });
    const producer = new StreamProducer({
      client: stream.client,
      streamName: STREAM,
      lingerMs: 0,
      maxRecordBytes: 1000,
      encryptor,
    });

    const [fits, tooLarge] = await Promise.allSettled([
      producer.put({ partitionKey: 'k', data: dataOf(800), id: 'fits' }),
      producer.put({ partitionKey: 'k', data: dataOf(950), id: 'too-large' }),
    ]);

    expect(fits.status).toBe('fulfilled');
    expect(tooLarge.status).toBe('rejected');
    expect(String((tooLarge as PromiseRejectedResult).reason)).toMatch(
      /record 1 \(id "too-large"\) is 1059 bytes with its partition key and encryption envelope/,
    );
    await producer.close();
  });

  it('keeps putting other records after rejecting one', async () => {
    const producer = new StreamProducer({
      client: stream.client,
      streamName: STREAM,
      lingerMs: 0,
      maxRecordBytes: 100,
    });

    const outcomes = await Promise.allSettled([
      producer.put({ partitionKey: 'k', data: dataOf(20) }),
      producer.put({ partitionKey: 'k', data: dataOf(200) }),
      producer.put({ partitionKey: 'k', data: dataOf(20) }),
    ]);
    await producer.close();

    expect(outcomes.map((outcome) => outcome.status)).toEqual([
      'fulfilled',
      'rejected',
      'fulfilled',
    ]);
  });
});
