import type { ConfigIssue } from '@carelake/core';
import { checkInteger } from './connect-options';

/** Limits on retrying a failed operation: how many attempts, and how long to wait between them. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Ceiling of the wait after the first failure; it doubles after each further failure. */
  initialDelayMs: number;
  /** Largest ceiling the doubling reaches. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 3,
  initialDelayMs: 500,
  maxDelayMs: 30_000,
};

/** Source of uniform numbers in [0, 1), such as `Math.random` or `seededRandom(seed)`. */
export type RandomSource = () => number;

/** Function that waits the given number of milliseconds. Tests pass one that returns at once or acts meanwhile. */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Compute the wait before the next attempt after `failedAttempts` failures (1 or more). The
 * ceiling doubles with each failure, and the wait is half the ceiling plus a random share of the
 * other half ("equal jitter"). Clients that failed together then retry apart, yet each waits.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: RandomSource,
): number {
  const ceiling = Math.min(
    policy.maxDelayMs,
    policy.initialDelayMs * 2 ** Math.max(0, failedAttempts - 1),
  );
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/**
 * Create a deterministic random source (mulberry32) for tests and reproducible runs: the same seed
 * gives the same sequence.
 */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

export type AttemptOutcome<T> =
  { ok: true; value: T; attempts: number } | { ok: false; error: unknown; attempts: number };

export interface RetryContext {
  policy: RetryPolicy;
  random: RandomSource;
  sleep: Sleep;
  /** Whether another attempt could succeed after this error. */
  isRetryable: (error: unknown) => boolean;
  /** Called before each wait, for logging. */
  onRetry?: (failure: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Run `operation` until it succeeds, fails with an error that is not retryable, or runs out of attempts. */
export async function withRetries<T>(
  operation: (attempt: number) => Promise<T>,
  context: RetryContext,
): Promise<AttemptOutcome<T>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return { ok: true, value: await operation(attempt), attempts: attempt };
    } catch (error) {
      if (attempt >= context.policy.maxAttempts || !context.isRetryable(error)) {
        return { ok: false, error, attempts: attempt };
      }
      const delayMs = backoffDelayMs(attempt, context.policy, context.random);
      context.onRetry?.({ attempt, delayMs, error });
      await context.sleep(delayMs);
    }
  }
}

/** Fill in the defaults of a partial retry policy, adding an issue for each invalid field. */
export function resolveRetryPolicy(
  issues: ConfigIssue[],
  keyPath: string,
  policy: Partial<RetryPolicy> | undefined,
  fallback: RetryPolicy,
): RetryPolicy {
  const resolved: RetryPolicy = { ...fallback, ...policy };
  checkInteger(issues, `${keyPath}.maxAttempts`, resolved.maxAttempts, 1, 100);
  checkInteger(issues, `${keyPath}.initialDelayMs`, resolved.initialDelayMs, 0, 2 ** 31 - 1);
  checkInteger(issues, `${keyPath}.maxDelayMs`, resolved.maxDelayMs, 0, 2 ** 31 - 1);
  return resolved;
}
