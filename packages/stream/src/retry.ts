import { setTimeout as delay } from 'node:timers/promises';

import type { ConfigIssue } from '@carelake/core';

import { checkInteger } from './option-checks';

/** How often and how long to retry a failed Kinesis call or PutRecords entry. */
export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** Ceiling of the first wait. The ceiling doubles after each further failure. */
  baseDelayMs: number;
  /** Largest ceiling the doubling reaches. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = Object.freeze({
  maxAttempts: 10,
  baseDelayMs: 100,
  maxDelayMs: 10_000,
});

/** Source of uniform numbers in [0, 1), such as `Math.random` or `seededRandom(seed)`. */
export type RandomSource = () => number;

/**
 * Waits `ms` milliseconds. It resolves early, without an error, when `signal`
 * aborts, so that a closing consumer does not sit out its idle wait.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = async (ms, signal) => {
  if (signal?.aborted) return;
  try {
    await delay(ms, undefined, signal ? { signal } : undefined);
  } catch (error) {
    if (!signal?.aborted) throw error;
  }
};

/**
 * Compute the wait after `failedAttempts` failures (1 or more): a uniform
 * random share of a ceiling that doubles with each failure ("full jitter"), so
 * that producers throttled together do not retry together.
 */
export function backoffDelayMs(
  failedAttempts: number,
  policy: RetryPolicy,
  random: RandomSource,
): number {
  const ceilingMs = Math.min(
    policy.maxDelayMs,
    policy.baseDelayMs * 2 ** Math.max(0, failedAttempts - 1),
  );
  return Math.floor(random() * ceilingMs);
}

/** Create a deterministic random source (mulberry32): the same seed gives the same sequence. */
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

/** Fill in the defaults of a partial retry policy, adding an issue for each invalid field. */
export function resolveRetryPolicy(
  issues: ConfigIssue[],
  keyPath: string,
  policy: Partial<RetryPolicy> | undefined,
): RetryPolicy {
  const resolved: RetryPolicy = { ...DEFAULT_RETRY_POLICY, ...policy };
  checkInteger(issues, `${keyPath}.maxAttempts`, resolved.maxAttempts, 1, 1000);
  checkInteger(issues, `${keyPath}.baseDelayMs`, resolved.baseDelayMs, 0, 2 ** 31 - 1);
  checkInteger(issues, `${keyPath}.maxDelayMs`, resolved.maxDelayMs, 0, 2 ** 31 - 1);
  return resolved;
}
