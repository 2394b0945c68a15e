// Real: compareRelease over code periods and records, and the code index built from the result.
// Faked: the codes are synthetic CVX and LOINC codes with synthetic descriptions.
import { buildCodeIndex } from './code-index';
import type { CodePeriod, VocabRelease } from './code-period';
import type { CodeRecord } from './code-record';
import { compareRelease } from './release-changes';

const FIRST: VocabRelease = { version: 'v1', effective: '2024-01-01', sequence: 1 };
const SECOND: VocabRelease = { version: 'v2', effective: '2025-01-01', sequence: 2 };

function cvx(code: string, display: string, status: CodeRecord['status'] = 'active'): CodeRecord {
  return { system: 'cvx', code, display, status };
}

/** Applies period versions as a table's `_current` companion does: the newest version of each period wins. */
function applyVersions(
  current: readonly CodePeriod[],
  appended: readonly CodePeriod[],
): CodePeriod[] {
  const byKey = new Map<string, CodePeriod>();
  for (const period of [...current, ...appended]) {
    byKey.set(`${period.system}|${period.code}|${period.validFrom}`, period);
  }
  return [...byKey.values()];
}

function indexOf(periods: readonly CodePeriod[]) {
  return buildCodeIndex(
    periods.map((period) => ({
      system: period.system,
      code: period.code,
      display: period.display,
      status: period.status,
      ...(period.validFrom === null ? {} : { validFrom: period.validFrom }),
      ...(period.validTo === null ? {} : { validTo: period.validTo }),
    })),
  );
}

describe('compareRelease', () => {
  const baselineRecords = [
    cvx('901', 'Synthetic vaccine 1'),
    cvx('902', 'Synthetic vaccine 2'),
    cvx('903', 'Synthetic vaccine 3'),
    cvx('904', 'Synthetic vaccine 4', 'retired'),
  ];
  const baseline = compareRelease([], baselineRecords, FIRST);

  it('loads a baseline without start dates', () => {
    expect(baseline.baseline).toBe(true);
    expect(baseline.counts).toEqual({
      added: 4,
      retired: 0,
      descriptionChanged: 0,
      statusChanged: 0,
      unchanged: 0,
    });
    expect(baseline.periods.map((period) => period.validFrom)).toEqual([null, null, null, null]);
    expect(indexOf(baseline.periods).check('cvx', '901', '1990-05-01')).toBe('known');
  });

  it('finds no change in the same release', () => {
    const again = compareRelease(baseline.periods, baselineRecords, SECOND);

    expect(again.periods).toEqual([]);
    expect(again.counts.unchanged).toBe(4);
  });

  describe('second release', () => {
    const second = compareRelease(
      baseline.periods,
      [
        cvx('901', 'Synthetic vaccine 1'),
        cvx('902', 'Synthetic vaccine 2, renamed'),
        cvx('904', 'Synthetic vaccine 4', 'retired'),
        cvx('905', 'Synthetic vaccine 5'),
      ],
      SECOND,
    );
    const table = applyVersions(baseline.periods, second.periods);
    const index = indexOf(table);

    it('counts each kind of change', () => {
      expect(second.baseline).toBe(false);
      expect(second.counts).toEqual({
        added: 1,
        retired: 1,
        descriptionChanged: 1,
        statusChanged: 0,
        unchanged: 2,
      });
      expect(second.examples).toEqual({
        added: ['905'],
        retired: ['903'],
        descriptionChanged: ['902'],
        statusChanged: [],
      });
    });

    it('closes the dropped code at the effective date', () => {
      const closed = second.periods.find((period) => period.code === '903');

      expect(closed).toEqual({
        system: 'cvx',
        code: '903',
        display: 'Synthetic vaccine 3',
        status: 'retired',
        validFrom: null,
        validTo: '2025-01-01',
        replacedBy: [],
      });
    });

    it.each([
      {
        case: 'retired code before retirement',
        code: '903',
        date: '2024-12-31',
        expected: 'known',
      },
      {
        case: 'retired code after retirement',
        code: '903',
        date: '2025-01-01',
        expected: 'retired',
      },
      { case: 'new code before its release', code: '905', date: '2024-06-01', expected: 'unknown' },
      { case: 'new code from its release', code: '905', date: '2025-01-01', expected: 'known' },
      {
        case: 'renamed code across the change',
        code: '902',
        date: '2030-01-01',
        expected: 'known',
      },
      { case: 'code retired from the start', code: '904', date: '2024-06-01', expected: 'retired' },
    ])('checks the $case', ({ code, date, expected }) => {
      expect(index.check('cvx', code, date)).toBe(expected);
    });

    it('keeps both descriptions of a renamed code', () => {
      const renamed = table
        .filter((period) => period.code === '902')
        .map(({ display, validFrom, validTo }) => ({ display, validFrom, validTo }));

      expect(renamed).toEqual([
        { display: 'Synthetic vaccine 2', validFrom: null, validTo: '2025-01-01' },
        { display: 'Synthetic vaccine 2, renamed', validFrom: '2025-01-01', validTo: null },
      ]);
    });

    it('reinstates a retired code from the next release', () => {
      const third = compareRelease(table, [...baselineRecords, cvx('905', 'Synthetic vaccine 5')], {
        version: 'v3',
        effective: '2026-01-01',
        sequence: 3,
      });
      const reinstated = third.periods.find((period) => period.code === '903');

      expect(third.examples.added).toEqual(['903']);
      expect(reinstated?.validFrom).toBe('2026-01-01');
      expect(indexOf(applyVersions(table, third.periods)).check('cvx', '903', '2025-06-01')).toBe(
        'retired',
      );
    });
  });

  it('replaces a period opened on the same effective date', () => {
    const opened = compareRelease(
      baseline.periods,
      [...baselineRecords, cvx('905', 'First name')],
      SECOND,
    );
    const table = applyVersions(baseline.periods, opened.periods);

    const corrected = compareRelease(table, [...baselineRecords, cvx('905', 'Corrected name')], {
      ...SECOND,
      version: 'v2-corrected',
      sequence: 3,
    });

    expect(corrected.periods).toEqual([{ ...opened.periods[0], display: 'Corrected name' }]);
  });

  it('records a LOINC status change with its replacement', () => {
    const active = { system: 'loinc', code: '900001-4', display: 'Synthetic LOINC 900001-4' };
    const loaded = compareRelease([], [{ ...active, status: 'active' }], FIRST);

    const deprecated = compareRelease(
      loaded.periods,
      [{ ...active, status: 'deprecated', replacedBy: ['900002-2'] }],
      SECOND,
    );

    expect(deprecated.counts.retired).toBe(1);
    expect(deprecated.periods).toEqual([
      {
        ...loaded.periods[0],
        status: 'deprecated',
        validTo: '2025-01-01',
        replacedBy: ['900002-2'],
      },
    ]);
  });

  it('records a change of valid status', () => {
    const loaded = compareRelease([], [cvx('901', 'Synthetic vaccine 1')], FIRST);

    const inactive = compareRelease(
      loaded.periods,
      [cvx('901', 'Synthetic vaccine 1', 'inactive')],
      SECOND,
    );

    expect(inactive.counts.statusChanged).toBe(1);
    expect(
      inactive.periods.map((period) => [period.status, period.validFrom, period.validTo]),
    ).toEqual([
      ['active', null, '2025-01-01'],
      ['inactive', '2025-01-01', null],
    ]);
  });

  it('matches codes after normalization', () => {
    const loaded = compareRelease([], [cvx('08', 'Synthetic vaccine 8')], FIRST);

    const again = compareRelease(loaded.periods, [cvx('8', 'Synthetic vaccine 8')], SECOND);

    expect(again.counts.unchanged).toBe(1);
    expect(again.periods).toEqual([]);
  });

  it('prefers a valid record of a listed-twice code', () => {
    const changes = compareRelease(
      [],
      [cvx('901', 'Obsolete name', 'deprecated'), cvx('901', 'Current name')],
      FIRST,
    );

    expect(changes.duplicateRecords).toBe(1);
    expect(changes.periods.map((period) => period.display)).toEqual(['Current name']);
  });
});
