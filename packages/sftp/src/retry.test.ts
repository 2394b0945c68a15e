// Real: backoff arithmetic, the seeded generator and the retry loop. Faked: sleep, which records waits instead of waiting.
import { backoffDelayMs, seededRandom, withRetries, type RetryPolicy } from './retry';

const policy: RetryPolicy = { maxAttempts: 4, initialDelayMs: 100, maxDelayMs: 300 };

describe('backoffDelayMs', () => {
  it.each([
    { case: 'first failure, no jitter', failures: 1, random: 0, expected: 50 },
    { case: 'first failure, most jitter', failures: 1, random: 0.999999, expected: 100 },
    { case: 'second failure doubles', failures: 2, random: 0, expected: 100 },
    { case: 'ceiling reached', failures: 5, random: 0.5, expected: 225 },
  ])('$case gives $expected ms', ({ failures, random, expected }) => {
    expect(backoffDelayMs(failures, policy, () => random)).toBe(expected);
  });
});

describe('seededRandom', () => {
  it('repeats a sequence for one seed', () => {
    const first = seededRandom(42);
    const second = seededRandom(42);
    const values = Array.from({ length: 5 }, () => first());

    expect(Array.from({ length: 5 }, () => second())).toEqual(values);
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    expect(new Set(values).size).toBe(5);
  });

  it('differs between seeds', () => {
    expect(seededRandom(1)()).not.toBe(seededRandom(2)());
  });
});

describe('withRetries', () => {
  it('retries retryable errors with growing waits', async () => {
    const waits: number[] = [];
    let calls = 0;

    const outcome = await withRetries(
      async () => {
        calls++;
        if (calls < 3) throw new Error('lost');
        return 'done';
      },
      {
        policy,
        random: () => 0,
        sleep: async (ms) => void waits.push(ms),
        isRetryable: () => true,
      },
    );

    expect(outcome).toEqual({ ok: true, value: 'done', attempts: 3 });
    expect(waits).toEqual([50, 100]);
  });

  it('stops at an error that is not retryable', async () => {
    const error = new Error('changed');

    const outcome = await withRetries(() => Promise.reject(error), {
      policy,
      random: () => 0,
      sleep: async () => undefined,
      isRetryable: () => false,
    });

    expect(outcome).toEqual({ ok: false, error, attempts: 1 });
  });

  it('gives up after maxAttempts', async () => {
    let calls = 0;

    const outcome = await withRetries(
      () => {
        calls++;
        return Promise.reject(new Error('lost'));
      },
      { policy, random: () => 0, sleep: async () => undefined, isRetryable: () => true },
    );

    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(4);
    expect(calls).toBe(4);
  });
});
