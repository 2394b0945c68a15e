import {
  KinesisServiceException,
  KMSThrottlingException,
  LimitExceededException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-kinesis';

/**
 * PutRecords entry error codes worth resending. The API reference lists
 * `ProvisionedThroughputExceededException` and `InternalFailure`; KMS throttling
 * on encrypted streams is transient too. Other codes, such as
 * `KMSAccessDeniedException`, fail the same way on every attempt.
 */
const RETRYABLE_ENTRY_ERROR_CODES: ReadonlySet<string> = new Set([
  'ProvisionedThroughputExceededException',
  'InternalFailure',
  'KMSThrottlingException',
]);

/** Node socket error codes after which the same request can succeed. */
const TRANSIENT_NETWORK_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'ECONNABORTED',
]);

export function isRetryableEntryErrorCode(errorCode: string): boolean {
  return RETRYABLE_ENTRY_ERROR_CODES.has(errorCode);
}

/** Check whether a call failed because a shard, the account or KMS refused more requests for now. */
export function isThrottlingError(error: unknown): boolean {
  return (
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof LimitExceededException ||
    error instanceof KMSThrottlingException ||
    (error instanceof KinesisServiceException && error.$retryable?.throttling === true)
  );
}

/**
 * Check whether a whole call is worth repeating: throttling, a server-side fault, a
 * timeout or a dropped connection. Validation and missing-resource errors are not.
 */
export function isRetryableCallError(error: unknown): boolean {
  if (isThrottlingError(error)) return true;
  if (error instanceof KinesisServiceException) return error.$fault === 'server';
  if (!(error instanceof Error)) return false;
  if (error.name === 'TimeoutError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && TRANSIENT_NETWORK_CODES.has(code);
}

/** Short name of an error for dead-letter records and logs: the SDK exception name or the socket code. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof KinesisServiceException) return error.name;
  if (error instanceof Error) return (error as NodeJS.ErrnoException).code ?? error.name;
  return 'UnknownError';
}
