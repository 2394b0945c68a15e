import type { TimerHandle, Timers } from '../timers';

interface ScheduledCallback {
  id: number;
  dueMs: number;
  callback: () => void;
}

/** Timers that fire only when the test calls `advance`. */
export class ManualTimers implements Timers {
  private nowMs = 0;
  private nextId = 1;
  private scheduled: ScheduledCallback[] = [];

  get pendingCount(): number {
    return this.scheduled.length;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.scheduled.push({ id, dueMs: this.nowMs + delayMs, callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.scheduled = this.scheduled.filter((entry) => entry.id !== handle);
  }

  /** Move time forward and run, in due order, every callback that falls due. */
  advance(ms: number): void {
    this.nowMs += ms;
    const due = this.scheduled
      .filter((entry) => entry.dueMs <= this.nowMs)
      .sort((a, b) => a.dueMs - b.dueMs);
    this.scheduled = this.scheduled.filter((entry) => entry.dueMs > this.nowMs);
    for (const entry of due) entry.callback();
  }
}
