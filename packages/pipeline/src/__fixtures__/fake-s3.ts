import { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

/** An object the fake keeps: its bytes and the PutObject or CopyObject input that wrote it. */
export interface FakeS3Object {
  body: Buffer;
  input: PutObjectCommandInput;
  tags: Record<string, string>;
}

export interface FakeS3 {
  mock: AwsClientStub<S3Client>;
  /** Objects by bucket, then by key. */
  buckets: Map<string, Map<string, FakeS3Object>>;
  /** Inputs of every PutObject sent, accepted or not, in order. */
  puts: PutObjectCommandInput[];
  /** Reject every PutObject to `bucket` with this S3 error from now on. */
  failPuts(bucket: string, name: string, httpStatusCode: number): void;
  restore(): void;
}

/** Keys per ListObjectsV2 page, small so that callers go through continuation tokens. */
const PAGE_SIZE = 3;

/**
 * Replace `send` of every S3Client, including those the code under test builds, with in-memory
 * buckets: PutObject honours If-None-Match, ListObjectsV2 lists a prefix in key order with
 * continuation tokens, GetObject returns a Node.js stream as the SDK does, and a missing key is
 * NoSuchKey or NotFound. A command the fake does not know rejects, so that no call passes unseen.
 * Multipart uploads are not handled, so bodies must stay under the store's part size.
 */
export function fakeS3(): FakeS3 {
  const mock = mockClient(S3Client);
  const buckets = new Map<string, Map<string, FakeS3Object>>();
  const puts: PutObjectCommandInput[] = [];
  const failures = new Map<string, S3ServiceException>();
  const bucketOf = (name: string | undefined): Map<string, FakeS3Object> => {
    const bucket = buckets.get(name ?? '') ?? new Map<string, FakeS3Object>();
    buckets.set(name ?? '', bucket);
    return bucket;
  };
  const objectOf = (bucket: string | undefined, key: string | undefined): FakeS3Object => {
    const object = bucketOf(bucket).get(key ?? '');
    if (!object) throw s3Error('NoSuchKey', 404);
    return object;
  };

  mock.onAnyCommand().callsFake((input: unknown) => {
    throw new Error(`the fake S3 has no handler for this command: ${JSON.stringify(Object.keys(input ?? {}))}`);
  });
  mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    puts.push(input);
    const failure = failures.get(input.Bucket ?? '');
    if (failure) throw failure;
    const bucket = bucketOf(input.Bucket);
    if (input.IfNoneMatch === '*' && bucket.has(input.Key ?? '')) throw s3Error('PreconditionFailed', 412);
    bucket.set(input.Key ?? '', { body: toBuffer(input.Body), input, tags: parseTagging(input.Tagging) });
    return { ETag: '"fake"' };
  });
  mock.on(GetObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    const { body } = objectOf(input.Bucket, input.Key);
    const stream = Object.assign(Readable.from([body]), { transformToString: async () => body.toString('utf8') });
    return { Body: stream, ContentLength: body.length };
  });
  mock.on(HeadObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    const object = bucketOf(input.Bucket).get(input.Key ?? '');
    if (!object) throw s3Error('NotFound', 404);
    return { ContentLength: object.body.length, LastModified: new Date(0) };
  });
  mock.on(ListObjectsV2Command).callsFake((input: { Bucket?: string; Prefix?: string; ContinuationToken?: string }) => {
    const bucket = bucketOf(input.Bucket);
    const keys = [...bucket.keys()].filter((key) => key.startsWith(input.Prefix ?? '')).sort();
    const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken);
    const page = keys.slice(start, start + PAGE_SIZE);
    const truncated = start + PAGE_SIZE < keys.length;
    return {
      Contents: page.map((Key) => ({ Key, Size: bucket.get(Key)?.body.length ?? 0, LastModified: new Date(0) })),
      IsTruncated: truncated,
      ...(truncated ? { NextContinuationToken: String(start + PAGE_SIZE) } : {}),
    };
  });
  mock.on(DeleteObjectCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    bucketOf(input.Bucket).delete(input.Key ?? '');
    return {};
  });
  mock.on(CopyObjectCommand).callsFake((input: PutObjectCommandInput & { CopySource?: string }) => {
    const source = decodeURIComponent(input.CopySource ?? '');
    const separator = source.indexOf('/');
    const copied = objectOf(source.slice(0, separator), source.slice(separator + 1));
    bucketOf(input.Bucket).set(input.Key ?? '', { body: copied.body, input, tags: { ...copied.tags } });
    return {};
  });
  mock.on(PutObjectTaggingCommand).callsFake((input: { Bucket?: string; Key?: string; Tagging?: { TagSet?: Array<{ Key?: string; Value?: string }> } }) => {
    const object = objectOf(input.Bucket, input.Key);
    object.tags = Object.fromEntries((input.Tagging?.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
    return {};
  });
  mock.on(GetObjectTaggingCommand).callsFake((input: { Bucket?: string; Key?: string }) => {
    const object = objectOf(input.Bucket, input.Key);
    return { TagSet: Object.entries(object.tags).map(([Key, Value]) => ({ Key, Value })) };
  });

  return {
    mock,
    buckets,
    puts,
    failPuts: (bucket, name, httpStatusCode) => failures.set(bucket, s3Error(name, httpStatusCode)),
    restore: () => mock.restore(),
  };
}

/** Create an error shaped as the SDK throws it for an S3 error response. */
export function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} from the fake S3`,
  });
}

function toBuffer(body: unknown): Buffer {
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body);
  throw new Error(`the fake S3 takes string or byte bodies, not ${typeof body}`);
}

function parseTagging(tagging: string | undefined): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(tagging ?? ''));
}
