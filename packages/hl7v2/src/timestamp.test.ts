// Real: the HL7 DTM parser over inline values.
// Faked: nothing.
import { parseHl7Date, parseHl7Timestamp } from './timestamp';

describe('parseHl7Timestamp', () => {
  it.each([
    { case: 'year only', text: '2012', expected: '2012-01-01T00:00:00.000Z' },
    { case: 'date', text: '20120701', expected: '2012-07-01T00:00:00.000Z' },
    { case: 'minutes', text: '201207010822', expected: '2012-07-01T08:22:00.000Z' },
    { case: 'negative offset', text: '20060529090131-0500', expected: '2006-05-29T14:01:31.000Z' },
    {
      case: 'positive offset across midnight',
      text: '198908180126+0215',
      expected: '1989-08-17T23:11:00.000Z',
    },
    {
      case: 'fraction of a second',
      text: '20210817151943.4+0200',
      expected: '2021-08-17T13:19:43.400Z',
    },
    {
      case: 'four fraction digits',
      text: '20210817151943.1234',
      expected: '2021-08-17T15:19:43.123Z',
    },
    { case: 'leap day', text: '20240229', expected: '2024-02-29T00:00:00.000Z' },
    { case: 'year before 100', text: '00500101', expected: '0050-01-01T00:00:00.000Z' },
  ])('$case', ({ text, expected }) => {
    expect(parseHl7Timestamp(text)?.toISOString()).toBe(expected);
  });

  it.each([
    { case: 'month 13', text: '20121301' },
    { case: 'day 52', text: '19620352' },
    { case: 'odd digit count', text: '196203520' },
    { case: 'no leap day', text: '20230229' },
    { case: 'hour 24', text: '2012070124' },
    { case: 'minute 60', text: '201207010860' },
    { case: 'masked', text: '*******************' },
    { case: 'ISO format', text: '2012-07-01' },
    { case: 'bad offset minutes', text: '20120701+0570' },
  ])('rejects $case', ({ text }) => {
    expect(parseHl7Timestamp(text)).toBeUndefined();
  });
});

describe('parseHl7Date', () => {
  it('keeps the calendar date of a timestamp with an offset', () => {
    expect(parseHl7Date('198808181126+0215')?.toISOString()).toBe('1988-08-18T00:00:00.000Z');
    expect(parseHl7Date('19241010')?.toISOString()).toBe('1924-10-10T00:00:00.000Z');
  });

  it('rejects an impossible date', () => {
    expect(parseHl7Date('20121301')).toBeUndefined();
  });
});
