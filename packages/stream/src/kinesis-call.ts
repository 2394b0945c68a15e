import type { Logger } from '@carelake/core';

import { StreamRequestError } from './errors';
import { errorCodeOf, isRetryableCallError } from './kinesis-errors';
import { backoffDelayMs, type RandomSource, type RetryPolicy, type Sleep } from './retry';

/** Settings of a retried Kinesis call: the policy, the jitter source, a way to wait, and a logger. */
export interface CallRetryContext {
  policy: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  /** Bound to the stream name, so log lines need not repeat it. */
  logger: Logger;
  /** Aborts the waits between attempts; the call then fails with its last error. */
  signal?: AbortSignal;
}

/**
 * Run one Kinesis call, repeating it with backoff after throttling, server faults
 * and dropped connections. Raises `StreamRequestError` with the last error as
 * `cause` when the error is not retryable or the attempts run out.
 */
export async function callWithRetry<T>(
  operation: string,
  call: () => Promise<T>,
  context: CallRetryContext,
  details: { streamName: string; shardId?: string },
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const retryable = isRetryableCallError(error);
      if (!retryable || attempt >= context.policy.maxAttempts || context.signal?.aborted) {
        throw requestFailed(operation, error, attempt, retryable, details);
      }
      const delayMs = backoffDelayMs(attempt, context.policy, context.random);
      context.logger.warn(
        {
          operation,
          shardId: details.shardId,
          attempt,
          delayMs,
          errorCode: errorCodeOf(error),
        },
        'Kinesis call failed, retrying',
      );
      await context.sleep(delayMs, context.signal);
    }
  }
}

export function requestFailed(
  operation: string,
  error: unknown,
  attempts: number,
  retryable: boolean,
  details: { streamName: string; shardId?: string },
): StreamRequestError {
  const where = details.shardId
    ? `shard ${details.shardId} of stream ${details.streamName}`
    : `stream ${details.streamName}`;
  const after = retryable ? ` after ${attempts} attempts` : '';
  const options: { cause: unknown; shardId?: string; hint: string } = {
    cause: error,
    hint: retryable
      ? 'The stream kept refusing the call. Check its throughput and the endpoint, then run again.'
      : 'Check that the stream exists and that the credentials may use it.',
  };
  if (details.shardId) options.shardId = details.shardId;
  return new StreamRequestError(
    `${operation} on ${where} failed${after}: ${errorCodeOf(error)}`,
    operation,
    options,
  );
}
