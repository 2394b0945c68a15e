// checkQuerySize, buildStartRequest and clientRequestToken; pure functions, nothing faked.
import { canonicalJson, sha256Hex } from '@carelake/core';
import { QueryTextTooLargeError } from './athena-errors';
import {
  buildStartRequest,
  checkQuerySize,
  clientRequestToken,
  MAX_QUERY_BYTES,
} from './start-request';

describe('checkQuerySize', () => {
  it.each([
    { case: 'at the limit', sql: 'x'.repeat(MAX_QUERY_BYTES), sizeBytes: undefined },
    { case: 'one byte over', sql: 'x'.repeat(MAX_QUERY_BYTES + 1), sizeBytes: MAX_QUERY_BYTES + 1 },
    { case: 'over in bytes only', sql: '€'.repeat(90_000), sizeBytes: 270_000 },
  ])('checks $case', ({ sql, sizeBytes }) => {
    let error: unknown;
    try {
      checkQuerySize(sql);
    } catch (caught) {
      error = caught;
    }

    if (sizeBytes === undefined) {
      expect(error).toBeUndefined();
    } else {
      expect(error).toBeInstanceOf(QueryTextTooLargeError);
      expect((error as QueryTextTooLargeError).sizeBytes).toBe(sizeBytes);
      expect((error as QueryTextTooLargeError).maxBytes).toBe(262_144);
    }
  });
});

describe('buildStartRequest', () => {
  it('sends result configuration when given', () => {
    const request = buildStartRequest('SELECT 1', {
      workGroup: 'carelake-analysts',
      database: 'clinical',
      resultConfiguration: { OutputLocation: 's3://carelake-results/athena/' },
      principal: 'analyst-east',
      idempotencyKey: 'census-2026-02',
    });

    expect(request).toStrictEqual({
      QueryString: 'SELECT 1',
      WorkGroup: 'carelake-analysts',
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'clinical' },
      ClientRequestToken: sha256Hex(
        canonicalJson({ idempotencyKey: 'census-2026-02', principal: 'analyst-east' }),
      ),
      ResultConfiguration: { OutputLocation: 's3://carelake-results/athena/' },
    });
  });
});

describe('clientRequestToken', () => {
  it.each([
    { case: 'same principal and key', other: ['analyst-east', 'census-2026-02'], same: true },
    { case: 'other key', other: ['analyst-east', 'census-2026-03'], same: false },
    { case: 'other principal', other: ['analyst-west', 'census-2026-02'], same: false },
  ])('derives $case', ({ other, same }) => {
    const token = clientRequestToken('analyst-east', 'census-2026-02');

    expect(token === clientRequestToken(other[0] ?? '', other[1])).toBe(same);
    expect(token).toHaveLength(64);
  });

  it('is random without a key', () => {
    const first = clientRequestToken('analyst-east', undefined);
    const second = clientRequestToken('analyst-east', undefined);

    expect(first).not.toBe(second);
    expect(first.length).toBeGreaterThanOrEqual(32);
  });
});
