/** The smallest unit an HL7 date/time value states. */
export type Hl7DateTimePrecision =
  'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'fraction';

/**
 * An HL7 DTM value (also the first component of the older TS type) as the sender wrote it.
 * Parts finer than `precision` hold their lowest value. A value without an offset is the
 * sender's local time: `offsetMinutes` is null and nothing turns it into UTC on its own.
 */
export interface Hl7DateTime {
  year: number;
  /** 1 to 12. */
  month: number;
  /** 1 to 31. */
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Digits after the decimal point as written, `''` when there are none. */
  fraction: string;
  /** Minutes east of UTC, so `-0330` is -210; null when the value states no offset. */
  offsetMinutes: number | null;
  precision: Hl7DateTimePrecision;
}

export type Hl7DateTimeResult =
  | { ok: true; value: Hl7DateTime }
  | {
      ok: false;
      /** Explanation of the problem, naming parts but never their values. */
      reason: string;
    };

export interface Hl7DateTimeOptions {
  /**
   * The degree of precision of the older TS type (its second component, HL7 table 0529): `Y`,
   * `L` (month), `D`, `H`, `M` or `S`. It narrows the precision; finer parts are set to their
   * lowest value.
   */
  degreeOfPrecision?: string;
}

const DTM = /^(\d{4,14})(?:\.(\d+))?(?:([+-])(\d{2})(\d{2}))?$/;
const PRECISION_BY_DIGITS: Readonly<Record<number, Hl7DateTimePrecision>> = {
  4: 'year',
  6: 'month',
  8: 'day',
  10: 'hour',
  12: 'minute',
  14: 'second',
};
const PRECISION_ORDER: readonly Hl7DateTimePrecision[] = [
  'year',
  'month',
  'day',
  'hour',
  'minute',
  'second',
  'fraction',
];
const DEGREES_OF_PRECISION: Readonly<Record<string, Hl7DateTimePrecision>> = {
  Y: 'year',
  L: 'month',
  D: 'day',
  H: 'hour',
  M: 'minute',
  S: 'second',
};
const FORMAT = 'YYYY[MM[DD[HH[MM[SS[.S...]]]]]] with an optional +/-ZZZZ offset';

/**
 * Parse an HL7 DTM (`YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]`) at whatever precision it
 * has. More than four fraction digits are accepted. Surrounding white space is ignored.
 */
export function parseHl7DateTime(
  text: string,
  options: Hl7DateTimeOptions = {},
): Hl7DateTimeResult {
  const match = DTM.exec(text.trim());
  if (!match) return invalid(`is not an HL7 date/time: expected ${FORMAT}`);
  const [, digits = '', fraction, sign, offsetHours = '00', offsetMinutes = '00'] = match;

  let precision = PRECISION_BY_DIGITS[digits.length];
  if (precision === undefined) {
    return invalid(
      `has ${digits.length} digits before any fraction or offset; expected 4, 6, 8, 10, 12 or 14`,
    );
  }
  if (fraction !== undefined) {
    if (precision !== 'second') return invalid('has a fraction of a second without seconds');
    precision = 'fraction';
  }

  const part = (start: number, fallback: number): number =>
    digits.length > start ? Number(digits.slice(start, start + 2)) : fallback;
  const value: Hl7DateTime = {
    year: Number(digits.slice(0, 4)),
    month: part(4, 1),
    day: part(6, 1),
    hour: part(8, 0),
    minute: part(10, 0),
    second: part(12, 0),
    fraction: fraction ?? '',
    offsetMinutes:
      sign === undefined
        ? null
        : (sign === '-' ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)),
    precision,
  };

  const rangeProblem = checkRanges(value, Number(offsetHours), Number(offsetMinutes));
  if (rangeProblem !== undefined) return invalid(rangeProblem);
  return applyDegreeOfPrecision(value, options.degreeOfPrecision);
}

/**
 * Convert to a UTC `Date`, to the millisecond. A value without an offset is local to the sender,
 * so it converts only when `assumeOffsetMinutes` gives the offset to take, else to undefined.
 */
export function hl7DateTimeToUtc(
  value: Hl7DateTime,
  options: { assumeOffsetMinutes?: number } = {},
): Date | undefined {
  const offsetMinutes = value.offsetMinutes ?? options.assumeOffsetMinutes;
  if (offsetMinutes === undefined) return undefined;
  const date = new Date(0);
  // `Date.UTC` maps years 0-99 to 1900-1999, so the year is set on its own.
  date.setUTCFullYear(value.year, value.month - 1, value.day);
  date.setUTCHours(value.hour, value.minute, value.second, fractionToMilliseconds(value.fraction));
  return new Date(date.getTime() - offsetMinutes * 60_000);
}

/**
 * Format as ISO 8601 at the value's precision, such as `2012`, `2012-07-01`, `2012-07-01T08:22`
 * or `2021-08-17T15:19:43.4+02:00`. The offset is written when the value has one, whatever the
 * precision; without one the text is a local time.
 */
export function formatHl7DateTime(value: Hl7DateTime): string {
  const rank = PRECISION_ORDER.indexOf(value.precision);
  let text = String(value.year).padStart(4, '0');
  if (rank >= 1) text += `-${pad(value.month)}`;
  if (rank >= 2) text += `-${pad(value.day)}`;
  if (rank >= 3) text += `T${pad(value.hour)}`;
  if (rank >= 4) text += `:${pad(value.minute)}`;
  if (rank >= 5) text += `:${pad(value.second)}`;
  if (rank >= 6) text += `.${value.fraction}`;
  if (value.offsetMinutes !== null) text += formatOffset(value.offsetMinutes);
  return text;
}

function checkRanges(
  value: Hl7DateTime,
  offsetHours: number,
  offsetMinutes: number,
): string | undefined {
  if (value.month < 1 || value.month > 12) return 'has a month outside 01-12';
  if (value.day < 1 || value.day > daysInMonth(value.year, value.month)) {
    return 'has a day that its month does not have';
  }
  if (value.hour > 23) return 'has an hour outside 00-23';
  if (value.minute > 59) return 'has a minute outside 00-59';
  if (value.second > 59) return 'has a second outside 00-59';
  if (offsetHours > 23 || offsetMinutes > 59) return 'has an offset outside -2359 to +2359';
  return undefined;
}

function applyDegreeOfPrecision(
  value: Hl7DateTime,
  degreeOfPrecision: string | undefined,
): Hl7DateTimeResult {
  if (degreeOfPrecision === undefined || degreeOfPrecision.trim() === '') {
    return { ok: true, value };
  }
  const degree = DEGREES_OF_PRECISION[degreeOfPrecision.trim().toUpperCase()];
  if (degree === undefined) {
    return invalid('has a degree of precision that is not Y, L, D, H, M or S');
  }
  const rank = PRECISION_ORDER.indexOf(degree);
  if (rank >= PRECISION_ORDER.indexOf(value.precision)) return { ok: true, value };
  return {
    ok: true,
    value: {
      ...value,
      month: rank >= 1 ? value.month : 1,
      day: rank >= 2 ? value.day : 1,
      hour: rank >= 3 ? value.hour : 0,
      minute: rank >= 4 ? value.minute : 0,
      second: rank >= 5 ? value.second : 0,
      fraction: '',
      precision: degree,
    },
  };
}

function invalid(reason: string): Hl7DateTimeResult {
  return { ok: false, reason };
}

function fractionToMilliseconds(fraction: string): number {
  return fraction === '' ? 0 : Math.floor(Number(`0.${fraction}`) * 1000);
}

function formatOffset(offsetMinutes: number): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const minutes = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0);
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}
