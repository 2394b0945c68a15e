// Real: the structured HL7 DTM parser and its helpers over inline values.
// Faked: nothing.
import {
  formatHl7DateTime,
  hl7DateTimeToUtc,
  parseHl7DateTime,
  type Hl7DateTime,
} from './date-time';

function parsed(text: string, degreeOfPrecision?: string): Hl7DateTime {
  const result = parseHl7DateTime(text, { degreeOfPrecision });
  if (!result.ok) throw new Error(`expected ${text} to parse: ${result.reason}`);
  return result.value;
}

describe('parseHl7DateTime', () => {
  it.each([
    {
      case: 'year',
      text: '2012',
      expected: {
        year: 2012,
        month: 1,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'year',
      },
    },
    {
      case: 'month',
      text: '201207',
      expected: {
        year: 2012,
        month: 7,
        day: 1,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'month',
      },
    },
    {
      case: 'day',
      text: '20120731',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'day',
      },
    },
    {
      case: 'hour',
      text: '2012073108',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'hour',
      },
    },
    {
      case: 'minute',
      text: '201207310822',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 22,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'minute',
      },
    },
    {
      case: 'second',
      text: '20120731082259',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 22,
        second: 59,
        fraction: '',
        offsetMinutes: null,
        precision: 'second',
      },
    },
    {
      case: 'fraction kept as written',
      text: '20120731082259.0400',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 22,
        second: 59,
        fraction: '0400',
        offsetMinutes: null,
        precision: 'fraction',
      },
    },
    {
      case: 'minus three and a half hours',
      text: '20120731082259-0330',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 22,
        second: 59,
        fraction: '',
        offsetMinutes: -210,
        precision: 'second',
      },
    },
    {
      case: 'positive offset on a date',
      text: '20120731+0545',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 0,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: 345,
        precision: 'day',
      },
    },
    {
      case: 'zero offset is not missing',
      text: '201207310822+0000',
      expected: {
        year: 2012,
        month: 7,
        day: 31,
        hour: 8,
        minute: 22,
        second: 0,
        fraction: '',
        offsetMinutes: 0,
        precision: 'minute',
      },
    },
    {
      case: 'white space around',
      text: ' 2024022912 ',
      expected: {
        year: 2024,
        month: 2,
        day: 29,
        hour: 12,
        minute: 0,
        second: 0,
        fraction: '',
        offsetMinutes: null,
        precision: 'hour',
      },
    },
  ])('$case', ({ text, expected }) => {
    expect(parseHl7DateTime(text)).toEqual({ ok: true, value: expected });
  });

  it.each([
    {
      case: 'degree D cuts a minute value to the day',
      text: '200202150930',
      degree: 'D',
      precision: 'day',
      hour: 0,
      day: 15,
    },
    {
      case: 'degree L cuts to the month',
      text: '20020215',
      degree: 'L',
      precision: 'month',
      hour: 0,
      day: 1,
    },
    {
      case: 'degree H keeps the hour',
      text: '200202150930',
      degree: 'H',
      precision: 'hour',
      hour: 9,
      day: 15,
    },
    {
      case: 'finer degree changes nothing',
      text: '20020215',
      degree: 'S',
      precision: 'day',
      hour: 0,
      day: 15,
    },
    {
      case: 'lower-case degree',
      text: '200202150930',
      degree: 'm',
      precision: 'minute',
      hour: 9,
      day: 15,
    },
    {
      case: 'empty degree',
      text: '200202150930',
      degree: '',
      precision: 'minute',
      hour: 9,
      day: 15,
    },
  ])('applies the TS degree of precision: $case', ({ text, degree, precision, hour, day }) => {
    const value = parsed(text, degree);

    expect(value.precision).toBe(precision);
    expect(value.hour).toBe(hour);
    expect(value.day).toBe(day);
    expect(value.minute).toBe(precision === 'minute' ? 30 : 0);
  });

  it.each([
    {
      case: 'nine digits',
      text: '196203520',
      reason: 'has 9 digits before any fraction or offset; expected 4, 6, 8, 10, 12 or 14',
    },
    { case: 'month 13', text: '20121301', reason: 'has a month outside 01-12' },
    { case: 'day 52', text: '19620352', reason: 'has a day that its month does not have' },
    { case: 'no leap day', text: '20230229', reason: 'has a day that its month does not have' },
    { case: 'hour 24', text: '2012070124', reason: 'has an hour outside 00-23' },
    { case: 'minute 60', text: '201207010860', reason: 'has a minute outside 00-59' },
    { case: 'second 60', text: '20120701085960', reason: 'has a second outside 00-59' },
    {
      case: 'offset minutes 70',
      text: '20120701+0570',
      reason: 'has an offset outside -2359 to +2359',
    },
    {
      case: 'fraction without seconds',
      text: '201207010859.5',
      reason: 'has a fraction of a second without seconds',
    },
    {
      case: 'ISO format',
      text: '2012-07-01',
      reason:
        'is not an HL7 date/time: expected YYYY[MM[DD[HH[MM[SS[.S...]]]]]] with an optional +/-ZZZZ offset',
    },
    {
      case: 'masked value',
      text: '********',
      reason:
        'is not an HL7 date/time: expected YYYY[MM[DD[HH[MM[SS[.S...]]]]]] with an optional +/-ZZZZ offset',
    },
    {
      case: 'empty',
      text: '',
      reason:
        'is not an HL7 date/time: expected YYYY[MM[DD[HH[MM[SS[.S...]]]]]] with an optional +/-ZZZZ offset',
    },
  ])('rejects $case with a reason and no value', ({ text, reason }) => {
    expect(parseHl7DateTime(text)).toEqual({ ok: false, reason });
  });

  it('rejects an unknown degree of precision', () => {
    expect(parseHl7DateTime('20020215', { degreeOfPrecision: 'Q' })).toEqual({
      ok: false,
      reason: 'has a degree of precision that is not Y, L, D, H, M or S',
    });
  });
});

describe('hl7DateTimeToUtc', () => {
  it.each([
    {
      case: 'negative half-hour offset',
      text: '20120731082259-0330',
      expected: '2012-07-31T11:52:59.000Z',
    },
    {
      case: 'positive offset across midnight',
      text: '198908180126+0215',
      expected: '1989-08-17T23:11:00.000Z',
    },
    {
      case: 'fraction to the millisecond',
      text: '20210817151943.4567+0200',
      expected: '2021-08-17T13:19:43.456Z',
    },
    { case: 'year before 100', text: '00500101+0000', expected: '0050-01-01T00:00:00.000Z' },
  ])('converts $case', ({ text, expected }) => {
    expect(hl7DateTimeToUtc(parsed(text))?.toISOString()).toBe(expected);
  });

  it('leaves a local time unconverted unless an offset is assumed', () => {
    const local = parsed('20120731082259');

    expect(hl7DateTimeToUtc(local)).toBeUndefined();
    expect(hl7DateTimeToUtc(local, { assumeOffsetMinutes: -300 })?.toISOString()).toBe(
      '2012-07-31T13:22:59.000Z',
    );
    expect(
      hl7DateTimeToUtc(parsed('20120731082259+0100'), { assumeOffsetMinutes: -300 })?.toISOString(),
    ).toBe('2012-07-31T07:22:59.000Z');
  });
});

describe('formatHl7DateTime', () => {
  it.each([
    { case: 'year', text: '2012', expected: '2012' },
    { case: 'month', text: '201207', expected: '2012-07' },
    { case: 'day with offset', text: '20120731-0500', expected: '2012-07-31-05:00' },
    { case: 'hour', text: '2012073108', expected: '2012-07-31T08' },
    { case: 'minute local', text: '201207310822', expected: '2012-07-31T08:22' },
    {
      case: 'second with half-hour offset',
      text: '20120731082259-0330',
      expected: '2012-07-31T08:22:59-03:30',
    },
    {
      case: 'fraction with zero offset',
      text: '20120731082259.40+0000',
      expected: '2012-07-31T08:22:59.40+00:00',
    },
    { case: 'degree of precision', text: '200202150930^D', expected: '2002-02-15' },
  ])('$case', ({ text, expected }) => {
    const [dateTime = '', degree] = text.split('^');
    expect(formatHl7DateTime(parsed(dateTime, degree))).toBe(expected);
  });
});
