// Real: the calendar helpers compared with Date.UTC over generated dates. Faked: nothing.
import fc from 'fast-check';
import { addDays, compactDateToIso, dayNumberOf, dayNumberOfText } from './calendar-dates';

const MILLISECONDS_PER_DAY = 86_400_000;

describe('calendar dates', () => {
  it('counts days as Date.UTC does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00Z'),
          max: new Date('9999-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const [year, month, day] = [
            date.getUTCFullYear(),
            date.getUTCMonth() + 1,
            date.getUTCDate(),
          ];
          const expected = Math.floor(date.getTime() / MILLISECONDS_PER_DAY);
          expect(dayNumberOf(year, month, day)).toBe(expected);

          const iso = date.toISOString().slice(0, 10);
          expect(dayNumberOfText(iso)).toBe(expected);
          expect(dayNumberOfText(iso.replace(/-/g, ''))).toBe(expected);
          expect(addDays(iso, 1)).toBe(
            new Date(date.getTime() + MILLISECONDS_PER_DAY).toISOString().slice(0, 10),
          );
        },
      ),
      { seed: 20250306, numRuns: 500 },
    );
  });

  it.each([
    { case: 'a leap day', text: '20240229', expected: '2024-02-29' },
    { case: 'a non-leap century', text: '19000229', expected: undefined },
    { case: 'month 13', text: '20251301', expected: undefined },
    { case: 'a dashed date', text: '2025-01-01', expected: undefined },
    { case: 'seven digits', text: '2025011', expected: undefined },
  ])('converts $case', ({ text, expected }) => {
    expect(compactDateToIso(text)).toBe(expected);
  });

  it.each([
    { case: 'a date-time with T', text: '2024-03-01T10:00:00Z', expected: 19783 },
    { case: 'a date-time with a space', text: '2024-03-01 10:00', expected: 19783 },
    { case: 'a date followed by text', text: '2024-03-01x', expected: undefined },
    { case: 'a day 31 in April', text: '2024-04-31', expected: undefined },
    { case: 'a sign in the year', text: '+024-03-01', expected: undefined },
  ])('reads $case', ({ text, expected }) => {
    expect(dayNumberOfText(text)).toBe(expected);
  });
});
