import type { ColumnType, RowValue } from '@carelake/core';
import { parseHl7Date } from '../../timestamp';
import type { SenderTimeZone } from '../sender-time-zone';
import type { Hl7MappingIssueCode } from '../warnings';
import { timestampConverter } from './timestamps';

/** HL7 NM: an optional sign, digits and an optional decimal point; no exponent. */
const HL7_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

const TRUE_TEXTS = new Set(['y', 't', 'true', '1']);
const FALSE_TEXTS = new Set(['n', 'f', 'false', '0']);

/** Parse an HL7 NM value; undefined when the text is not one. */
export function parseHl7Number(text: string): number | undefined {
  const trimmed = text.trim();
  return HL7_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/** Turns the text of a field into a column value; undefined when the text does not fit the type. */
export type TextConverter = (text: string) => RowValue | undefined;

/**
 * Return the converter for a column type. Timestamps carry their offset into UTC, and one without
 * an offset is local time in `senderTimeZone` (see `timestampConverter`). Dates keep the calendar
 * date as written, because a date has no time of day to move.
 */
export function converterFor(
  type: ColumnType,
  senderTimeZone: SenderTimeZone | undefined,
): TextConverter {
  switch (type) {
    case 'string':
      return (text) => text;
    case 'date':
      return parseHl7Date;
    case 'timestamp':
      return timestampConverter(senderTimeZone);
    case 'double':
      return parseHl7Number;
    case 'bigint':
      return (text) => {
        const value = parseHl7Number(text);
        return value !== undefined && Number.isSafeInteger(value) ? value : undefined;
      };
    case 'int':
      return (text) => {
        const value = parseHl7Number(text);
        return value !== undefined &&
          Number.isInteger(value) &&
          value >= INT_MIN &&
          value <= INT_MAX
          ? value
          : undefined;
      };
    case 'boolean':
      return (text) => {
        const lower = text.toLowerCase();
        if (TRUE_TEXTS.has(lower)) return true;
        return FALSE_TEXTS.has(lower) ? false : undefined;
      };
  }
}

/** Column types whose values are parsed from text, and so may be invalid. */
export type ParsedColumnType = Exclude<ColumnType, 'string'>;

/** The warning code for an invalid value of each parsed type, and what a valid one looks like. */
export const INVALID_VALUE: Readonly<
  Record<ParsedColumnType, { code: Hl7MappingIssueCode; expected: string }>
> = {
  date: {
    code: 'invalid-date',
    expected: 'a valid HL7 date (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ] naming a real date)',
  },
  timestamp: {
    code: 'invalid-date',
    expected: 'a valid HL7 timestamp (YYYY[MM[DD[HH[MM[SS[.S]]]]]][+/-ZZZZ] naming a real date)',
  },
  double: {
    code: 'invalid-number',
    expected: 'a number (HL7 NM: a sign, digits and a decimal point)',
  },
  bigint: { code: 'invalid-number', expected: 'a whole number' },
  int: { code: 'invalid-number', expected: 'a whole number within 32 bits' },
  boolean: { code: 'invalid-boolean', expected: 'a boolean (Y, N, T, F, true, false, 1 or 0)' },
};
