// Real: the FHIR date parsers on literal values; nothing is faked.
import { formatUtcMonth, parseFhirDate, parseFhirDateTime, parseFhirInstant } from './fhir-dates';

describe('parseFhirDate', () => {
  it.each([
    { case: 'full date', text: '2009-04-29', expected: '2009-04-29T00:00:00.000Z' },
    { case: 'year and month', text: '2009-04', expected: '2009-04-01T00:00:00.000Z' },
    { case: 'year only', text: '2009', expected: '2009-01-01T00:00:00.000Z' },
    { case: 'leap day', text: '2024-02-29', expected: '2024-02-29T00:00:00.000Z' },
    { case: 'two-digit year', text: '0045-06-01', expected: '0045-06-01T00:00:00.000Z' },
  ])('parses a $case to UTC midnight', ({ text, expected }) => {
    expect(parseFhirDate(text)?.toISOString()).toBe(expected);
  });

  it.each([
    { case: 'day 31 of April', text: '2009-04-31' },
    { case: 'February 29 of a common year', text: '2023-02-29' },
    { case: 'month 13', text: '2009-13' },
    { case: 'year 0000', text: '0000' },
    { case: 'date with time', text: '2009-04-29T10:00:00Z' },
    { case: 'US order', text: '04/29/2009' },
    { case: 'compact form', text: '20090429' },
  ])('rejects a $case', ({ text }) => {
    expect(parseFhirDate(text)).toBeUndefined();
  });
});

describe('parseFhirDateTime', () => {
  it.each([
    {
      case: 'negative offset',
      text: '2020-03-06T20:20:23-08:00',
      expected: '2020-03-07T04:20:23.000Z',
    },
    {
      case: 'positive offset',
      text: '2020-03-07T01:00:00+05:30',
      expected: '2020-03-06T19:30:00.000Z',
    },
    { case: 'Z', text: '2020-03-06T20:20:23Z', expected: '2020-03-06T20:20:23.000Z' },
    {
      case: 'fraction beyond milliseconds',
      text: '2020-03-06T20:20:23.1759Z',
      expected: '2020-03-06T20:20:23.175Z',
    },
    {
      case: 'short fraction',
      text: '2020-03-06T20:20:23.5Z',
      expected: '2020-03-06T20:20:23.500Z',
    },
    { case: 'date only', text: '2020-03-06', expected: '2020-03-06T00:00:00.000Z' },
    { case: 'year only', text: '2020', expected: '2020-01-01T00:00:00.000Z' },
  ])('parses $case', ({ text, expected }) => {
    expect(parseFhirDateTime(text)?.toISOString()).toBe(expected);
  });

  it.each([
    { case: 'time without zone', text: '2020-03-06T20:20:23' },
    { case: 'time without seconds', text: '2020-03-06T20:20Z' },
    { case: 'hour 24', text: '2020-03-06T24:00:00Z' },
    { case: 'offset beyond 14 hours', text: '2020-03-06T20:20:23+15:00' },
    { case: 'space separator', text: '2020-03-06 20:20:23Z' },
  ])('rejects $case', ({ text }) => {
    expect(parseFhirDateTime(text)).toBeUndefined();
  });
});

describe('parseFhirInstant', () => {
  it('parses a full instant', () => {
    expect(parseFhirInstant('2020-03-06T20:20:23.175-08:00')?.toISOString()).toBe(
      '2020-03-07T04:20:23.175Z',
    );
  });

  it.each([
    { case: 'date only', text: '2020-03-06' },
    { case: 'year only', text: '2020' },
  ])('rejects $case', ({ text }) => {
    expect(parseFhirInstant(text)).toBeUndefined();
  });
});

describe('formatUtcMonth', () => {
  it('formats the UTC month', () => {
    expect(formatUtcMonth(new Date('2020-03-31T23:30:00-08:00'))).toBe('2020-04');
  });
});
