import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  type PutObjectCommandInput,
} from '@aws-sdk/client-s3';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';

export interface FakeAuditBucket {
  client: S3Client;
  mock: AwsClientStub<S3Client>;
  bucket: string;
  /** Object bodies by key, as the fake stored them; tests edit them to tamper with the mirror. */
  objects: Map<string, Buffer>;
  /** Inputs of every PutObject sent, accepted or not, in order. */
  puts: PutObjectCommandInput[];
}

/** Keys per ListObjectsV2 page, small so that the tests go through continuation tokens. */
const PAGE_SIZE = 3;

/**
 * Create a real S3Client whose `send` aws-sdk-client-mock replaces with an in-memory bucket.
 * The bucket stores what PutObject sends, honours If-None-Match, lists in key order with
 * continuation tokens and common prefixes of a delimiter, and serves GetObject. No request
 * leaves the process, and the static credentials keep the SDK from looking any up.
 */
export function fakeAuditBucket(bucket = 'carelake-audit-test'): FakeAuditBucket {
  const client = new S3Client({
    region: 'eu-west-1',
    credentials: {
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      secretAccessKey: 'test-secret-key-not-real',
    },
  });
  const mock = mockClient(client);
  const objects = new Map<string, Buffer>();
  const puts: PutObjectCommandInput[] = [];

  mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    puts.push(input);
    const key = input.Key ?? '';
    if (input.IfNoneMatch === '*' && objects.has(key)) throw s3Error('PreconditionFailed', 412);
    objects.set(key, Buffer.from(input.Body as Buffer));
    return {};
  });
  mock
    .on(ListObjectsV2Command)
    .callsFake((input: { Prefix?: string; Delimiter?: string; ContinuationToken?: string }) => {
      const prefix = input.Prefix ?? '';
      const keys = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
      // With a delimiter, S3 rolls the keys below each next delimiter up into one common prefix.
      const entries = [
        ...new Set(
          keys.map((key) => {
            const end = input.Delimiter ? key.indexOf(input.Delimiter, prefix.length) : -1;
            return end < 0 ? key : key.slice(0, end + 1);
          }),
        ),
      ];
      const start = input.ContinuationToken === undefined ? 0 : Number(input.ContinuationToken);
      const page = entries.slice(start, start + PAGE_SIZE);
      const truncated = start + PAGE_SIZE < entries.length;
      const isFolder = (entry: string): boolean => !objects.has(entry);
      return {
        Contents: page
          .filter((Key) => !isFolder(Key))
          .map((Key) => ({ Key, Size: objects.get(Key)?.length ?? 0 })),
        CommonPrefixes: page.filter(isFolder).map((Prefix) => ({ Prefix })),
        IsTruncated: truncated,
        ...(truncated ? { NextContinuationToken: String(start + PAGE_SIZE) } : {}),
      };
    });
  mock.on(GetObjectCommand).callsFake((input: { Key?: string }) => {
    const body = objects.get(input.Key ?? '');
    if (body === undefined) throw s3Error('NoSuchKey', 404);
    return { Body: { transformToString: async () => body.toString('utf8') } };
  });
  return { client, mock, bucket, objects, puts };
}

/** Build an error shaped as the SDK throws it for an S3 error response. */
export function s3Error(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: httpStatusCode >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode },
    message: `${name} from the fake bucket`,
  });
}
