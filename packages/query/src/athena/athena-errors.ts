import {
  AthenaServiceException,
  type AthenaError,
  type QueryExecutionStatus,
} from '@aws-sdk/client-athena';
import {
  QueryError,
  QueryExecutionError,
  QueryInterruptedError,
  QueryTimeoutError,
} from '../errors';

/** The query text is larger than Athena accepts, so it was not sent. */
export class QueryTextTooLargeError extends QueryError {
  constructor(
    readonly sizeBytes: number,
    readonly maxBytes: number,
  ) {
    super(`query text is ${sizeBytes} bytes in UTF-8, more than Athena's maximum of ${maxBytes}`, {
      hint: 'Shorten the statement: move long literal lists into a table and join it.',
    });
  }
}

/** Options of the Athena interruption errors. */
export interface AthenaInterruptionOptions {
  /** The abort signal's reason, when an abort caused the interruption. */
  cause?: unknown;
  /** The error StopQueryExecution failed with, when the engine could not stop the query. */
  stopFailure?: unknown;
}

/**
 * The Athena query was cancelled before it finished: by the caller's
 * `AbortSignal`, or in Athena by someone else (console, CLI, another client).
 */
export class QueryCancelledError extends QueryInterruptedError {
  readonly queryExecutionId: string;
  /** The error StopQueryExecution failed with; the query may then still be running. */
  readonly stopFailure: unknown;

  constructor(
    message: string,
    queryExecutionId: string,
    options: AthenaInterruptionOptions & { hint?: string } = {},
  ) {
    super(message, {
      cause: options.cause,
      hint: options.stopFailure === undefined ? options.hint : stopHint(queryExecutionId),
    });
    this.queryExecutionId = queryExecutionId;
    this.stopFailure = options.stopFailure;
  }
}

/** The Athena query did not finish within `timeoutMs`, so the engine asked Athena to stop it. */
export class AthenaQueryTimeoutError extends QueryTimeoutError {
  readonly queryExecutionId: string;
  /** The error StopQueryExecution failed with; the query may then still be running. */
  readonly stopFailure: unknown;

  constructor(
    queryExecutionId: string,
    timeoutMs: number,
    options: AthenaInterruptionOptions = {},
  ) {
    super(timeoutMs, {
      hint:
        options.stopFailure === undefined
          ? `Athena query ${queryExecutionId} was stopped. Raise timeoutMs, or add partition filters so the query scans less data.`
          : stopHint(queryExecutionId),
    });
    this.queryExecutionId = queryExecutionId;
    this.stopFailure = options.stopFailure;
  }
}

function stopHint(queryExecutionId: string): string {
  return (
    `StopQueryExecution failed, so Athena query ${queryExecutionId} may still be running. ` +
    `Stop it with \`aws athena stop-query-execution --query-execution-id ${queryExecutionId}\`.`
  );
}

const ERROR_CATEGORY_NAMES: Record<number, string> = { 1: 'system', 2: 'user', 3: 'other' };

/**
 * Athena ran the query and it ended in state FAILED. The reason is kept in
 * `stateChangeReason` and not in the message, because Athena's reasons can quote
 * values from the data (a failed cast names the text it could not cast).
 */
export class AthenaQueryFailedError extends QueryExecutionError {
  readonly queryExecutionId: string;
  /** Athena's `StateChangeReason`. Show it only to the principal who ran the query. */
  readonly stateChangeReason: string | undefined;
  /** `AthenaError.ErrorCategory`: 1 system, 2 user, 3 other. */
  readonly errorCategory: number | undefined;
  /** `AthenaError.ErrorType`, listed in the Athena error type reference. */
  readonly errorType: number | undefined;
  /** `AthenaError.Retryable`: true if the same query might succeed when resubmitted. */
  readonly retryable: boolean | undefined;
  /** `Statistics.DataScannedInBytes` as Athena reported it for the failed run. */
  readonly dataScannedBytes: number | undefined;

  constructor(
    queryExecutionId: string,
    status: QueryExecutionStatus | undefined,
    dataScannedBytes?: number,
  ) {
    const athenaError = status?.AthenaError;
    super(failureMessage(queryExecutionId, athenaError), { hint: failureHint(athenaError) });
    this.queryExecutionId = queryExecutionId;
    this.stateChangeReason = status?.StateChangeReason;
    this.errorCategory = athenaError?.ErrorCategory;
    this.errorType = athenaError?.ErrorType;
    this.retryable = athenaError?.Retryable;
    this.dataScannedBytes = dataScannedBytes;
  }
}

function failureMessage(queryExecutionId: string, athenaError: AthenaError | undefined): string {
  const facts: string[] = [];
  const category = athenaError?.ErrorCategory;
  if (category !== undefined) {
    facts.push(`error category ${category} (${ERROR_CATEGORY_NAMES[category] ?? 'unknown'})`);
  }
  if (athenaError?.ErrorType !== undefined) facts.push(`error type ${athenaError.ErrorType}`);
  const suffix = facts.length > 0 ? `: ${facts.join(', ')}` : '';
  return `Athena query ${queryExecutionId} failed${suffix}`;
}

function failureHint(athenaError: AthenaError | undefined): string {
  if (athenaError?.Retryable) return 'Athena marks this failure as retryable: run the query again.';
  if (athenaError?.ErrorCategory === 2) {
    return "Fix the SQL or its permissions; the reason Athena gave is in the error's stateChangeReason.";
  }
  return "The reason Athena gave is in the error's stateChangeReason.";
}

/** An Athena API call failed (throttled after the SDK's retries, access denied, invalid request). */
export class AthenaRequestError extends QueryExecutionError {
  /** The API operation, such as `GetQueryResults`. */
  readonly operation: string;
  readonly queryExecutionId: string | undefined;

  constructor(operation: string, queryExecutionId: string | undefined, cause: unknown) {
    const subject = queryExecutionId === undefined ? '' : ` for query ${queryExecutionId}`;
    super(`Athena ${operation}${subject} failed: ${describeCause(cause)}`, {
      cause,
      hint: requestHint(operation, cause),
    });
    this.operation = operation;
    this.queryExecutionId = queryExecutionId;
  }
}

// The service's message is left in `cause`: for an invalid request it can quote the SQL.
function describeCause(cause: unknown): string {
  if (cause instanceof AthenaServiceException) {
    const status = cause.$metadata.httpStatusCode;
    return status === undefined ? cause.name : `${cause.name} (HTTP ${status})`;
  }
  return cause instanceof Error ? cause.name : 'unknown error';
}

function requestHint(operation: string, cause: unknown): string {
  const name = cause instanceof Error ? cause.name : '';
  switch (name) {
    case 'AccessDeniedException':
      return `Grant the IAM role athena:${operation} on the workgroup.`;
    case 'InvalidRequestException':
      return 'Athena rejected the request; the error cause has its message, which may quote the SQL.';
    case 'TooManyRequestsException':
      return 'Athena throttled the account after the SDK retries; run fewer queries at once.';
    default:
      return 'Check the network path to Athena and the AWS region, then retry.';
  }
}

/** A GetQueryResults page did not have the shape or the values its column types promise. */
export class AthenaResultError extends QueryError {}
