import { createHash } from 'node:crypto';

import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import { AuditMirrorError } from '../errors';
import { describeS3Error } from './s3-calls';

export interface LockedPut {
  client: S3Client;
  bucket: string;
  key: string;
  body: Buffer;
  retainUntil: Date;
  /** KMS key for SSE-KMS, or undefined to use the bucket's default encryption. */
  kmsKeyId: string | undefined;
}

/**
 * Put one chunk under Object Lock in compliance mode, so that no one, the account's
 * root user included, can delete or overwrite it before `retainUntil`. S3 requires
 * an integrity checksum on a put with retention, so the SHA-256 is sent. The put
 * never overwrites (If-None-Match: *).
 * @returns 'written', or 'exists' when the key is already there (a 412), which a
 *   mirror run that stopped after the put and before recording it leaves behind.
 * @throws AuditMirrorError, with a hint that the bucket needs Object Lock when S3 rejects the retention.
 */
export async function putLockedChunk(put: LockedPut): Promise<'written' | 'exists'> {
  const checksum = createHash('sha256').update(put.body).digest('base64');
  try {
    await put.client.send(
      new PutObjectCommand({
        Bucket: put.bucket,
        Key: put.key,
        Body: put.body,
        ContentType: 'application/x-ndjson',
        ChecksumAlgorithm: 'SHA256',
        ChecksumSHA256: checksum,
        IfNoneMatch: '*',
        ObjectLockMode: 'COMPLIANCE',
        ObjectLockRetainUntilDate: put.retainUntil,
        ...(put.kmsKeyId === undefined
          ? {}
          : { ServerSideEncryption: 'aws:kms', SSEKMSKeyId: put.kmsKeyId, BucketKeyEnabled: true }),
      }),
    );
    return 'written';
  } catch (error) {
    const { name, httpStatusCode } = describeS3Error(error);
    if (name === 'PreconditionFailed' || httpStatusCode === 412) return 'exists';
    throw toMirrorError(error, put.bucket, put.key, name, httpStatusCode);
  }
}

function toMirrorError(
  error: unknown,
  bucket: string,
  key: string,
  name: string,
  httpStatusCode: number | undefined,
): AuditMirrorError {
  const status = httpStatusCode === undefined ? '' : ` (HTTP ${httpStatusCode})`;
  const failed = `S3 PutObject of audit chunk ${key} to bucket ${bucket} failed: ${name}${status}`;
  if (name === 'InvalidRequest' || name === 'AccessDenied') {
    return new AuditMirrorError(failed, {
      cause: error,
      hint:
        'The audit bucket must be created with S3 Object Lock enabled, as the CDK app in infra/ creates it. ' +
        'If it has Object Lock, check that the role may call s3:PutObject and s3:PutObjectRetention on it.',
    });
  }
  return new AuditMirrorError(failed, { cause: error });
}
