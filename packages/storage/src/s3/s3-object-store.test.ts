// S3ObjectStore against a real s3rver on 127.0.0.1 with the real AWS SDK. A client middleware only records requests.
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';

import {
  GetObjectTaggingCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { CarelakeError } from '@carelake/core';

import {
  failingStream,
  generatedSha256,
  generatedStream,
  hashStream,
  MIB,
} from '../__fixtures__/generated-bytes';
import { startS3TestServer, type S3TestServer } from '../__fixtures__/s3-test-server';
import { makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import { ObjectNotFoundError, StorageError } from '../errors';
import { S3ObjectStore, encodeCopySource } from './s3-object-store';

interface RecordedRequest {
  command: string;
  headers: Record<string, string>;
}

/** Record the command name and final headers of every request the client sends, until `stop`. */
let recorderCount = 0;

function recordRequests(client: S3Client): { requests: RecordedRequest[]; stop(): void } {
  const name = `carelake-test-recorder-${++recorderCount}`;
  const requests: RecordedRequest[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const { headers } = args.request as { headers: Record<string, string> };
      requests.push({ command: context.commandName ?? '', headers: { ...headers } });
      return next(args);
    },
    { step: 'finalizeRequest', name },
  );
  return { requests, stop: () => client.middlewareStack.remove(name) };
}

function commandCounts(requests: RecordedRequest[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { command } of requests) counts[command] = (counts[command] ?? 0) + 1;
  return counts;
}

let server: S3TestServer;
let folder: string;
let storeCount = 0;

beforeAll(async () => {
  server = await startS3TestServer();
  folder = await makeTempFolder('s3');
});

afterAll(async () => {
  await server.stop();
  await removeTempFolder(folder);
});

function newStore(): S3ObjectStore {
  return new S3ObjectStore({
    client: server.client,
    bucket: server.bucket,
    prefix: `s3-test-${++storeCount}/`,
    materializeDir: folder,
  });
}

describe('S3ObjectStore', () => {
  it('streams 20 MiB in 8 MiB parts', async () => {
    const store = newStore();
    const sizeBytes = 20 * MIB;
    const recorder = recordRequests(server.client);

    const result = await store
      .put('landing/sftp/batch.bin', generatedStream(sizeBytes))
      .finally(recorder.stop);

    expect(result).toEqual({
      key: 'landing/sftp/batch.bin',
      sizeBytes,
      sha256: generatedSha256(sizeBytes),
    });
    expect(commandCounts(recorder.requests)).toEqual({
      CreateMultipartUploadCommand: 1,
      UploadPartCommand: 3,
      CompleteMultipartUploadCommand: 1,
    });
    expect((await store.head('landing/sftp/batch.bin'))?.sizeBytes).toBe(sizeBytes);
    expect(await hashStream(await store.getStream('landing/sftp/batch.bin'))).toEqual({
      sha256: generatedSha256(sizeBytes),
      sizeBytes,
    });
  });

  // NOTE: s3rver 3.7 ignores If-None-Match on writes and overwrites the object, so these
  // cases check the request that S3 receives, not S3's 412 response. s3-errors.test.ts
  // checks that a 412 becomes ObjectExistsError.
  it.each([
    {
      case: 'single put',
      sizeBytes: 100,
      ifNoneMatch: true,
      command: 'PutObjectCommand',
      expected: '*',
    },
    {
      case: 'multipart put',
      sizeBytes: 9 * MIB,
      ifNoneMatch: true,
      command: 'CompleteMultipartUploadCommand',
      expected: '*',
    },
    {
      case: 'plain put',
      sizeBytes: 100,
      ifNoneMatch: false,
      command: 'PutObjectCommand',
      expected: undefined,
    },
  ])('sends If-None-Match on $case', async ({ sizeBytes, ifNoneMatch, command, expected }) => {
    const store = newStore();
    const recorder = recordRequests(server.client);

    await store
      .put('_state/commits/00000001.json', generatedStream(sizeBytes), { ifNoneMatch })
      .finally(recorder.stop);

    const sent = recorder.requests.filter((request) => request.command === command);
    expect(sent).toHaveLength(1);
    expect(sent[0]?.headers['if-none-match']).toBe(expected);
  });

  // s3rver 3.7 responds to AbortMultipartUpload with 405, so the parts stay on the server.
  it('aborts multipart upload when body fails', async () => {
    const store = newStore();
    const sourceError = new Error('connection reset');
    const recorder = recordRequests(server.client);

    const failure = store
      .put('landing/sftp/half.bin', failingStream(12 * MIB, sourceError))
      .finally(recorder.stop);

    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toMatchObject({ cause: sourceError });

    const counts = commandCounts(recorder.requests);
    expect(counts['AbortMultipartUploadCommand']).toBe(1);
    expect(counts['CompleteMultipartUploadCommand']).toBeUndefined();
    expect(await store.head('landing/sftp/half.bin')).toBeUndefined();
  });

  it('lists under nested prefix', async () => {
    const tenant = new S3ObjectStore({
      client: server.client,
      bucket: server.bucket,
      prefix: 'nested/east/lake',
    });
    const bucketRoot = new S3ObjectStore({ client: server.client, bucket: server.bucket });
    await tenant.put('raw/hl7v2/b.parquet', 'b');
    await tenant.put('raw/fhir/a.parquet', 'a');
    await bucketRoot.put('nested/east/other.txt', 'outside the tenant');
    await bucketRoot.put('nested/west/lake/raw/hl7v2/c.parquet', 'another tenant');

    const tenantKeys: string[] = [];
    for await (const info of tenant.list({ prefix: 'raw/' })) tenantKeys.push(info.key);
    const bucketKeys: string[] = [];
    for await (const info of bucketRoot.list({ prefix: 'nested/' })) bucketKeys.push(info.key);

    expect(tenant.prefix).toBe('nested/east/lake/');
    expect(tenantKeys).toEqual(['raw/fhir/a.parquet', 'raw/hl7v2/b.parquet']);
    expect(bucketKeys).toEqual([
      'nested/east/lake/raw/fhir/a.parquet',
      'nested/east/lake/raw/hl7v2/b.parquet',
      'nested/east/other.txt',
      'nested/west/lake/raw/hl7v2/c.parquet',
    ]);
    expect(await tenant.head('nested/east/other.txt')).toBeUndefined();
  });

  it('returns undefined on head of missing key', async () => {
    expect(await newStore().head('landing/none.hl7')).toBeUndefined();
  });

  it('encodes CopySource header', async () => {
    const store = newStore();
    const sourceKey = 'curated/encounters/admit_date=2024-05-01/part 0-é.parquet';
    await store.put(sourceKey, 'parquet bytes');
    const recorder = recordRequests(server.client);

    await store.copy(sourceKey, 'curated/copy.parquet').finally(recorder.stop);

    const copySource = recorder.requests[0]?.headers['x-amz-copy-source'];
    expect(copySource).toBe(
      `${server.bucket}/${store.prefix}curated/encounters/admit_date=2024-05-01/part%200-%C3%A9.parquet`,
    );
    expect(Buffer.from(await store.get('curated/copy.parquet')).toString()).toBe('parquet bytes');
  });

  const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

  function encryptedStore(bucketKey?: boolean): S3ObjectStore {
    return new S3ObjectStore({
      client: server.client,
      bucket: server.bucket,
      prefix: `s3-test-${++storeCount}/`,
      encryption: { kmsKeyId: KMS_KEY_ARN, ...(bucketKey === undefined ? {} : { bucketKey }) },
    });
  }

  function sseHeaders(request: RecordedRequest | undefined): Record<string, string | undefined> {
    return {
      algorithm: request?.headers['x-amz-server-side-encryption'],
      keyId: request?.headers['x-amz-server-side-encryption-aws-kms-key-id'],
      bucketKey: request?.headers['x-amz-server-side-encryption-bucket-key-enabled'],
    };
  }

  it.each([
    { case: 'single put', sizeBytes: 100, command: 'PutObjectCommand' },
    { case: 'multipart put', sizeBytes: 9 * MIB, command: 'CreateMultipartUploadCommand' },
  ])('sends SSE-KMS on $case', async ({ sizeBytes, command }) => {
    const store = encryptedStore();
    const recorder = recordRequests(server.client);

    await store.put('raw/hl7v2/part-0.parquet', generatedStream(sizeBytes)).finally(recorder.stop);

    const sent = recorder.requests.filter((request) => request.command === command);
    expect(sent).toHaveLength(1);
    expect(sseHeaders(sent[0])).toEqual({
      algorithm: 'aws:kms',
      keyId: KMS_KEY_ARN,
      bucketKey: 'true',
    });
  });

  it('sends SSE-KMS on copy', async () => {
    const store = encryptedStore();
    await store.put('curated/a.parquet', 'parquet bytes');
    const recorder = recordRequests(server.client);

    await store.copy('curated/a.parquet', 'curated/b.parquet').finally(recorder.stop);

    expect(recorder.requests.map((request) => request.command)).toEqual(['CopyObjectCommand']);
    expect(sseHeaders(recorder.requests[0])).toEqual({
      algorithm: 'aws:kms',
      keyId: KMS_KEY_ARN,
      bucketKey: 'true',
    });
  });

  it('sends bucket key disabled when asked', async () => {
    const store = encryptedStore(false);
    const recorder = recordRequests(server.client);

    await store.put('raw/a.parquet', 'x').finally(recorder.stop);

    expect(sseHeaders(recorder.requests[0])).toEqual({
      algorithm: 'aws:kms',
      keyId: KMS_KEY_ARN,
      bucketKey: 'false',
    });
  });

  it('sends no SSE headers without encryption', async () => {
    const store = newStore();
    const recorder = recordRequests(server.client);

    await store.put('raw/a.parquet', 'x').finally(recorder.stop);

    expect(sseHeaders(recorder.requests[0])).toEqual({
      algorithm: undefined,
      keyId: undefined,
      bucketKey: undefined,
    });
  });

  it('rejects empty KMS key id', () => {
    expect(
      () =>
        new S3ObjectStore({
          client: server.client,
          bucket: server.bucket,
          encryption: { kmsKeyId: ' ' },
        }),
    ).toThrow('the SSE-KMS key id of the S3 object store is empty');
  });

  it('stores tags as S3 object tagging', async () => {
    const store = newStore();
    await store.put('raw/a.parquet', 'x', {
      tags: { classification: 'phi', retention: 'phi-standard' },
    });

    const response = await server.client.send(
      new GetObjectTaggingCommand({ Bucket: server.bucket, Key: `${store.prefix}raw/a.parquet` }),
    );

    const tagSet = (response.TagSet ?? []).map((tag) => [tag.Key, tag.Value]).sort();
    expect(tagSet).toEqual([
      ['classification', 'phi'],
      ['retention', 'phi-standard'],
    ]);
  });

  it('reads tags set outside the store', async () => {
    const store = newStore();
    await store.put('raw/b.parquet', 'x');
    await server.client.send(
      new PutObjectTaggingCommand({
        Bucket: server.bucket,
        Key: `${store.prefix}raw/b.parquet`,
        Tagging: { TagSet: [{ Key: 'tier', Value: 'archive' }] },
      }),
    );
    expect(await store.getTags('raw/b.parquet')).toEqual({ tier: 'archive' });
  });

  it('names missing bucket', async () => {
    const store = new S3ObjectStore({ client: server.client, bucket: 'no-such-bucket' });
    const failure = store.get('landing/a.hl7');

    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.not.toBeInstanceOf(ObjectNotFoundError);
    await expect(failure).rejects.toThrow(
      'S3 get of object "landing/a.hl7" failed: NoSuchBucket (HTTP 404)',
    );
    await expect(failure).rejects.toMatchObject({
      hint: expect.stringContaining('Create the bucket'),
    });
  });

  it('rejects absolute prefix', () => {
    expect(
      () => new S3ObjectStore({ client: server.client, bucket: server.bucket, prefix: '/lake' }),
    ).toThrow(CarelakeError);
    expect(
      () => new S3ObjectStore({ client: server.client, bucket: server.bucket, prefix: '/lake' }),
    ).toThrow(`invalid S3 key prefix "/lake": the key is absolute (starts with '/')`);
  });

  it('materializes private copy', async () => {
    const store = newStore();
    await store.put('curated/part-0.parquet', 'parquet bytes');

    const materialized = await store.materialize('curated/part-0.parquet');

    expect(path.basename(materialized.path)).toBe('part-0.parquet');
    expect(path.dirname(path.dirname(materialized.path))).toBe(folder);
    expect(await readFile(materialized.path, 'utf8')).toBe('parquet bytes');
    expect((await stat(materialized.path)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(materialized.path))).mode & 0o777).toBe(0o700);
    await materialized.release();
    await expect(stat(path.dirname(materialized.path))).rejects.toThrow('ENOENT');
  });
});

describe('encodeCopySource', () => {
  it.each([
    { case: 'plain key', key: 'raw/a.parquet', expected: 'lake/raw/a.parquet' },
    { case: 'space and accent', key: 'raw/part 0-é', expected: 'lake/raw/part%200-%C3%A9' },
    {
      case: 'Hive partition',
      key: 'curated/admit_date=2024-05-01/x',
      expected: 'lake/curated/admit_date=2024-05-01/x',
    },
    { case: 'reserved characters', key: 'raw/a+b?c#d&e', expected: 'lake/raw/a%2Bb%3Fc%23d%26e' },
  ])('encodes $case', ({ key, expected }) => {
    expect(encodeCopySource('lake', key)).toBe(expected);
  });
});
