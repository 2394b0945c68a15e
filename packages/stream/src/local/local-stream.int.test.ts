// Real: kinesalite on 127.0.0.1 with LevelDB files in a temporary folder, and the AWS SDK v3 Kinesis client over HTTP/1.1. Faked: nothing.
import { existsSync } from 'node:fs';
import path from 'node:path';

import {
  GetRecordsCommand,
  KinesisClient,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';

import { makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import { StreamError } from '../errors';
import { kinesisClientFor } from './kinesis-client';
import { startLocalStream, type LocalStream } from './local-stream';
import { ensureStream } from './stream-status';

describe('startLocalStream', () => {
  let folder: string | undefined;
  const running: LocalStream[] = [];

  afterEach(async () => {
    for (const local of running.splice(0)) await local.stop().catch(() => undefined);
    await removeTempFolder(folder);
  });

  async function start(dataDir: string): Promise<LocalStream> {
    const local = await startLocalStream({ dataDir });
    running.push(local);
    return local;
  }

  it('listens on 127.0.0.1 on the port it bound', async () => {
    folder = await makeTempFolder('local');
    const local = await start(path.join(folder, 'data'));

    expect(local.port).toBeGreaterThan(0);
    expect(local.endpoint).toBe(`http://127.0.0.1:${local.port}`);
  });

  it('keeps streams and records across a restart on the same folder', async () => {
    folder = await makeTempFolder('local');
    const dataDir = path.join(folder, 'data');
    const first = await start(dataDir);
    const firstClient = kinesisClientFor(first.endpoint);
    await ensureStream(firstClient, 'hl7-adt', 2);
    const put = await firstClient.send(
      new PutRecordsCommand({
        StreamName: 'hl7-adt',
        Records: [
          { PartitionKey: 'facility-east', Data: Buffer.from('record-1') },
          { PartitionKey: 'facility-west', Data: Buffer.from('record-2') },
        ],
      }),
    );
    firstClient.destroy();
    await first.stop();
    running.splice(0);

    const second = await start(dataDir);
    const client = kinesisClientFor(second.endpoint);
    const shards =
      (await client.send(new ListShardsCommand({ StreamName: 'hl7-adt' }))).Shards ?? [];
    const read: string[] = [];
    for (const shard of shards) {
      const iterator = await client.send(
        new GetShardIteratorCommand({
          StreamName: 'hl7-adt',
          ShardId: shard.ShardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      );
      const page = await client.send(
        new GetRecordsCommand({ ShardIterator: iterator.ShardIterator }),
      );
      for (const record of page.Records ?? [])
        read.push(`${record.SequenceNumber}:${Buffer.from(record.Data ?? []).toString()}`);
    }
    client.destroy();

    expect(shards).toHaveLength(2);
    expect(read.sort()).toEqual(
      (put.Records ?? [])
        .map((result, index) => `${result.SequenceNumber}:record-${index + 1}`)
        .sort(),
    );
  });

  it('rejects a data folder that another local stream holds', async () => {
    folder = await makeTempFolder('local');
    const dataDir = path.join(folder, 'data');
    await start(dataDir);

    await expect(startLocalStream({ dataDir })).rejects.toThrow(/could not be opened/);
  });

  it.each([
    { case: 'a negative port', options: { port: -1 }, keyPath: 'port' },
    {
      case: 'a fractional update time',
      options: { updateStreamMs: 1.5 },
      keyPath: 'updateStreamMs',
    },
  ])('rejects $case before creating anything', async ({ options, keyPath }) => {
    folder = await makeTempFolder('local');

    const dataDir = path.join(folder, 'never-created');

    await expect(startLocalStream({ dataDir, ...options })).rejects.toMatchObject({
      issues: [expect.objectContaining({ keyPath })],
    });
    expect(existsSync(dataDir)).toBe(false);
  });
});

describe('kinesisClientFor', () => {
  it.each([
    { case: 'a remote host', endpoint: 'http://kinesis.us-east-1.amazonaws.com' },
    { case: 'https', endpoint: 'https://127.0.0.1:4567' },
    { case: 'not a URL', endpoint: '127.0.0.1:4567' },
  ])('rejects $case', ({ endpoint }) => {
    expect(() => kinesisClientFor(endpoint)).toThrow(StreamError);
  });

  it('accepts a loopback endpoint', () => {
    const client = kinesisClientFor('http://127.0.0.1:4567');

    expect(client).toBeInstanceOf(KinesisClient);
    client.destroy();
  });
});
