/** Opaque handle returned by `Timers.setTimeout`. */
export type TimerHandle = unknown;

/** Schedules callbacks, injected so that tests can decide when a linger period ends. */
export interface Timers {
  setTimeout(callback: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
