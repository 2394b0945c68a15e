import { setTimeout as delay } from 'node:timers/promises';

/** Error codes worth sending again: the request was valid, the service was busy or changing. */
export const RETRYABLE_ERROR_CODES: ReadonlySet<string> = new Set([
  'ConcurrentModificationException',
  'InternalServiceException',
  'OperationTimeoutException',
  'ThrottlingException',
]);

/**
 * Retries of Lake Formation calls and of the failed entries of batch calls. The wait before retry
 * n (1-based) is `baseDelayMs * 2^(n-1)`, at most `maxDelayMs`.
 */
export interface LakeFormationRetryOptions {
  /** Attempts per request or entry, counting the first; 4 by default. */
  maxAttempts?: number;
  /** 200 by default. */
  baseDelayMs?: number;
  /** 5000 by default. */
  maxDelayMs?: number;
  /** Injected by tests so that they need not wait. */
  sleep?: (delayMs: number) => Promise<void>;
}

export class LakeFormationRetry {
  readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly sleep: (delayMs: number) => Promise<void>;

  constructor(options: LakeFormationRetryOptions = {}) {
    this.maxAttempts = options.maxAttempts ?? 4;
    if (!Number.isInteger(this.maxAttempts) || this.maxAttempts < 1) {
      throw new RangeError(`maxAttempts must be an integer of at least 1, found ${this.maxAttempts}`);
    }
    this.baseDelayMs = options.baseDelayMs ?? 200;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.sleep = options.sleep ?? ((delayMs) => delay(delayMs));
  }

  /** Wait before the retry that follows failed attempt `attempt` (1-based). */
  async waitAfter(attempt: number): Promise<void> {
    await this.sleep(Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)));
  }
}

/** Return the AWS error code of a thrown SDK error, or its name. */
export function errorCodeOf(error: unknown): string {
  if (error instanceof Error) return error.name;
  return 'UnknownError';
}
