// Real: buildCodeIndex over generated records, compared with a plain scan of the same records.
// Faked: nothing.
import fc from 'fast-check';
import { addDays } from './calendar-dates';
import { buildCodeIndex, type CodeCheck } from './code-index';
import { CODE_STATUSES, type CodeRecord } from './code-record';

const VALID_STATUSES = new Set(['active', 'trial', 'discouraged', 'inactive']);
const EPOCH = '2000-01-01';

const dateArbitrary = fc.integer({ min: 0, max: 60 }).map((days) => addDays(EPOCH, days));

const recordArbitrary: fc.Arbitrary<CodeRecord> = fc
  .record({
    code: fc.constantFrom('A01', 'A01.1', 'a011', 'B02'),
    status: fc.constantFrom(...CODE_STATUSES),
    validFrom: fc.option(dateArbitrary, { nil: undefined }),
    validTo: fc.option(dateArbitrary, { nil: undefined }),
  })
  .map(({ code, status, validFrom, validTo }) => ({
    system: 'icd10cm',
    code,
    display: 'Synthetic',
    status,
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(validTo === undefined ? {} : { validTo }),
  }));

/** Returns the expected result by scanning the records. ISO dates compare as strings, and codes without dots and case. */
function expectedCheck(records: readonly CodeRecord[], code: string, date: string): CodeCheck {
  const key = (value: string): string => value.replace(/\./g, '').toUpperCase();
  const matching = records.filter(
    (record) => record.status !== 'pending' && key(record.code) === key(code),
  );
  if (matching.length === 0) return 'unknown';
  const validOn = (record: CodeRecord): boolean => {
    const starts = record.validFrom === undefined || record.validFrom <= date;
    const ends =
      record.validTo ?? (VALID_STATUSES.has(record.status) ? undefined : (record.validFrom ?? ''));
    return starts && (ends === undefined || date < ends);
  };
  if (matching.some(validOn)) return 'known';
  return matching.some((record) => record.validFrom === undefined || record.validFrom <= date)
    ? 'retired'
    : 'unknown';
}

describe('buildCodeIndex', () => {
  it('answers as a scan of the records does', () => {
    fc.assert(
      fc.property(
        fc.array(recordArbitrary, { maxLength: 8 }),
        fc.constantFrom('A01.1', 'A011', 'B02', 'C03'),
        dateArbitrary,
        (records, code, date) => {
          const index = buildCodeIndex([
            ...records,
            { system: 'icd10cm', code: 'Z00', display: '', status: 'active' },
          ]);
          expect(index.check('icd10cm', code, date)).toBe(expectedCheck(records, code, date));
        },
      ),
      { seed: 20250304, numRuns: 2000 },
    );
  });
});
