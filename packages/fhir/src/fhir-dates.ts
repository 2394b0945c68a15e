// FHIR R4 date, dateTime and instant (https://hl7.org/fhir/R4/datatypes.html#primitive).
// A time needs seconds and a time zone; the fraction may be longer than milliseconds.
const DATE_PART = '(\\d{4})(?:-(\\d{2})(?:-(\\d{2}))?)?';
const TIME_PART = 'T(\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d+))?(Z|[+-]\\d{2}:\\d{2})';

const FHIR_DATE = new RegExp(`^${DATE_PART}$`);
const FHIR_DATE_TIME = new RegExp(`^${DATE_PART}(?:${TIME_PART})?$`);
const FHIR_INSTANT = new RegExp(`^(\\d{4})-(\\d{2})-(\\d{2})${TIME_PART}$`);

/**
 * Parses a FHIR `date` to a Date at UTC midnight. A partial date stands for its
 * first day: `2009` becomes 2009-01-01 and `2009-04` becomes 2009-04-01.
 * Returns undefined when the text is not a valid FHIR date.
 */
export function parseFhirDate(text: string): Date | undefined {
  const match = FHIR_DATE.exec(text);
  return match ? toUtcDate(match) : undefined;
}

/**
 * Parses a FHIR `dateTime` to an instant. A date without a time (`YYYY`,
 * `YYYY-MM`, `YYYY-MM-DD`) becomes UTC midnight of its first day, as in
 * `parseFhirDate`. A time is converted from its offset to UTC and truncated to
 * milliseconds. Returns undefined when the text is not a valid FHIR dateTime.
 */
export function parseFhirDateTime(text: string): Date | undefined {
  const match = FHIR_DATE_TIME.exec(text);
  return match ? toUtcDate(match) : undefined;
}

/** Parses a FHIR `instant`, which always has a full date, time and zone. */
export function parseFhirInstant(text: string): Date | undefined {
  const match = FHIR_INSTANT.exec(text);
  return match ? toUtcDate(match) : undefined;
}

/** Formats the UTC year and month of a Date as `YYYY-MM`. */
export function formatUtcMonth(date: Date): string {
  const year = String(date.getUTCFullYear()).padStart(4, '0');
  const month = String(date.getUTCMonth() + 1).padStart(2, '0');
  return `${year}-${month}`;
}

/** Builds the Date from the groups year, month, day, hour, minute, second, fraction, zone; absent ones take their lowest value. */
function toUtcDate(match: RegExpExecArray): Date | undefined {
  const [, yearText, monthText, dayText, hourText, minuteText, secondText, fractionText, zone] =
    match;
  const year = Number(yearText);
  const month = monthText === undefined ? 1 : Number(monthText);
  const day = dayText === undefined ? 1 : Number(dayText);
  const hour = hourText === undefined ? 0 : Number(hourText);
  const minute = minuteText === undefined ? 0 : Number(minuteText);
  // A leap second (60) is allowed by FHIR; Date rolls it into the next minute.
  const second = secondText === undefined ? 0 : Number(secondText);
  const millisecond =
    fractionText === undefined ? 0 : Number(fractionText.slice(0, 3).padEnd(3, '0'));

  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;

  const offsetMinutes = parseZoneOffsetMinutes(zone);
  if (offsetMinutes === undefined) return undefined;

  // Date.UTC reads years 0-99 as 1900-1999, so the year is set separately.
  const date = new Date(Date.UTC(2000, 0, 1, 0, 0, 0, 0));
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, millisecond);
  return date;
}

/** Returns the zone's offset east of UTC in minutes: 0 for none or `Z`, undefined when out of range. */
function parseZoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(4, 6));
  if (minutes > 59 || hours * 60 + minutes > 14 * 60) return undefined;
  return sign * (hours * 60 + minutes);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const isLeapYear = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return isLeapYear ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
