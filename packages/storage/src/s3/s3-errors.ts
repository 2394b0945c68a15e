import {
  ObjectExistsError,
  ObjectNotFoundError,
  StorageError,
  quoteKey,
  type StorageOperation,
} from '../errors';

/** Error names the S3 API and the SDK use for a missing object (HeadObject has no body, so only 'NotFound'). */
const NOT_FOUND_NAMES = new Set(['NoSuchKey', 'NotFound']);

/** Next steps for the S3 errors a user can fix, by error name. */
const HINTS: Record<string, string> = {
  NoSuchBucket: 'Create the bucket, or fix the bucket name in the configuration.',
  AccessDenied:
    'Check the IAM policy of the principal, and the KMS key policy for objects encrypted with SSE-KMS.',
  ConditionalRequestConflict:
    'Another conditional write to the same key was in progress; retry the put.',
};

export function isS3NotFound(error: unknown): boolean {
  const { name, httpStatusCode } = describeS3Error(error);
  return NOT_FOUND_NAMES.has(name) || (httpStatusCode === 404 && name !== 'NoSuchBucket');
}

/**
 * Map an error from the S3 client to the storage error family: a missing object
 * to `ObjectNotFoundError`, a failed `If-None-Match` (412) to `ObjectExistsError`,
 * and anything else to `StorageError` naming the S3 error. The SDK error is the `cause`.
 */
export function toStorageError(
  error: unknown,
  key: string,
  operation: StorageOperation,
): StorageError {
  if (error instanceof StorageError) return error;
  if (isS3NotFound(error)) return new ObjectNotFoundError(key, operation, error);
  const { name, httpStatusCode } = describeS3Error(error);
  // Only puts send a precondition (If-None-Match), so a 412 means the key exists.
  if (name === 'PreconditionFailed' || httpStatusCode === 412)
    return new ObjectExistsError(key, error);
  const status = httpStatusCode === undefined ? '' : ` (HTTP ${httpStatusCode})`;
  return new StorageError(`S3 ${operation} of object ${quoteKey(key)} failed: ${name}${status}`, {
    key,
    operation,
    cause: error,
    hint: HINTS[name],
  });
}

function describeS3Error(error: unknown): { name: string; httpStatusCode: number | undefined } {
  if (!(error instanceof Error)) return { name: typeof error, httpStatusCode: undefined };
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } }).$metadata;
  const httpStatusCode =
    typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
  return { name: error.name, httpStatusCode };
}
