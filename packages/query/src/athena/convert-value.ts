import type { ColumnInfo } from '@aws-sdk/client-athena';
import type { QueryColumn, QueryValue } from '../query-engine';

/** Turn Athena's text for one non-NULL value into a JavaScript value, or undefined if the text is invalid for the type. */
export type ValueConverter = (text: string) => QueryValue | undefined;

/**
 * Converters by Athena type name without parameters. Types not listed (time,
 * timestamp with time zone, intervals, varbinary, uuid, ipaddress, map, row)
 * keep the text Athena returns.
 */
const CONVERTERS: Record<string, ValueConverter> = {
  boolean: toBoolean,
  tinyint: toInteger,
  smallint: toInteger,
  integer: toInteger,
  int: toInteger,
  bigint: toBigInt,
  double: toFloat,
  float: toFloat,
  real: toFloat,
  decimal: toDecimalText,
  date: toDate,
  timestamp: toTimestamp,
  array: toArray,
};

const INTEGER_PATTERN = /^-?\d+$/;
const FLOAT_PATTERN = /^(?:[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|NaN|[+-]?Infinity)$/;
const DECIMAL_PATTERN = /^-?\d+(?:\.\d+)?$/;
const DATE_PATTERN = /^(-?\d{4,})-(\d{2})-(\d{2})$/;
// Athena prints timestamps as `2024-03-01 12:34:56.789`, with 0 to 12 fraction digits.
const TIMESTAMP_PATTERN =
  /^(-?\d{4,})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,12}))?$/;

/** Pick the converter for a column from its `ColumnInfo.Type`. */
export function converterFor(athenaType: string): ValueConverter {
  return CONVERTERS[baseTypeName(athenaType)] ?? asText;
}

/** Describe a result column as a `QueryColumn`: Athena's type name, with precision and scale for decimals. */
export function toQueryColumn(info: ColumnInfo): QueryColumn {
  const type = info.Type ?? 'unknown';
  const withScale =
    baseTypeName(type) === 'decimal' && info.Precision !== undefined && info.Scale !== undefined;
  return {
    name: info.Name ?? '',
    type: withScale ? `decimal(${info.Precision},${info.Scale})` : type,
  };
}

/** Lower-case type name without parameters: `decimal(10,2)` → `decimal`, `timestamp(3) with time zone` → `timestamp with time zone`. */
export function baseTypeName(athenaType: string): string {
  let depth = 0;
  let name = '';
  for (const char of athenaType.toLowerCase()) {
    if (char === '(') depth += 1;
    else if (char === ')') depth = Math.max(0, depth - 1);
    else if (depth === 0) name += char;
  }
  return name.replace(/\s+/g, ' ').trim();
}

function asText(text: string): string {
  return text;
}

function toBoolean(text: string): boolean | undefined {
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}

function toInteger(text: string): number | undefined {
  return INTEGER_PATTERN.test(text) ? Number(text) : undefined;
}

function toBigInt(text: string): bigint | undefined {
  return INTEGER_PATTERN.test(text) ? BigInt(text) : undefined;
}

function toFloat(text: string): number | undefined {
  return FLOAT_PATTERN.test(text) ? Number(text) : undefined;
}

// A decimal stays text: a JavaScript number would round decimal(38,x) values.
function toDecimalText(text: string): string | undefined {
  return DECIMAL_PATTERN.test(text) ? text : undefined;
}

// UTC midnight, as the DuckDB engine returns DATE values.
function toDate(text: string): Date | undefined {
  const match = DATE_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day] = match.slice(1).map(Number);
  return utcDate({ year, month, day, hour: 0, minute: 0, second: 0, ms: 0 });
}

// Athena's `timestamp` has no zone, and carelake stores UTC, so the text is read as UTC.
// Digits past milliseconds are dropped, as the DuckDB engine does for microseconds.
function toTimestamp(text: string): Date | undefined {
  const match = TIMESTAMP_PATTERN.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const ms = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'));
  return utcDate({ year, month, day, hour, minute, second, ms });
}

interface DateFields {
  year: number | undefined;
  month: number | undefined;
  day: number | undefined;
  hour: number | undefined;
  minute: number | undefined;
  second: number | undefined;
  ms: number;
}

/** Build a UTC date, or undefined when a field is out of range (month 13, 31 April). */
function utcDate(fields: DateFields): Date | undefined {
  const { year = NaN, month = NaN, day = NaN, hour = NaN, minute = NaN, second = NaN, ms } = fields;
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0 to 99 onto 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  const valid =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return valid ? date : undefined;
}

/**
 * Athena prints arrays as `[1, 2, 3]` without quoting strings, and ColumnInfo does
 * not give the element type. Text that is a JSON array (numbers, booleans, nulls,
 * nested arrays) is parsed; anything else, such as an array of strings or rows,
 * stays text. So does an array holding an integer outside the safe range, which
 * a number would round.
 * NOTE: an array(varchar) whose elements all look like numbers, true, false or null
 * is parsed into those values. Casting the column to JSON in SQL keeps them strings.
 */
function toArray(text: string): QueryValue {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text;
  }
  return Array.isArray(parsed) && holdsExactNumbers(parsed) ? (parsed as QueryValue[]) : text;
}

function holdsExactNumbers(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(holdsExactNumbers);
  if (typeof value === 'number') return !Number.isInteger(value) || Number.isSafeInteger(value);
  return value === null || typeof value === 'boolean';
}
