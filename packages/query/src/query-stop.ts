import type { DuckDBConnection } from '@duckdb/node-api';
import { QueryInterruptedError, QueryTimeoutError } from './errors';

/**
 * Build the error for a query stopped through an AbortSignal. It is the
 * signal's reason when the caller aborted with a `QueryInterruptedError`
 * (such as a `QueryTimeoutError` of its own), else a `QueryInterruptedError`
 * whose cause is the reason.
 */
export function interruptionError(reason: unknown): QueryInterruptedError {
  return reason instanceof QueryInterruptedError
    ? reason
    : new QueryInterruptedError('query interrupted', { cause: reason });
}

/**
 * Interrupts DuckDB when the caller's signal aborts or the timeout passes, and
 * remembers why, because DuckDB reports both as the same interrupt error and
 * a streamed result that is interrupted between chunks simply ends early.
 */
export class QueryStop {
  private stopped: QueryInterruptedError | undefined;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort: () => void;

  constructor(
    private readonly connection: DuckDBConnection,
    private readonly signal: AbortSignal | undefined,
    timeoutMs: number | undefined,
  ) {
    this.onAbort = () => this.stop(interruptionError(signal?.reason));
    if (signal?.aborted) this.onAbort();
    else signal?.addEventListener('abort', this.onAbort, { once: true });

    if (timeoutMs !== undefined) {
      this.timer = setTimeout(() => {
        this.stop(
          new QueryTimeoutError(timeoutMs, {
            hint: 'Raise the timeout, or narrow the query with WHERE, partition filters or a limit.',
          }),
        );
      }, timeoutMs);
      // A pending timer must not keep the process alive after the query is done.
      this.timer.unref();
    }
  }

  /** The error to raise when the query was stopped, or undefined when it was not. */
  get error(): QueryInterruptedError | undefined {
    return this.stopped;
  }

  /** Throw the stop's error, if the query was stopped. */
  throwIfStopped(): void {
    if (this.stopped) throw this.stopped;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.signal?.removeEventListener('abort', this.onAbort);
  }

  private stop(error: QueryInterruptedError): void {
    if (this.stopped) return;
    this.stopped = error;
    this.connection.interrupt();
  }
}
