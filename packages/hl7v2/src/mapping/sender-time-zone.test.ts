// Real: the HL7 DTM parser and the ICU time zone data of Node.js's Intl. Faked: nothing.
import { ConfigError } from '@carelake/core';
import { parseHl7DateTime, type Hl7DateTime } from '../date-time';
import { isIanaTimeZone, SenderTimeZone } from './sender-time-zone';

function dtm(text: string): Hl7DateTime {
  const parsed = parseHl7DateTime(text);
  if (!parsed.ok) throw new Error(`test value ${text} is not a DTM: ${parsed.reason}`);
  return parsed.value;
}

function utcIn(zone: string, text: string): string {
  return new SenderTimeZone(zone).toUtc(dtm(text)).toISOString();
}

describe('SenderTimeZone.toUtc', () => {
  it.each([
    {
      case: 'Chicago in winter',
      zone: 'America/Chicago',
      text: '20260115083000',
      utc: '2026-01-15T14:30:00.000Z',
    },
    {
      case: 'Chicago in summer',
      zone: 'America/Chicago',
      text: '20260715083000',
      utc: '2026-07-15T13:30:00.000Z',
    },
    {
      case: 'Amsterdam in winter',
      zone: 'Europe/Amsterdam',
      text: '20260115083000',
      utc: '2026-01-15T07:30:00.000Z',
    },
    {
      case: 'Amsterdam in summer',
      zone: 'Europe/Amsterdam',
      text: '20260715083000',
      utc: '2026-07-15T06:30:00.000Z',
    },
    {
      case: 'Kolkata, half an hour off',
      zone: 'Asia/Kolkata',
      text: '20260115083000',
      utc: '2026-01-15T03:00:00.000Z',
    },
    {
      case: 'Kathmandu, 45 minutes off',
      zone: 'Asia/Kathmandu',
      text: '20260115083000',
      utc: '2026-01-15T02:45:00.000Z',
    },
    { case: 'UTC', zone: 'UTC', text: '20260115083000', utc: '2026-01-15T08:30:00.000Z' },
    {
      case: 'a link name',
      zone: 'US/Eastern',
      text: '20260115083000',
      utc: '2026-01-15T13:30:00.000Z',
    },
    {
      case: 'a local time on the previous UTC day',
      zone: 'Pacific/Auckland',
      text: '20260115083000',
      utc: '2026-01-14T19:30:00.000Z',
    },
    {
      case: 'fraction digits to the millisecond',
      zone: 'America/Chicago',
      text: '20260115083000.12345',
      utc: '2026-01-15T14:30:00.123Z',
    },
    { case: 'a year before 100', zone: 'UTC', text: '00990601', utc: '0099-06-01T00:00:00.000Z' },
    {
      case: 'local mean time before 1883',
      zone: 'America/New_York',
      text: '18000101',
      utc: '1800-01-01T04:56:02.000Z',
    },
  ])('converts $case', ({ zone, text, utc }) => {
    expect(utcIn(zone, text)).toBe(utc);
  });

  it('keeps the precision of a value with only an hour', () => {
    const value = dtm('2026070112');

    expect(new SenderTimeZone('Europe/Amsterdam').toUtc(value).toISOString()).toBe(
      '2026-07-01T10:00:00.000Z',
    );
    expect(value.precision).toBe('hour');
    expect(value.offsetMinutes).toBeNull();
  });

  it.each([
    { case: 'positive offset', text: '20260701120000+0530', utc: '2026-07-01T06:30:00.000Z' },
    { case: 'negative offset', text: '20260701120000-0330', utc: '2026-07-01T15:30:00.000Z' },
    { case: 'zero offset', text: '20260701120000+0000', utc: '2026-07-01T12:00:00.000Z' },
  ])('keeps an explicit $case whatever the zone', ({ text, utc }) => {
    expect(utcIn('America/Chicago', text)).toBe(utc);
    expect(utcIn('Asia/Kolkata', text)).toBe(utc);
  });
});

describe('SenderTimeZone transitions', () => {
  it.each([
    // America/New_York skips 02:00-02:59 on 2026-03-08: the offset before the gap, EST, applies.
    {
      case: 'New York gap start',
      zone: 'America/New_York',
      text: '202603080200',
      utc: '2026-03-08T07:00:00.000Z',
    },
    {
      case: 'New York gap middle',
      zone: 'America/New_York',
      text: '202603080230',
      utc: '2026-03-08T07:30:00.000Z',
    },
    {
      case: 'New York before the gap',
      zone: 'America/New_York',
      text: '202603080159',
      utc: '2026-03-08T06:59:00.000Z',
    },
    {
      case: 'New York after the gap',
      zone: 'America/New_York',
      text: '202603080300',
      utc: '2026-03-08T07:00:00.000Z',
    },
    // 01:00-01:59 on 2026-11-01 happens twice: the earlier instant, in EDT, applies.
    {
      case: 'New York overlap start',
      zone: 'America/New_York',
      text: '202611010100',
      utc: '2026-11-01T05:00:00.000Z',
    },
    {
      case: 'New York overlap middle',
      zone: 'America/New_York',
      text: '202611010130',
      utc: '2026-11-01T05:30:00.000Z',
    },
    {
      case: 'New York before the overlap',
      zone: 'America/New_York',
      text: '202611010059',
      utc: '2026-11-01T04:59:00.000Z',
    },
    {
      case: 'New York after the overlap',
      zone: 'America/New_York',
      text: '202611010200',
      utc: '2026-11-01T07:00:00.000Z',
    },
    {
      case: 'Amsterdam gap',
      zone: 'Europe/Amsterdam',
      text: '202603290230',
      utc: '2026-03-29T01:30:00.000Z',
    },
    {
      case: 'Amsterdam overlap',
      zone: 'Europe/Amsterdam',
      text: '202610250230',
      utc: '2026-10-25T00:30:00.000Z',
    },
    // Lord Howe Island moves its clocks by half an hour, at 02:00 local time.
    {
      case: 'Lord Howe half-hour gap',
      zone: 'Australia/Lord_Howe',
      text: '202610040215',
      utc: '2026-10-03T15:45:00.000Z',
    },
    {
      case: 'Lord Howe half-hour overlap',
      zone: 'Australia/Lord_Howe',
      text: '202604050145',
      utc: '2026-04-04T14:45:00.000Z',
    },
  ])('resolves $case', ({ zone, text, utc }) => {
    expect(utcIn(zone, text)).toBe(utc);
  });

  it.each([
    {
      case: 'America/New_York',
      zone: 'America/New_York',
      gap: ['2026-03-08T02:00', '2026-03-08T02:30'],
    },
    { case: 'Australia/Lord_Howe', zone: 'Australia/Lord_Howe', gap: ['2026-10-04T02:00'] },
    { case: 'Asia/Kolkata', zone: 'Asia/Kolkata', gap: [] },
  ])('maps each half hour of 2026 in $case back to itself, except the gap', ({ zone, gap }) => {
    const senderTimeZone = new SenderTimeZone(zone);
    const format = new Intl.DateTimeFormat('sv-SE', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    const notMappedBack: string[] = [];
    for (let local = Date.UTC(2026, 0, 1); local < Date.UTC(2027, 0, 1); local += 30 * 60_000) {
      const text = new Date(local).toISOString().slice(0, 16);
      const value = dtm(text.replace(/[-T:]/g, ''));
      const backInZone = format.format(senderTimeZone.toUtc(value)).replace(' ', 'T');
      if (backInZone !== text) notMappedBack.push(text);
    }

    expect(notMappedBack).toEqual(gap);
  });
});

describe('SenderTimeZone names', () => {
  it.each([
    { case: 'an unknown name', name: 'Mars/Olympus' },
    { case: 'an offset', name: '+05:30' },
    { case: 'an empty name', name: '' },
  ])('rejects $case with the key path', ({ name }) => {
    let caught: unknown;
    try {
      new SenderTimeZone(name);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).issues).toEqual([
      {
        keyPath: 'senderTimeZone',
        message: expect.stringContaining(`${JSON.stringify(name)} is not an IANA time zone name`),
      },
    ]);
  });

  it.each([
    { case: 'a canonical name', name: 'Europe/Amsterdam', canonical: 'Europe/Amsterdam' },
    { case: 'a link', name: 'US/Eastern', canonical: 'America/New_York' },
    { case: 'lower case', name: 'america/chicago', canonical: 'America/Chicago' },
  ])('names $case canonically', ({ name, canonical }) => {
    expect(new SenderTimeZone(name).name).toBe(canonical);
  });

  it.each([
    { case: 'a zone', name: 'Asia/Kolkata', expected: true },
    { case: 'UTC', name: 'UTC', expected: true },
    { case: 'an unknown zone', name: 'Mars/Olympus', expected: false },
    { case: 'an offset', name: '-0500', expected: false },
  ])('isIanaTimeZone on $case', ({ name, expected }) => {
    expect(isIanaTimeZone(name)).toBe(expected);
  });
});
