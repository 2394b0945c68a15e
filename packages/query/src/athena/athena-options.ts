import type { AthenaClient } from '@aws-sdk/client-athena';
import type { AuditLog } from '@carelake/audit';
import { ConfigError, type Clock, type ConfigIssue } from '@carelake/core';
import type { QueryOptions } from '../query-engine';

/** Encryption of the result files Athena writes to `outputLocation`. */
export type AthenaResultEncryption =
  | { encryptionOption: 'SSE_S3' }
  | { encryptionOption: 'SSE_KMS'; /** ARN or id of the KMS key. */ kmsKey: string };

/** Waits between GetQueryExecution calls: `initialDelayMs`, doubling up to `maxDelayMs`. */
export interface AthenaPollingOptions {
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Wait `ms`, or reject early when `signal` aborts. */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface AthenaQueryEngineOptions {
  /** Client to send requests with. The caller owns it: `close()` leaves it open. */
  client?: AthenaClient;
  /** AWS region of a client the engine creates and destroys on `close()`. Give this or `client`. */
  region?: string;
  /** Athena workgroup every query runs in. */
  workGroup: string;
  /** Glue database for table names without a database, in catalog `AwsDataCatalog`. */
  database: string;
  /** `s3://bucket/prefix/` for result files, used only when the workgroup does not enforce its own. */
  outputLocation?: string;
  /** Encryption of result files, used only when the workgroup does not enforce its own. */
  encryption?: AthenaResultEncryption;
  audit?: AuditLog;
  /** Default for `AthenaQueryOptions.timeoutMs`. Without either, the engine waits as long as Athena runs the query. */
  timeoutMs?: number;
  polling?: Partial<AthenaPollingOptions>;
  clock?: Clock;
  sleep?: Sleep;
}

export interface AthenaQueryOptions extends QueryOptions {
  /**
   * Key that makes a retried call reuse the query already started with it, instead
   * of running the query again. Athena rejects a reused key with different SQL.
   */
  idempotencyKey?: string;
  /** Stop waiting, and stop the query in Athena, if it has not finished after this many ms. */
  timeoutMs?: number;
}

export const DEFAULT_POLLING: AthenaPollingOptions = { initialDelayMs: 100, maxDelayMs: 3000 };

/** Throw one `ConfigError` listing every invalid engine option, each under its option name. */
export function validateEngineOptions(options: AthenaQueryEngineOptions): void {
  const issues: ConfigIssue[] = [];
  if ((options.client === undefined) === (options.region === undefined)) {
    issues.push({ keyPath: 'region', message: 'give exactly one of region and client' });
  } else if (options.region !== undefined && !isNonEmptyString(options.region)) {
    issues.push({ keyPath: 'region', message: 'expected an AWS region such as us-east-1' });
  }
  if (!isNonEmptyString(options.workGroup)) {
    issues.push({ keyPath: 'workGroup', message: 'expected the name of an Athena workgroup' });
  }
  if (!isNonEmptyString(options.database)) {
    issues.push({ keyPath: 'database', message: 'expected the name of a Glue database' });
  }
  if (options.outputLocation !== undefined && !/^s3:\/\/[^/]+/.test(options.outputLocation)) {
    issues.push({
      keyPath: 'outputLocation',
      message: 'expected an S3 URI such as s3://bucket/athena-results/',
    });
  }
  checkEncryption(options.encryption, issues);
  checkDuration(options.timeoutMs, 'timeoutMs', issues);
  checkDuration(options.polling?.initialDelayMs, 'polling.initialDelayMs', issues);
  checkDuration(options.polling?.maxDelayMs, 'polling.maxDelayMs', issues);

  if (issues.length > 0) throw new ConfigError('invalid Athena query engine options', issues);
}

/** Throw a `ConfigError` for a per-query option the engine cannot honour. */
export function validateQueryOptions(options: AthenaQueryOptions): void {
  const issues: ConfigIssue[] = [];
  if (options.limit !== undefined && !(Number.isInteger(options.limit) && options.limit >= 0)) {
    issues.push({ keyPath: 'limit', message: 'expected an integer of 0 or more' });
  }
  if (options.idempotencyKey !== undefined && !isNonEmptyString(options.idempotencyKey)) {
    issues.push({ keyPath: 'idempotencyKey', message: 'expected a non-empty string' });
  }
  checkDuration(options.timeoutMs, 'timeoutMs', issues);

  if (issues.length > 0) throw new ConfigError('invalid query options', issues);
}

function checkEncryption(
  encryption: AthenaResultEncryption | undefined,
  issues: ConfigIssue[],
): void {
  if (encryption === undefined) return;
  const option: unknown = encryption.encryptionOption;
  if (option === 'SSE_KMS') {
    if (!('kmsKey' in encryption) || !isNonEmptyString(encryption.kmsKey)) {
      issues.push({
        keyPath: 'encryption.kmsKey',
        message: 'expected a KMS key ARN or id for SSE_KMS',
      });
    }
  } else if (option !== 'SSE_S3') {
    issues.push({ keyPath: 'encryption.encryptionOption', message: 'expected SSE_S3 or SSE_KMS' });
  }
}

function checkDuration(value: number | undefined, keyPath: string, issues: ConfigIssue[]): void {
  if (value !== undefined && !(Number.isInteger(value) && value > 0)) {
    issues.push({ keyPath, message: 'expected a whole number of milliseconds greater than 0' });
  }
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
