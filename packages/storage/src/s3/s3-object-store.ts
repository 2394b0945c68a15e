import os from 'node:os';
import path from 'node:path';
import { Readable, pipeline } from 'node:stream';

import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectTaggingCommand,
  type S3Client,
  type Tag,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { CarelakeError } from '@carelake/core';

import { readAll, toByteChunks } from '../body';
import { InvalidObjectKeyError, StorageError, quoteKey, type StorageOperation } from '../errors';
import { validateKeyPrefix, validateObjectKey } from '../object-key';
import type {
  ListOptions,
  MaterializedObject,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutOptions,
  PutResult,
} from '../object-store';
import { validateObjectTags } from '../object-tags';
import { writePrivateCopy } from '../private-copy';
import { isS3NotFound, toStorageError } from './s3-errors';
import { Sha256Transform } from './sha256-transform';

/** Size of each part of a multipart upload. S3 requires at least 5 MiB for every part but the last. */
export const UPLOAD_PART_SIZE_BYTES = 8 * 1024 * 1024;

/** Parts uploaded at once. A put holds up to this many parts in memory, 16 MiB in all. */
export const UPLOAD_QUEUE_SIZE = 2;

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** Key prefix inside the bucket, such as 'lake/', or '' (the default) for the whole bucket. A missing trailing '/' is added. */
  prefix?: string;
  /** Parent folder of the private copies that `materialize` downloads, `os.tmpdir()` by default. */
  materializeDir?: string;
  /** Encrypt every object written (put, multipart upload, copy) with SSE-KMS under this key. */
  encryption?: S3KmsEncryption;
}

export interface S3KmsEncryption {
  /** KMS key id, ARN or alias ARN, such as `arn:aws:kms:eu-west-1:111122223333:key/...`. */
  kmsKeyId: string;
  /**
   * Use an S3 Bucket Key, so that S3 derives object keys from a short-lived bucket-level key
   * instead of calling KMS for each object, which cuts KMS requests and their cost. Default true.
   */
  bucketKey?: boolean;
}

/** The SSE-KMS parameters of PutObject, CreateMultipartUpload and CopyObject. */
interface SseKmsParams {
  ServerSideEncryption: 'aws:kms';
  SSEKMSKeyId: string;
  BucketKeyEnabled: boolean;
}

/**
 * An `ObjectStore` in an S3 bucket, under an optional key prefix. Puts stream
 * through multipart uploads, so memory stays bounded whatever the object size.
 * With `encryption`, every write names the KMS key (SSE-KMS), so objects never fall back
 * to the bucket's default encryption. Bodies pass unchanged, because S3 encrypts them.
 * Listing relies on S3 returning keys in UTF-8 byte order, which holds for general
 * purpose buckets but not for directory buckets.
 */
export class S3ObjectStore implements ObjectStore {
  readonly bucket: string;
  readonly prefix: string;
  private readonly client: S3Client;
  private readonly materializeDir: string;
  private readonly sseParams: SseKmsParams | Record<string, never>;

  constructor(options: S3ObjectStoreOptions) {
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalizePrefix(options.prefix ?? '');
    this.materializeDir = options.materializeDir ?? os.tmpdir();
    this.sseParams = options.encryption ? toSseKmsParams(options.encryption) : {};
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    validateObjectKey(key, 'put');
    if (options.tags) validateObjectTags(key, options.tags, 'put');

    const hasher = new Sha256Transform();
    let bodyError: unknown;
    // A failing body destroys `hasher`, which fails the upload.
    pipeline(Readable.from(toByteChunks(body, key), { objectMode: false }), hasher, (error) => {
      bodyError = error;
    });
    const upload = new Upload({
      client: this.client,
      params: {
        Bucket: this.bucket,
        Key: this.s3Key(key),
        Body: hasher,
        ContentType: options.contentType,
        // lib-storage sends this on PutObject for one part and on CompleteMultipartUpload for several.
        IfNoneMatch: options.ifNoneMatch ? '*' : undefined,
        // lib-storage sends these on PutObject for one part and on CreateMultipartUpload for several.
        ...this.sseParams,
      },
      partSize: UPLOAD_PART_SIZE_BYTES,
      queueSize: UPLOAD_QUEUE_SIZE,
      tags: toTagSet(options.tags ?? {}),
    });
    try {
      await upload.done();
    } catch (error) {
      hasher.destroy();
      // The body's error is the root cause, even when lib-storage reports a later one,
      // such as a failed AbortMultipartUpload after the body broke off.
      if (bodyError instanceof StorageError) throw bodyError;
      throw toStorageError(error, key, 'put');
    }
    return { key, sizeBytes: hasher.sizeBytes, sha256: hasher.sha256 };
  }

  async get(key: string): Promise<Uint8Array> {
    validateObjectKey(key, 'get');
    const body = await this.getBody(key, 'get');
    try {
      return await readAll(body);
    } catch (error) {
      throw toStorageError(error, key, 'get');
    }
  }

  async getStream(key: string): Promise<Readable> {
    validateObjectKey(key, 'get');
    return this.getBody(key, 'get');
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateObjectKey(key, 'head');
    try {
      const response = await this.client.send(
        new HeadObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) }),
      );
      return {
        key,
        sizeBytes: response.ContentLength ?? 0,
        lastModified: response.LastModified ?? new Date(0),
      };
    } catch (error) {
      if (isS3NotFound(error)) return undefined;
      throw toStorageError(error, key, 'head');
    }
  }

  async *list(options: ListOptions): AsyncIterable<ObjectInfo> {
    validateKeyPrefix(options.prefix, 'list');
    let continuationToken: string | undefined;
    do {
      const page = await callS3(options.prefix, 'list', () =>
        this.client.send(
          new ListObjectsV2Command({
            Bucket: this.bucket,
            Prefix: this.prefix + options.prefix,
            ContinuationToken: continuationToken,
          }),
        ),
      );
      for (const item of page.Contents ?? []) {
        if (item.Key === undefined) continue;
        yield {
          key: item.Key.slice(this.prefix.length),
          sizeBytes: item.Size ?? 0,
          lastModified: item.LastModified ?? new Date(0),
        };
      }
      // NOTE: no test reaches a second page, because s3rver 3.7 encrypts continuation
      // tokens with DES, which the OpenSSL 3 of Node.js 17 and later rejects.
      continuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (continuationToken !== undefined);
  }

  /**
   * Copy the object on the server, with its tags and content type. One CopyObject
   * request copies at most 5 GB, so larger objects fail with S3's error, because
   * this store does no multipart copy (UploadPartCopy).
   */
  async copy(sourceKey: string, targetKey: string): Promise<void> {
    validateObjectKey(sourceKey, 'copy');
    validateObjectKey(targetKey, 'copy');
    await callS3(sourceKey, 'copy', () =>
      this.client.send(
        new CopyObjectCommand({
          Bucket: this.bucket,
          Key: this.s3Key(targetKey),
          CopySource: encodeCopySource(this.bucket, this.s3Key(sourceKey)),
          // A copy is a new object: without these it gets the bucket's default encryption.
          ...this.sseParams,
        }),
      ),
    );
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key, 'delete');
    await callS3(key, 'delete', () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) })),
    );
  }

  async getTags(key: string): Promise<Record<string, string>> {
    validateObjectKey(key, 'getTags');
    const response = await callS3(key, 'getTags', () =>
      this.client.send(new GetObjectTaggingCommand({ Bucket: this.bucket, Key: this.s3Key(key) })),
    );
    return Object.fromEntries(
      (response.TagSet ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']),
    );
  }

  /** Replace all tags of the object. */
  async putTags(key: string, tags: Record<string, string>): Promise<void> {
    validateObjectKey(key, 'putTags');
    validateObjectTags(key, tags, 'putTags');
    await callS3(key, 'putTags', () =>
      this.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.bucket,
          Key: this.s3Key(key),
          Tagging: { TagSet: toTagSet(tags) },
        }),
      ),
    );
  }

  /** Download the object to a private temporary file that `release` removes. */
  async materialize(key: string): Promise<MaterializedObject> {
    validateObjectKey(key, 'materialize');
    const body = await this.getBody(key, 'materialize');
    try {
      return await writePrivateCopy(body, path.posix.basename(key), this.materializeDir);
    } catch (error) {
      body.destroy();
      throw toStorageError(error, key, 'materialize');
    }
  }

  private s3Key(key: string): string {
    return this.prefix + key;
  }

  private async getBody(key: string, operation: StorageOperation): Promise<Readable> {
    const response = await callS3(key, operation, () =>
      this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.s3Key(key) })),
    );
    // In Node.js the SDK returns the HTTP response, a Readable.
    if (response.Body instanceof Readable) return response.Body;
    throw new StorageError(`S3 returned no readable body for object ${quoteKey(key)}`, {
      key,
      operation,
    });
  }
}

/**
 * Return the CopySource value for an object: the bucket, then the key with each
 * part percent-encoded, as S3 requires. '=' stays literal because Hive-style
 * partition keys (admit_date=2024-05-01) contain it. S3 decodes either form, but
 * s3rver 3.7 decodes the header with decodeURI, which leaves '%3D' encoded.
 */
export function encodeCopySource(bucket: string, s3Key: string): string {
  const encodedKey = s3Key
    .split('/')
    .map((part) => encodeURIComponent(part).replace(/%3D/g, '='))
    .join('/');
  return `${bucket}/${encodedKey}`;
}

async function callS3<T>(
  key: string,
  operation: StorageOperation,
  call: () => Promise<T>,
): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toStorageError(error, key, operation);
  }
}

function toSseKmsParams(encryption: S3KmsEncryption): SseKmsParams {
  if (encryption.kmsKeyId.trim() === '') {
    throw new CarelakeError('the SSE-KMS key id of the S3 object store is empty', {
      hint: 'Set keys.keyId in carelake.yaml to the KMS key id or ARN the bucket policy requires.',
    });
  }
  return {
    ServerSideEncryption: 'aws:kms',
    SSEKMSKeyId: encryption.kmsKeyId,
    BucketKeyEnabled: encryption.bucketKey ?? true,
  };
}

function toTagSet(tags: Record<string, string>): Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

function normalizePrefix(prefix: string): string {
  if (prefix === '') return '';
  const withSlash = prefix.endsWith('/') ? prefix : `${prefix}/`;
  try {
    validateKeyPrefix(withSlash, 'list');
  } catch (error) {
    if (!(error instanceof InvalidObjectKeyError)) throw error;
    throw new CarelakeError(`invalid S3 key prefix ${quoteKey(prefix)}: ${error.rule}`, {
      cause: error,
      hint: "Give a relative prefix such as 'lake/', or '' for the whole bucket.",
    });
  }
  return withSlash;
}
