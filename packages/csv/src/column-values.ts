import type { RowValue } from '@carelake/core';
import { compileDateTimeFormat, DEFAULT_DATE_FORMAT, DEFAULT_TIMESTAMP_FORMAT } from './date-time-format';
import type { CsvColumn } from './schema';

export type ValueResult =
  | { ok: true; value: RowValue }
  | { ok: false; code: 'missing-value' | 'invalid-value'; reason: string };

/** Reads the text of one field as its column's value. Reasons name the rule, never the text. */
export type ColumnReader = (text: string) => ValueResult;

export const DEFAULT_TRUE_VALUES: readonly string[] = ['true', 't', 'yes', 'y', '1'];
export const DEFAULT_FALSE_VALUES: readonly string[] = ['false', 'f', 'no', 'n', '0'];

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const INTEGER_PATTERN = /^[+-]?\d+$/;
const DOUBLE_PATTERN = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const DECIMAL_PATTERN = /^([+-]?)(\d*)(?:\.(\d*))?$/;

type TypeReader = (text: string) => ValueResult;

/** Compiles the reader of a column, applying `trim` and `nullValues` before the type. */
export function compileColumnReader(column: CsvColumn, trim: boolean): ColumnReader {
  const nullValues = new Set(column.nullValues);
  const readType = compileTypeReader(column);

  return (raw) => {
    const text = trim ? raw.trim() : raw;
    if (nullValues.has(text)) {
      if (!column.required) return { ok: true, value: null };
      return { ok: false, code: 'missing-value', reason: 'is required but has no value (empty or one of nullValues)' };
    }
    return readType(text);
  };
}

function compileTypeReader(column: CsvColumn): TypeReader {
  switch (column.type) {
    case 'string':
      return (text) => ({ ok: true, value: text });
    case 'integer':
      return readInteger;
    case 'decimal':
      return column.precision === undefined ? readDouble : decimalReader(column.precision, column.scale ?? 0);
    case 'boolean':
      return booleanReader(column.trueValues ?? DEFAULT_TRUE_VALUES, column.falseValues ?? DEFAULT_FALSE_VALUES);
    case 'date':
    case 'timestamp': {
      const fallback = column.type === 'date' ? DEFAULT_DATE_FORMAT : DEFAULT_TIMESTAMP_FORMAT;
      const format = compileDateTimeFormat(column.format ?? fallback, column.type);
      return (text) => {
        const result = format.parse(text);
        return result.ok ? result : { ok: false, code: 'invalid-value', reason: result.reason };
      };
    }
  }
}

function invalid(reason: string): ValueResult {
  return { ok: false, code: 'invalid-value', reason };
}

/** Reads an integer as a number while it is a safe integer, and beyond that as a bigint up to the BIGINT range. */
function readInteger(text: string): ValueResult {
  if (!INTEGER_PATTERN.test(text)) return invalid('is not an integer: expected digits with an optional sign');
  const value = Number(text);
  if (Number.isSafeInteger(value)) return { ok: true, value };
  const big = BigInt(text);
  if (big < INT64_MIN || big > INT64_MAX) return invalid('is outside the BIGINT range (-2^63 to 2^63-1)');
  return { ok: true, value: big };
}

function readDouble(text: string): ValueResult {
  if (!DOUBLE_PATTERN.test(text)) {
    return invalid('is not a decimal number: expected digits with an optional sign, point and exponent');
  }
  const value = Number(text);
  if (!Number.isFinite(value)) return invalid('is outside the DOUBLE range');
  return { ok: true, value };
}

/**
 * Returns a reader of exact DECIMAL(precision, scale) values, as strings with `scale` digits after
 * the point, so that no digit is lost to binary floating point. Values with more digits are
 * rejected, not rounded.
 */
function decimalReader(precision: number, scale: number): TypeReader {
  const sqlType = `DECIMAL(${precision},${scale})`;
  return (text) => {
    const match = DECIMAL_PATTERN.exec(text);
    const [, sign = '', whole = '', fraction = ''] = match ?? [];
    if (!match || whole.length + fraction.length === 0) {
      return invalid(`is not a decimal number: expected digits with an optional sign and point, for ${sqlType}`);
    }
    const wholeDigits = whole.replace(/^0+/, '');
    const fractionDigits = fraction.replace(/0+$/, '');
    if (fractionDigits.length > scale) {
      return invalid(`has more than ${scale} digit(s) after the point, the scale of ${sqlType}`);
    }
    if (wholeDigits.length > precision - scale) {
      return invalid(`has more than ${precision - scale} digit(s) before the point, which ${sqlType} allows`);
    }
    const digits = `${wholeDigits || '0'}${scale > 0 ? `.${fractionDigits.padEnd(scale, '0')}` : ''}`;
    const isZero = /^[0.]*$/.test(digits);
    return { ok: true, value: sign === '-' && !isZero ? `-${digits}` : digits };
  };
}

function booleanReader(trueValues: readonly string[], falseValues: readonly string[]): TypeReader {
  const truths = new Set(trueValues.map((value) => value.toLowerCase()));
  const falsehoods = new Set(falseValues.map((value) => value.toLowerCase()));
  const reason = `is not one of the true values (${trueValues.join(', ')}) or false values (${falseValues.join(', ')})`;
  return (text) => {
    const key = text.toLowerCase();
    if (truths.has(key)) return { ok: true, value: true };
    if (falsehoods.has(key)) return { ok: true, value: false };
    return invalid(reason);
  };
}
