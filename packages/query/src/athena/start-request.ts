import { randomUUID } from 'node:crypto';
import type { ResultConfiguration, StartQueryExecutionCommandInput } from '@aws-sdk/client-athena';
import { canonicalJson, sha256Hex } from '@carelake/core';
import { QueryTextTooLargeError } from './athena-errors';

/** Athena's maximum query string length, in bytes (Athena service quotas). */
export const MAX_QUERY_BYTES = 262_144;

/** The catalog Athena calls the Glue Data Catalog of the account. */
export const AWS_DATA_CATALOG = 'AwsDataCatalog';

export interface StartRequestSettings {
  workGroup: string;
  database: string;
  /** Undefined when the workgroup enforces its own result settings. */
  resultConfiguration: ResultConfiguration | undefined;
  /** Principal name, so that two principals using the same idempotency key do not collide. */
  principal: string;
  idempotencyKey: string | undefined;
}

/** Throw `QueryTextTooLargeError` when the SQL is larger than Athena accepts, so it is never sent. */
export function checkQuerySize(sql: string): void {
  const sizeBytes = Buffer.byteLength(sql, 'utf8');
  if (sizeBytes > MAX_QUERY_BYTES) throw new QueryTextTooLargeError(sizeBytes, MAX_QUERY_BYTES);
}

/** Build the StartQueryExecution input for one statement. */
export function buildStartRequest(
  sql: string,
  settings: StartRequestSettings,
): StartQueryExecutionCommandInput {
  const request: StartQueryExecutionCommandInput = {
    QueryString: sql,
    WorkGroup: settings.workGroup,
    QueryExecutionContext: { Catalog: AWS_DATA_CATALOG, Database: settings.database },
    ClientRequestToken: clientRequestToken(settings.principal, settings.idempotencyKey),
  };
  if (settings.resultConfiguration !== undefined) {
    request.ResultConfiguration = settings.resultConfiguration;
  }
  return request;
}

/**
 * Derive the ClientRequestToken (32 to 128 characters). With an idempotency key it is the
 * SHA-256 of the principal and the key, so a retry after a lost response gets the
 * same QueryExecutionId instead of a second run. Without one it is a random UUID.
 */
export function clientRequestToken(principal: string, idempotencyKey: string | undefined): string {
  if (idempotencyKey === undefined) return randomUUID();
  return sha256Hex(canonicalJson({ idempotencyKey, principal }));
}
