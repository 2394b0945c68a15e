import { setTimeout as delay } from 'node:timers/promises';
import {
  GlueRequestError,
  glueErrorCode,
  isRetryableGlueError,
  type GlueOperation,
  type GlueTarget,
} from './glue-errors';

/** One retry about to happen, for the caller to log or count. */
export interface GlueRetryEvent {
  operation: GlueOperation;
  target: GlueTarget;
  /** 1-based number of the attempt that failed. */
  attempt: number;
  /** Wait before the next attempt. */
  delayMs: number;
  /** AWS error code of the failure, such as `ThrottlingException`. */
  errorCode: string;
  /** For batch calls, how many entries are sent again. */
  retriedEntries?: number;
}

/**
 * Retries of throttled and internal Glue errors on top of the SDK's own, which
 * gives up after a few attempts within seconds. The wait before retry n (1-based)
 * is a random time up to `min(maxDelayMs, baseDelayMs * 2^(n-1))` ("full jitter"),
 * so that pipelines throttled together do not retry together.
 */
export interface GlueRetryOptions {
  /** Attempts per call, counting the first, 5 by default. */
  maxAttempts?: number;
  /** 200 by default. */
  baseDelayMs?: number;
  /** 5000 by default. */
  maxDelayMs?: number;
  /** Injected by tests so that they need not wait. */
  sleep?: (delayMs: number) => Promise<void>;
  /** Returns a number in [0, 1), `Math.random` by default. Injected by tests for exact delays. */
  random?: () => number;
  onRetry?: (event: GlueRetryEvent) => void;
}

export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_BASE_DELAY_MS = 200;
export const DEFAULT_MAX_DELAY_MS = 5000;

export class GlueRetryPolicy {
  readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (delayMs: number) => Promise<void>;
  private readonly random: () => number;
  private readonly onRetry: ((event: GlueRetryEvent) => void) | undefined;

  constructor(options: GlueRetryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(
        `maxAttempts must be an integer of at least 1, found ${this.maxAttempts}`,
      );
    }
    this.baseDelayMs = options.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
    this.maxDelayMs = options.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
    this.sleep = options.sleep ?? ((delayMs) => delay(delayMs));
    this.random = options.random ?? Math.random;
    this.onRetry = options.onRetry;
  }

  /** Return the wait before the retry that follows failed attempt `attempt` (1-based). */
  delayMs(attempt: number): number {
    const ceilingMs = Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1));
    return Math.floor(this.random() * ceilingMs);
  }

  /** Report a retry and wait before it. */
  async waitBeforeRetry(event: Omit<GlueRetryEvent, 'delayMs'>): Promise<void> {
    const delayMs = this.delayMs(event.attempt);
    this.onRetry?.({ ...event, delayMs });
    await this.sleep(delayMs);
  }

  /**
   * Run one Glue call, retrying it while it fails with a retryable error. Other
   * errors are thrown unchanged, for the caller to translate. A retryable error
   * on the last attempt becomes a `GlueRequestError` that counts the attempts.
   */
  async run<T>(operation: GlueOperation, target: GlueTarget, send: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send();
      } catch (error) {
        if (!isRetryableGlueError(error)) throw error;
        if (attempt >= this.maxAttempts) {
          throw new GlueRequestError(error, operation, target, attempt);
        }
        await this.waitBeforeRetry({
          operation,
          target,
          attempt,
          errorCode: glueErrorCode(error),
        });
      }
    }
  }
}
