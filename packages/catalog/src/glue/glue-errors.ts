import { CatalogError, DatabaseNotFoundError } from '../errors';

/** The Glue API operations the catalog calls, named as in the AWS Glue API reference. */
export type GlueOperation =
  | 'GetDatabase'
  | 'GetDatabases'
  | 'GetTable'
  | 'GetTables'
  | 'CreateTable'
  | 'UpdateTable'
  | 'DeleteTable'
  | 'GetPartitions'
  | 'BatchCreatePartition'
  | 'BatchDeletePartition'
  | 'BatchUpdatePartition';

/** The subject of a Glue call: a database, or a table when `table` is set. */
export interface GlueTarget {
  database?: string;
  table?: string;
}

/**
 * Error codes that a later attempt may not return. The SDK's standard retry
 * strategy (3 attempts by default) has already retried them before the catalog gets them.
 */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ThrottlingException',
  'InternalServiceException',
]);

/** Next steps for the Glue errors a user can fix, by error code. */
const HINTS: Record<string, string> = {
  AccessDeniedException:
    'Check the IAM policy and the Lake Formation permissions of the principal for this database and table.',
  ResourceNumberLimitExceededException:
    'A Glue quota was reached, such as tables per database or partitions per table. Request a quota increase or delete unused entries.',
  GlueEncryptionException:
    'Check that the principal may use the KMS key of the Data Catalog encryption settings.',
  ThrottlingException:
    'Glue kept throttling the requests. Run fewer pipelines at once or raise the retry limit.',
  InternalServiceException: 'Glue kept failing. Retry later, and check the AWS Health Dashboard.',
};

/** Return the AWS error code of an SDK error, such as `EntityNotFoundException`, or the thrown value's type. */
export function glueErrorCode(error: unknown): string {
  if (error instanceof Error) return error.name;
  return typeof error;
}

export function isGlueErrorCode(error: unknown, code: string): boolean {
  return error instanceof Error && error.name === code;
}

export function isRetryableGlueError(error: unknown): boolean {
  return RETRYABLE_ERROR_CODES.has(glueErrorCode(error));
}

/** Describe a target for a message: `table clinical.encounters` or `database clinical`. */
export function describeTarget(target: GlueTarget): string {
  if (target.table !== undefined) return `table ${target.database ?? '?'}.${target.table}`;
  if (target.database !== undefined) return `database ${target.database}`;
  return 'the Data Catalog';
}

/**
 * A Glue call that failed with an error the catalog does not translate. The
 * message names the operation, the table and the AWS error code, and the SDK
 * error is the `cause`. Its message is left out, because Glue may repeat
 * request values in it.
 */
export class GlueRequestError extends CatalogError {
  readonly operation: GlueOperation;
  readonly target: GlueTarget;
  /** AWS error code, such as `AccessDeniedException`. */
  readonly errorCode: string;
  /** Attempts made, counting the first, when the error was retried. */
  readonly attempts: number;

  constructor(error: unknown, operation: GlueOperation, target: GlueTarget, attempts = 1) {
    const errorCode = glueErrorCode(error);
    const status = httpStatusCode(error);
    const statusText = status === undefined ? '' : ` (HTTP ${status})`;
    const attemptsText = attempts > 1 ? ` after ${attempts} attempts` : '';
    super(
      `Glue ${operation} on ${describeTarget(target)} failed${attemptsText}: ${errorCode}${statusText}`,
      { cause: error, hint: HINTS[errorCode] },
    );
    this.operation = operation;
    this.target = target;
    this.errorCode = errorCode;
    this.attempts = attempts;
  }
}

/**
 * Some entries of a `BatchCreatePartition`, `BatchDeletePartition` or
 * `BatchUpdatePartition` call failed. The other entries were written. The error
 * counts the failures by error code and leaves the partition values out.
 */
export class GluePartitionBatchError extends CatalogError {
  readonly operation: GlueOperation;
  readonly database: string;
  readonly table: string;
  /** Entries that failed. */
  readonly failedCount: number;
  /** Entries that succeeded, or were skipped as already existing or already missing. */
  readonly succeededCount: number;
  /** Failures by AWS error code, such as `{ InvalidInputException: 2 }`. */
  readonly errorCodes: Readonly<Record<string, number>>;

  constructor(options: {
    operation: GlueOperation;
    database: string;
    table: string;
    failedCount: number;
    succeededCount: number;
    errorCodes: Record<string, number>;
  }) {
    const codes = Object.entries(options.errorCodes)
      .map(([code, count]) => `${code} (${count})`)
      .join(', ');
    const total = options.failedCount + options.succeededCount;
    super(
      `Glue ${options.operation} failed for ${options.failedCount} of ${total} partition(s) of ${options.database}.${options.table}: ${codes}`,
      {
        hint: 'The other partitions were written. Fix the cause and run the same call again, which skips what is already done.',
      },
    );
    this.operation = options.operation;
    this.database = options.database;
    this.table = options.table;
    this.failedCount = options.failedCount;
    this.succeededCount = options.succeededCount;
    this.errorCodes = options.errorCodes;
  }
}

/**
 * A database missing from Glue. The catalog does not create Glue databases,
 * because the deployment owns them, so the hint names the deployment step.
 */
export class GlueDatabaseNotFoundError extends DatabaseNotFoundError {
  override readonly hint: string =
    'The Glue databases are created by the deployment: run `cdk deploy` of the CDK app in infra/ for this account and region, or fix the database name.';
}

function httpStatusCode(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | undefined)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}
