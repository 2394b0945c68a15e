// Real: the schedule arithmetic over calendar dates. Nothing is faked.
import { VocabError } from './errors';
import { nextScheduledRelease, releaseDue, type ReleaseSchedule } from './release-schedule';

const ICD10CM: ReleaseSchedule = {
  every: 'year',
  on: ['10-01'],
  updates: ['04-01'],
  graceDays: 30,
};
const LOINC: ReleaseSchedule = { every: 'year', on: ['02-01', '08-01'], graceDays: 45 };
const RXNORM: ReleaseSchedule = {
  every: 'month',
  on: 'first-monday',
  updates: 'weekly',
  graceDays: 14,
};
const MID_MONTH: ReleaseSchedule = { every: 'month', on: 15, graceDays: 7 };

describe('nextScheduledRelease', () => {
  it.each([
    {
      case: 'ICD-10-CM fiscal year to April update',
      schedule: ICD10CM,
      after: '2024-10-01',
      next: '2025-04-01',
    },
    {
      case: 'ICD-10-CM April update to fiscal year',
      schedule: ICD10CM,
      after: '2025-04-01',
      next: '2025-10-01',
    },
    { case: 'LOINC across the year end', schedule: LOINC, after: '2025-08-20', next: '2026-02-01' },
    {
      case: 'LOINC released late in February',
      schedule: LOINC,
      after: '2025-02-24',
      next: '2025-08-01',
    },
    // 2025-09-01 is a Monday, and 2025-10-06 is the first Monday of October.
    { case: 'RxNorm on a first Monday', schedule: RXNORM, after: '2025-09-01', next: '2025-10-06' },
    {
      case: 'RxNorm before the first Monday',
      schedule: RXNORM,
      after: '2025-12-01',
      next: '2026-01-05',
    },
    {
      case: 'a fixed day of the month',
      schedule: MID_MONTH,
      after: '2025-12-15',
      next: '2026-01-15',
    },
    {
      case: 'no schedule',
      schedule: { every: 'none' } as const,
      after: '2025-01-01',
      next: undefined,
    },
  ])('finds the $case', ({ schedule, after, next }) => {
    expect(nextScheduledRelease(schedule, after)).toBe(next);
  });

  it('rejects a date without dashes', () => {
    expect(() => nextScheduledRelease(LOINC, '20250224')).toThrow(VocabError);
  });
});

describe('releaseDue', () => {
  it.each([
    { case: 'within the grace days', today: '2025-09-15', overdue: false },
    { case: 'after the grace days', today: '2025-09-16', overdue: true },
  ])('judges LOINC $case', ({ today, overdue }) => {
    expect(releaseDue(LOINC, '2025-02-24', today)).toEqual({
      nextExpected: '2025-08-01',
      dueBy: '2025-09-15',
      overdue,
    });
  });

  it('never marks an unscheduled system overdue', () => {
    expect(releaseDue({ every: 'none' }, '2001-01-01', '2030-01-01').overdue).toBe(false);
  });
});
