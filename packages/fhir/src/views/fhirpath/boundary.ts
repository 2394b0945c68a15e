import { daysInMonth } from './temporal';

/**
 * The FHIRPath boundary functions (`lowBoundary`, `highBoundary`): the least or greatest
 * value that a value of limited precision may stand for. Date and time results are
 * FHIR text. A dateTime without a time zone takes the widest offsets, +14:00 for the
 * low boundary and -12:00 for the high one, as the SQL-on-FHIR conformance suite expects.
 */
export type BoundaryKind = 'low' | 'high';

const DECIMAL_DEFAULT_DIGITS = 8;
const DECIMAL_MAX_DIGITS = 28;
const DATE_PRECISIONS = [4, 6, 8];
const DATE_TIME_PRECISIONS = [4, 6, 8, 10, 12, 14, 17];
const TIME_PRECISIONS = [2, 4, 6, 9];

/** Count the decimal places of a number as JavaScript prints it (`1.25` has 2, `1e-7` has 7). */
export function decimalPlaces(value: number): number {
  const text = String(value);
  const exponentAt = text.indexOf('e');
  const mantissa = exponentAt < 0 ? text : text.slice(0, exponentAt);
  const exponent = exponentAt < 0 ? 0 : Number(text.slice(exponentAt + 1));
  const point = mantissa.indexOf('.');
  const fractionDigits = point < 0 ? 0 : mantissa.length - point - 1;
  return Math.max(0, fractionDigits - exponent);
}

/**
 * Return the boundary of a decimal known to `inputDigits` decimal places, with
 * `outputDigits` places (8 by default): `1.587` gives 1.5865 and 1.5875. The arithmetic is
 * done on scaled integers, so no binary rounding creeps into the result.
 */
export function decimalBoundary(
  value: number,
  inputDigits: number,
  outputDigits: number | undefined,
  kind: BoundaryKind,
): number | undefined {
  const digits = outputDigits ?? DECIMAL_DEFAULT_DIGITS;
  if (!Number.isInteger(digits) || digits < 0 || digits > DECIMAL_MAX_DIGITS) return undefined;
  if (!Number.isFinite(value) || Math.abs(value) >= 1e21) return undefined;

  const text = value.toFixed(inputDigits);
  const negative = text.startsWith('-');
  const magnitude = BigInt(text.replace('-', '').replace('.', ''));
  // Half a unit of the last known place, one place further right.
  let scaled = (negative ? -magnitude : magnitude) * 10n + (kind === 'low' ? -5n : 5n);
  const scale = inputDigits + 1;
  if (digits >= scale) {
    scaled *= 10n ** BigInt(digits - scale);
  } else {
    const divisor = 10n ** BigInt(scale - digits);
    scaled = kind === 'low' ? floorDivide(scaled, divisor) : -floorDivide(-scaled, divisor);
  }
  return Number(formatScaled(scaled, digits));
}

function floorDivide(dividend: bigint, divisor: bigint): bigint {
  const quotient = dividend / divisor;
  return dividend % divisor !== 0n && dividend < 0n ? quotient - 1n : quotient;
}

function formatScaled(scaled: bigint, digits: number): string {
  const negative = scaled < 0n;
  const text = (negative ? -scaled : scaled).toString().padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

interface DateParts {
  year: number;
  month?: number;
  day?: number;
  hour?: number;
  minute?: number;
  second?: number;
  /** Fraction of a second as written, without the point. */
  fraction?: string;
  zone?: string;
}

const DATE_TIME_TEXT =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T(?:(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?)?(Z|[+-]\d{2}:\d{2})?)?$/;
const TIME_TEXT = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

function parseDateParts(text: string): DateParts | undefined {
  const match = DATE_TIME_TEXT.exec(text);
  if (!match) return undefined;
  return {
    year: Number(match[1]),
    month: optionalNumber(match[2]),
    day: optionalNumber(match[3]),
    hour: optionalNumber(match[4]),
    minute: optionalNumber(match[5]),
    second: optionalNumber(match[6]),
    fraction: match[7],
    zone: match[8],
  };
}

function optionalNumber(text: string | undefined): number | undefined {
  return text === undefined ? undefined : Number(text);
}

/** Milliseconds of a partly written fraction (`.5` ranges over 500 to 599), or of none. */
function fractionBoundary(fraction: string | undefined, kind: BoundaryKind): number {
  if (fraction === undefined) return kind === 'low' ? 0 : 999;
  const known = fraction.slice(0, 3);
  const low = Number(known.padEnd(3, '0'));
  return kind === 'low' ? low : low + 10 ** (3 - known.length) - 1;
}

/** Boundary of a FHIR date (`1970-06` gives 1970-06-01 and 1970-06-30), to precision 4, 6 or 8. */
export function dateBoundary(
  text: string,
  precision: number | undefined,
  kind: BoundaryKind,
): string | undefined {
  const target = precision ?? 8;
  const parts = parseDateParts(text);
  if (!parts || parts.hour !== undefined || !DATE_PRECISIONS.includes(target)) return undefined;
  return formatDate(fillDate(parts, kind), target);
}

/** Boundary of a FHIR dateTime or instant, to precision 4, 6, 8, 10, 12, 14 or 17 (the default). */
export function dateTimeBoundary(
  text: string,
  precision: number | undefined,
  kind: BoundaryKind,
): string | undefined {
  const target = precision ?? 17;
  const parts = parseDateParts(text);
  if (!parts || !DATE_TIME_PRECISIONS.includes(target)) return undefined;
  const date = fillDate(parts, kind);
  if (target <= 8) return formatDate(date, target);
  const hour = parts.hour ?? pick(kind, 0, 23);
  const minute = parts.minute ?? pick(kind, 0, 59);
  const second = parts.second ?? pick(kind, 0, 59);
  const milliseconds = fractionBoundary(parts.fraction, kind);
  const zone = parts.zone ?? pick(kind, '+14:00', '-12:00');
  return `${formatDate(date, 8)}T${formatTime([hour, minute, second, milliseconds], target - 8)}${zone}`;
}

/** Boundary of a FHIR time, to precision 2, 4, 6 or 9 (the default). */
export function timeBoundary(
  text: string,
  precision: number | undefined,
  kind: BoundaryKind,
): string | undefined {
  const target = precision ?? 9;
  const match = TIME_TEXT.exec(text);
  if (!match || !TIME_PRECISIONS.includes(target)) return undefined;
  const hour = Number(match[1]);
  const minute = match[2] === undefined ? pick(kind, 0, 59) : Number(match[2]);
  const second = match[3] === undefined ? pick(kind, 0, 59) : Number(match[3]);
  const milliseconds = fractionBoundary(match[4], kind);
  return formatTime([hour, minute, second, milliseconds], target);
}

function pick<T>(kind: BoundaryKind, low: T, high: T): T {
  return kind === 'low' ? low : high;
}

function fillDate(parts: DateParts, kind: BoundaryKind): [number, number, number] {
  const month = parts.month ?? pick(kind, 1, 12);
  const day = parts.day ?? (kind === 'low' ? 1 : daysInMonth(parts.year, month));
  return [parts.year, month, day];
}

/** Characters of `YYYY-MM-DD` that a date precision of 4, 6 or 8 digits keeps. */
const DATE_LENGTHS: Record<number, number> = { 4: 4, 6: 7, 8: 10 };

function formatDate([year, month, day]: [number, number, number], precision: number): string {
  const text = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
  return text.slice(0, DATE_LENGTHS[precision] ?? 10);
}

/** Format hour, minute, second and milliseconds to 2, 4, 6 or 9 digits of precision. */
function formatTime([hour, minute, second, milliseconds]: number[], precision: number): string {
  let text = pad(hour as number, 2);
  if (precision >= 4) text += `:${pad(minute as number, 2)}`;
  if (precision >= 6) text += `:${pad(second as number, 2)}`;
  if (precision >= 9) text += `.${pad(milliseconds as number, 3)}`;
  return text;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
