// Real: the format checker and compiled parsers on literal values; nothing is faked.
import { checkDateTimeFormat, compileDateTimeFormat } from './date-time-format';

describe('compileDateTimeFormat', () => {
  it.each([
    { case: 'ISO date', format: 'YYYY-MM-DD', text: '1987-03-09', iso: '1987-03-09T00:00:00.000Z' },
    { case: 'US date', format: 'MM/DD/YYYY', text: '03/09/1987', iso: '1987-03-09T00:00:00.000Z' },
    { case: 'compact date', format: 'YYYYMMDD', text: '19870309', iso: '1987-03-09T00:00:00.000Z' },
    { case: 'leap day', format: 'YYYY-MM-DD', text: '2024-02-29', iso: '2024-02-29T00:00:00.000Z' },
    { case: 'year below 100', format: 'YYYY-MM-DD', text: '0045-06-01', iso: '0045-06-01T00:00:00.000Z' },
  ])('reads a date: $case', ({ format, text, iso }) => {
    const result = compileDateTimeFormat(format, 'date').parse(text);

    expect(result).toEqual({ ok: true, value: new Date(iso) });
  });

  it.each([
    { case: 'no offset is UTC', format: 'YYYY-MM-DDTHH:mm:ss', text: '2024-05-01T13:45:10', iso: '2024-05-01T13:45:10.000Z' },
    { case: 'optional Z', format: 'YYYY-MM-DDTHH:mm:ss', text: '2024-05-01T13:45:10Z', iso: '2024-05-01T13:45:10.000Z' },
    { case: 'optional offset', format: 'YYYY-MM-DDTHH:mm:ss', text: '2024-05-01T08:45:10-05:00', iso: '2024-05-01T13:45:10.000Z' },
    { case: 'offset without colon', format: 'YYYY-MM-DDTHH:mm:ssZ', text: '2024-05-01T15:45:10+0200', iso: '2024-05-01T13:45:10.000Z' },
    { case: 'fraction cut to ms', format: 'YYYY-MM-DD HH:mm:ss.SSS', text: '2024-05-01 13:45:10.123987', iso: '2024-05-01T13:45:10.123Z' },
    { case: 'short fraction', format: 'YYYY-MM-DD HH:mm:ss.SSS', text: '2024-05-01 13:45:10.5', iso: '2024-05-01T13:45:10.500Z' },
    { case: 'no seconds', format: 'MM/DD/YYYY HH:mm', text: '05/01/2024 23:59', iso: '2024-05-01T23:59:00.000Z' },
    { case: 'offset crosses midnight', format: 'YYYYMMDDHHmmss', text: '20240101003000+01', iso: '2023-12-31T23:30:00.000Z' },
  ])('reads a timestamp: $case', ({ format, text, iso }) => {
    const result = compileDateTimeFormat(format, 'timestamp').parse(text);

    expect(result).toEqual({ ok: true, value: new Date(iso) });
  });

  it.each([
    { case: 'wrong separator', kind: 'date', format: 'YYYY-MM-DD', text: '1987/03/09', reason: 'does not match the date format YYYY-MM-DD' },
    { case: 'day 30 of February', kind: 'date', format: 'MM/DD/YYYY', text: '02/30/2024', reason: 'is not a calendar date when read as MM/DD/YYYY' },
    { case: 'not a leap year', kind: 'date', format: 'YYYY-MM-DD', text: '2023-02-29', reason: 'is not a calendar date when read as YYYY-MM-DD' },
    { case: 'month 13', kind: 'date', format: 'YYYY-MM-DD', text: '2024-13-01', reason: 'is not a calendar date when read as YYYY-MM-DD' },
    { case: 'year 0', kind: 'date', format: 'YYYY-MM-DD', text: '0000-01-01', reason: 'is not a calendar date when read as YYYY-MM-DD' },
    { case: 'trailing text', kind: 'date', format: 'YYYY-MM-DD', text: '2024-01-01x', reason: 'does not match the date format YYYY-MM-DD' },
    { case: 'hour 24', kind: 'timestamp', format: 'YYYY-MM-DDTHH:mm:ss', text: '2024-01-01T24:00:00', reason: 'has an hour, minute or second out of range for the format YYYY-MM-DDTHH:mm:ss' },
    { case: 'required offset missing', kind: 'timestamp', format: 'YYYY-MM-DDTHH:mm:ssZ', text: '2024-01-01T10:00:00', reason: 'does not match the timestamp format YYYY-MM-DDTHH:mm:ssZ' },
    { case: 'offset out of range', kind: 'timestamp', format: 'YYYY-MM-DDTHH:mm:ssZ', text: '2024-01-01T10:00:00+24:00', reason: 'has a UTC offset beyond 23:59' },
  ] as const)('rejects a value: $case', ({ kind, format, text, reason }) => {
    const result = compileDateTimeFormat(format, kind).parse(text);

    expect(result).toEqual({ ok: false, reason });
  });
});

describe('checkDateTimeFormat', () => {
  it.each([
    { case: 'lower-case year', kind: 'date', format: 'yyyy-MM-dd', problem: 'contains "y" at position 1, which is not a token; the tokens are YYYY, MM, DD, HH, mm, ss, SSS and Z, and case matters' },
    { case: 'missing day', kind: 'date', format: 'YYYY-MM', problem: 'needs DD; the tokens are YYYY, MM, DD, HH, mm, ss, SSS and Z' },
    { case: 'two-digit year', kind: 'date', format: 'MM/DD/YY', problem: 'has a year shorter than YYYY, which is not supported because its century would be a guess' },
    { case: 'time in a date', kind: 'date', format: 'YYYY-MM-DD HH:mm', problem: 'contains HH, which a date column cannot hold; declare the column as timestamp' },
    { case: 'token twice', kind: 'date', format: 'YYYY-MM-DD-DD', problem: 'contains DD twice' },
    { case: 'timestamp without minutes', kind: 'timestamp', format: 'YYYY-MM-DD HH', problem: 'needs HH and mm in a timestamp format' },
    { case: 'fraction without seconds', kind: 'timestamp', format: 'YYYY-MM-DD HH:mm.SSS', problem: 'has SSS without ss' },
    { case: 'AM/PM marker', kind: 'timestamp', format: 'MM/DD/YYYY HH:mm A', problem: 'contains "A" at position 18, which is not a token; the tokens are YYYY, MM, DD, HH, mm, ss, SSS and Z, and case matters' },
    { case: 'empty', kind: 'date', format: '', problem: 'is empty' },
  ] as const)('rejects a format: $case', ({ kind, format, problem }) => {
    expect(checkDateTimeFormat(format, kind)).toBe(problem);
  });

  it.each([
    { case: 'date', kind: 'date', format: 'DD.MM.YYYY' },
    { case: 'timestamp with T and Z', kind: 'timestamp', format: 'YYYY-MM-DDTHH:mm:ss.SSSZ' },
  ] as const)('accepts a format: $case', ({ kind, format }) => {
    expect(checkDateTimeFormat(format, kind)).toBeUndefined();
  });

  it('refuses to compile a format the check rejects', () => {
    expect(() => compileDateTimeFormat('YYYY-MM', 'date')).toThrow('invalid date format "YYYY-MM": needs DD');
  });
});
