import { StopQueryExecutionCommand, type AthenaClient } from '@aws-sdk/client-athena';
import { AthenaQueryTimeoutError, QueryCancelledError } from './athena-errors';

/**
 * Send StopQueryExecution after an abort and return the cancellation error to
 * throw. When the stop request itself fails, the error keeps that failure as
 * `stopFailure` and its hint states that the query may still be running.
 */
export async function cancelQueryExecution(
  client: AthenaClient,
  queryExecutionId: string,
  signal: AbortSignal | undefined,
): Promise<QueryCancelledError> {
  const stopFailure = await stopQueryExecution(client, queryExecutionId);
  return new QueryCancelledError(
    `Athena query ${queryExecutionId} was cancelled`,
    queryExecutionId,
    {
      cause: signal?.reason,
      stopFailure,
    },
  );
}

/** Send StopQueryExecution after `timeoutMs` ran out and return the timeout error to throw. */
export async function stopAfterTimeout(
  client: AthenaClient,
  queryExecutionId: string,
  timeoutMs: number,
): Promise<AthenaQueryTimeoutError> {
  const stopFailure = await stopQueryExecution(client, queryExecutionId);
  return new AthenaQueryTimeoutError(queryExecutionId, timeoutMs, { stopFailure });
}

/** Return the error StopQueryExecution failed with, or undefined once Athena accepted it. */
async function stopQueryExecution(
  client: AthenaClient,
  queryExecutionId: string,
): Promise<unknown> {
  try {
    await client.send(new StopQueryExecutionCommand({ QueryExecutionId: queryExecutionId }));
    return undefined;
  } catch (error) {
    return error;
  }
}
