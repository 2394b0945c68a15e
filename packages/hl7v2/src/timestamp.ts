import { hl7DateTimeToUtc, parseHl7DateTime } from './date-time';

/**
 * Parse an HL7 timestamp into a UTC `Date`, applying its offset when it has one. Parts left out
 * take their lowest value, so `2012` is 1 January 2012 at midnight, and fraction digits past
 * the millisecond are cut. Returns undefined when the text is not a DTM or names an impossible
 * date or time. `parseHl7DateTime` keeps the precision and the missing offset instead.
 */
export function parseHl7Timestamp(text: string): Date | undefined {
  const parsed = parseHl7DateTime(text);
  if (!parsed.ok) return undefined;
  // NOTE: a value without an offset is read as UTC, because a Date cannot be "local to the
  // sender". Callers that must not assume UTC use parseHl7DateTime.
  return hl7DateTimeToUtc(parsed.value, { assumeOffsetMinutes: 0 });
}

/**
 * Parse the date part of an HL7 date or timestamp into a `Date` at UTC midnight. The calendar
 * date is kept as written: a birth date sent with a time and offset does not move to another day.
 */
export function parseHl7Date(text: string): Date | undefined {
  const parsed = parseHl7DateTime(text);
  if (!parsed.ok) return undefined;
  const { year, month, day } = parsed.value;
  return hl7DateTimeToUtc(
    {
      year,
      month,
      day,
      hour: 0,
      minute: 0,
      second: 0,
      fraction: '',
      offsetMinutes: 0,
      precision: 'day',
    },
    {},
  );
}
