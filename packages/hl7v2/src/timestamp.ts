/**
 * HL7 DTM, also the first component of the older TS type:
 * `YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`. Parts left out take their lowest value, so
 * `2012` is 1 January 2012 at midnight. More than four fraction digits are accepted and cut to
 * milliseconds.
 */
const DTM =
  /^(\d{4})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:(\d{2})(?:\.(\d+))?)?)?)?)?)?(?:([+-])(\d{2})(\d{2}))?$/;

interface DtmParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
  /** Minutes east of UTC, undefined when the value has no offset. */
  offsetMinutes: number | undefined;
}

/**
 * Parse an HL7 timestamp into a UTC `Date`, applying its offset when it has one. Returns
 * undefined when the text is not a DTM or names an impossible date or time.
 */
export function parseHl7Timestamp(text: string): Date | undefined {
  const parts = readDtm(text);
  if (!parts) return undefined;
  const local = utcDate(
    parts.year,
    parts.month,
    parts.day,
    parts.hour,
    parts.minute,
    parts.second,
    parts.millisecond,
  );
  // NOTE: a value without an offset is read as UTC; the sender's local zone is not known here.
  return new Date(local.getTime() - (parts.offsetMinutes ?? 0) * 60_000);
}

/**
 * Parse the date part of an HL7 date or timestamp into a `Date` at UTC midnight. The calendar
 * date is kept as written: a birth date sent with a time and offset does not move to another day.
 */
export function parseHl7Date(text: string): Date | undefined {
  const parts = readDtm(text);
  return parts && utcDate(parts.year, parts.month, parts.day, 0, 0, 0, 0);
}

function readDtm(text: string): DtmParts | undefined {
  const match = DTM.exec(text.trim());
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction, sign, offsetHours, offsetMinutes] =
    match;
  const parts: DtmParts = {
    year: Number(year),
    month: month === undefined ? 1 : Number(month),
    day: day === undefined ? 1 : Number(day),
    hour: Number(hour ?? 0),
    minute: Number(minute ?? 0),
    second: Number(second ?? 0),
    millisecond: fraction === undefined ? 0 : Math.floor(Number(`0.${fraction}`) * 1000),
    offsetMinutes:
      sign === undefined
        ? undefined
        : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)),
  };
  return isValid(parts, Number(offsetHours ?? 0), Number(offsetMinutes ?? 0)) ? parts : undefined;
}

function isValid(parts: DtmParts, offsetHours: number, offsetMinutes: number): boolean {
  return (
    parts.month >= 1 &&
    parts.month <= 12 &&
    parts.day >= 1 &&
    parts.day <= daysInMonth(parts.year, parts.month) &&
    parts.hour <= 23 &&
    parts.minute <= 59 &&
    parts.second <= 59 &&
    offsetHours <= 23 &&
    offsetMinutes <= 59
  );
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** `Date.UTC` maps years 0-99 to 1900-1999, so the year is set on its own. */
function utcDate(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  millisecond: number,
): Date {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millisecond);
  return date;
}
