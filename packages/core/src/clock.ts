/** Source of the current time, injected so that tests can pin it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that returns the given instant and moves forward only through `advance`. */
export class ManualClock implements Clock {
  private currentMs: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.currentMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.currentMs);
  }

  advance(ms: number): void {
    this.currentMs += ms;
  }
}
