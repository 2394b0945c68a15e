// toStorageError on S3ServiceException objects built as the SDK builds them. No server is involved.
import { S3ServiceException } from '@aws-sdk/client-s3';

import { ObjectExistsError, ObjectNotFoundError, StorageError } from '../errors';
import { isS3NotFound, toStorageError } from './s3-errors';

function s3Exception(name: string, httpStatusCode: number): S3ServiceException {
  return new S3ServiceException({
    name,
    $fault: 'client',
    $metadata: { httpStatusCode },
    message: `${name} from S3`,
  });
}

describe('toStorageError', () => {
  it.each([
    { case: 'NoSuchKey', error: s3Exception('NoSuchKey', 404), expected: ObjectNotFoundError },
    {
      case: 'HeadObject NotFound',
      error: s3Exception('NotFound', 404),
      expected: ObjectNotFoundError,
    },
    { case: 'unnamed 404', error: s3Exception('Unknown', 404), expected: ObjectNotFoundError },
    {
      case: 'PreconditionFailed',
      error: s3Exception('PreconditionFailed', 412),
      expected: ObjectExistsError,
    },
    { case: 'NoSuchBucket', error: s3Exception('NoSuchBucket', 404), expected: StorageError },
    { case: 'AccessDenied', error: s3Exception('AccessDenied', 403), expected: StorageError },
    { case: 'network error', error: new Error('socket hang up'), expected: StorageError },
  ])('maps $case', ({ error, expected }) => {
    const mapped = toStorageError(error, 'raw/a.parquet', 'put');
    expect(mapped.constructor).toBe(expected);
    expect(mapped.key).toBe('raw/a.parquet');
    expect(mapped.cause).toBe(error);
  });

  it.each([
    {
      case: 'AccessDenied',
      error: s3Exception('AccessDenied', 403),
      message: 'S3 get of object "raw/a.parquet" failed: AccessDenied (HTTP 403)',
      hint: 'KMS key policy',
    },
    {
      case: 'ConditionalRequestConflict',
      error: s3Exception('ConditionalRequestConflict', 409),
      message: 'S3 get of object "raw/a.parquet" failed: ConditionalRequestConflict (HTTP 409)',
      hint: 'retry the put',
    },
  ])('explains $case', ({ error, message, hint }) => {
    const mapped = toStorageError(error, 'raw/a.parquet', 'get');
    expect(mapped.message).toBe(message);
    expect(mapped.hint).toContain(hint);
    expect(mapped.operation).toBe('get');
  });

  it('keeps storage errors', () => {
    const original = new ObjectNotFoundError('raw/a.parquet', 'get');
    expect(toStorageError(original, 'raw/b.parquet', 'copy')).toBe(original);
  });
});

describe('isS3NotFound', () => {
  it.each([
    { case: 'NotFound', error: s3Exception('NotFound', 404), expected: true },
    { case: 'NoSuchBucket', error: s3Exception('NoSuchBucket', 404), expected: false },
    { case: 'AccessDenied', error: s3Exception('AccessDenied', 403), expected: false },
    { case: 'thrown string', error: 'not an error', expected: false },
  ])('recognizes $case', ({ error, expected }) => {
    expect(isS3NotFound(error)).toBe(expected);
  });
});
