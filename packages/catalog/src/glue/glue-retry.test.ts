// GlueRetryPolicy with injected sleep and random, and errors built from the Glue SDK's own classes.
import { AccessDeniedException, ThrottlingException } from '@aws-sdk/client-glue';
import { GlueRequestError } from './glue-errors';
import { GlueRetryPolicy } from './glue-retry';

const $metadata = { httpStatusCode: 400 };

describe('GlueRetryPolicy', () => {
  it.each([
    { case: 'first retry', attempt: 1, random: 0.5, delayMs: 100 },
    { case: 'third retry', attempt: 3, random: 0.5, delayMs: 400 },
    { case: 'capped ceiling', attempt: 10, random: 0.5, delayMs: 2500 },
    { case: 'smallest jitter', attempt: 4, random: 0, delayMs: 0 },
    { case: 'largest jitter', attempt: 4, random: 0.999, delayMs: 1598 },
  ])('waits with $case', ({ attempt, random, delayMs }) => {
    const policy = new GlueRetryPolicy({ random: () => random });

    expect(policy.delayMs(attempt)).toBe(delayMs);
  });

  it('honours custom limits', async () => {
    const sleepsMs: number[] = [];
    const policy = new GlueRetryPolicy({
      maxAttempts: 4,
      baseDelayMs: 50,
      maxDelayMs: 120,
      random: () => 0.5,
      sleep: async (delayMs) => {
        sleepsMs.push(delayMs);
      },
    });
    let calls = 0;
    const send = async () => {
      calls++;
      throw new ThrottlingException({ message: 'Rate exceeded', $metadata });
    };

    await expect(
      policy.run('GetTable', { database: 'raw', table: 'feed' }, send),
    ).rejects.toBeInstanceOf(GlueRequestError);
    expect(calls).toBe(4);
    expect(sleepsMs).toEqual([25, 50, 60]);
  });

  it('throws other errors unchanged', async () => {
    const denied = new AccessDeniedException({ message: 'denied', $metadata });
    const policy = new GlueRetryPolicy({ sleep: () => Promise.resolve() });

    await expect(policy.run('GetTable', {}, async () => Promise.reject(denied))).rejects.toBe(
      denied,
    );
  });

  it.each([{ maxAttempts: 0 }, { maxAttempts: 2.5 }])(
    'rejects maxAttempts $maxAttempts',
    ({ maxAttempts }) => {
      expect(() => new GlueRetryPolicy({ maxAttempts })).toThrow(RangeError);
    },
  );
});
