import { setTimeout as delay } from 'node:timers/promises';
import {
  GetQueryExecutionCommand,
  type AthenaClient,
  type QueryExecution,
} from '@aws-sdk/client-athena';
import type { Clock } from '@carelake/core';
import {
  AthenaQueryFailedError,
  AthenaRequestError,
  AthenaResultError,
  QueryCancelledError,
} from './athena-errors';
import type { AthenaPollingOptions, Sleep } from './athena-options';
import { cancelQueryExecution, stopAfterTimeout } from './stop-query';

export interface WaitOptions {
  client: AthenaClient;
  queryExecutionId: string;
  polling: AthenaPollingOptions;
  clock: Clock;
  sleep: Sleep;
  signal?: AbortSignal | undefined;
  timeoutMs?: number | undefined;
}

export const abortableSleep: Sleep = (ms, signal) => delay(ms, undefined, { signal });

/**
 * Poll GetQueryExecution until the query reaches a final state, waiting
 * `initialDelayMs` first and twice as long after each poll, up to `maxDelayMs`.
 * Resolves with the SUCCEEDED execution. Throws `AthenaQueryFailedError` for FAILED
 * and `QueryCancelledError` for CANCELLED; sends StopQueryExecution before throwing
 * `QueryCancelledError` on an abort, or `AthenaQueryTimeoutError` once `timeoutMs` ran out.
 */
export async function waitForQueryExecution(options: WaitOptions): Promise<QueryExecution> {
  const { client, queryExecutionId, signal, clock } = options;
  const deadlineMs =
    options.timeoutMs === undefined
      ? Number.POSITIVE_INFINITY
      : clock.now().getTime() + options.timeoutMs;
  let delayMs = options.polling.initialDelayMs;

  for (;;) {
    if (signal?.aborted) throw await cancelQueryExecution(client, queryExecutionId, signal);
    const execution = await getQueryExecution(client, queryExecutionId, signal);
    const status = execution.Status;

    switch (status?.State) {
      case 'SUCCEEDED':
        return execution;
      case 'FAILED':
        throw new AthenaQueryFailedError(
          queryExecutionId,
          status,
          execution.Statistics?.DataScannedInBytes,
        );
      case 'CANCELLED':
        throw new QueryCancelledError(
          `Athena query ${queryExecutionId} was cancelled in Athena`,
          queryExecutionId,
          {
            hint: 'Someone stopped the query in Athena (console, CLI or another client); run it again if needed.',
          },
        );
      default:
        // QUEUED or RUNNING. Athena moves a query from RUNNING back to QUEUED after
        // some transient errors and retries it, so neither state is final.
        break;
    }

    const remainingMs = deadlineMs - clock.now().getTime();
    if (remainingMs <= 0) {
      throw await stopAfterTimeout(client, queryExecutionId, options.timeoutMs ?? 0);
    }
    try {
      await options.sleep(Math.min(delayMs, remainingMs), signal);
    } catch (error) {
      if (signal?.aborted) throw await cancelQueryExecution(client, queryExecutionId, signal);
      throw error;
    }
    delayMs = Math.min(delayMs * 2, options.polling.maxDelayMs);
  }
}

async function getQueryExecution(
  client: AthenaClient,
  queryExecutionId: string,
  signal: AbortSignal | undefined,
): Promise<QueryExecution> {
  let execution: QueryExecution | undefined;
  try {
    const output = await client.send(
      new GetQueryExecutionCommand({ QueryExecutionId: queryExecutionId }),
      signal === undefined ? {} : { abortSignal: signal },
    );
    execution = output.QueryExecution;
  } catch (error) {
    if (signal?.aborted) throw await cancelQueryExecution(client, queryExecutionId, signal);
    throw new AthenaRequestError('GetQueryExecution', queryExecutionId, error);
  }
  if (execution === undefined) {
    throw new AthenaResultError(
      `Athena GetQueryExecution returned no QueryExecution for query ${queryExecutionId}`,
    );
  }
  return execution;
}
