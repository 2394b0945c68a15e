/**
 * Calendar dates as ISO 8601 strings (`YYYY-MM-DD`) and as day numbers (days since 1970-01-01),
 * which the code index compares. Dates have no time zone: a release date is a calendar day.
 */

const DIGIT_0 = 0x30;
const DASH = 0x2d;
const MILLISECONDS_PER_DAY = 86_400_000;

/** Returns whether year, month (1-12) and day form a date of the proleptic Gregorian calendar. */
export function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  return day <= daysInMonth(year, month);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Formats a date as `YYYY-MM-DD`. */
export function formatIsoDate(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Converts `YYYYMMDD` (RF2 effectiveTime, OMOP dates, RxNorm versions) to `YYYY-MM-DD`, or undefined when it is not a date. */
export function compactDateToIso(text: string): string | undefined {
  if (!/^\d{8}$/.test(text)) return undefined;
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  return isCalendarDate(year, month, day) ? formatIsoDate(year, month, day) : undefined;
}

/** Returns the date `days` days after an ISO date. */
export function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/**
 * Returns the day number (days since 1970-01-01) of the date a string starts with: `YYYY-MM-DD`,
 * also at the start of a date-time such as `2024-03-01T10:00:00Z`, or `YYYYMMDD`. Returns
 * undefined when the string is neither or the date does not exist. It reads character codes
 * instead of building a Date, because the code index calls it for every check.
 */
export function dayNumberOfText(text: string): number | undefined {
  let year: number;
  let month: number;
  let day: number;
  if (text.length >= 10 && text.charCodeAt(4) === DASH && text.charCodeAt(7) === DASH) {
    if (text.length > 10 && text.charCodeAt(10) !== 0x54 && text.charCodeAt(10) !== 0x20)
      return undefined;
    year = digitsAt(text, 0, 4);
    month = digitsAt(text, 5, 2);
    day = digitsAt(text, 8, 2);
  } else if (text.length === 8) {
    year = digitsAt(text, 0, 4);
    month = digitsAt(text, 4, 2);
    day = digitsAt(text, 6, 2);
  } else {
    return undefined;
  }
  if (year < 0 || month < 0 || day < 0 || !isCalendarDate(year, month, day)) return undefined;
  return dayNumberOf(year, month, day);
}

/** Returns the day number of a Date's UTC calendar day, or undefined for an invalid Date. */
export function dayNumberOfDate(date: Date): number | undefined {
  const time = date.getTime();
  return Number.isNaN(time) ? undefined : Math.floor(time / MILLISECONDS_PER_DAY);
}

/** Returns the value of `length` decimal digits at `start`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, length: number): number {
  let value = 0;
  for (let index = start; index < start + length; index++) {
    const digit = text.charCodeAt(index) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date, by Howard Hinnant's days_from_civil algorithm. */
export function dayNumberOf(year: number, month: number, day: number): number {
  const shiftedYear = month <= 2 ? year - 1 : year;
  const era = Math.floor(shiftedYear / 400);
  const yearOfEra = shiftedYear - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra =
    yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}
