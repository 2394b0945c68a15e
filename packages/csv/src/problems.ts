import type { Row } from '@carelake/core';

/** Kind of row problem, so callers branch on a code and never on the reason text. */
export type CsvProblemCode =
  /** A quote inside an unquoted field, or a closing quote followed by something other than a delimiter or line end. */
  | 'invalid-quote'
  /** A quoted field that is never closed; it runs to the end of the file. */
  | 'unterminated-quote'
  /** A field longer than `maxFieldBytes`; the rest of the file is not read. */
  | 'field-too-large'
  /** csv-parse dropped the record with an error code this decoder does not expect; the reason names the code. */
  | 'unreadable-record'
  /** The record has more or fewer fields than the header (or, without a header, the schema). */
  | 'field-count'
  /** A field contains bytes that are not valid in the declared encoding. */
  | 'invalid-encoding'
  /** A required column is empty or contains one of its `nullValues`. */
  | 'missing-value'
  /** A value does not fit its column's type or format. */
  | 'invalid-value';

/**
 * A record that could not be decoded. It names where the record is and which rule it broke, and
 * never contains field values, so it is safe to log and to store as a quarantine reason. A record
 * with several bad values yields one problem per value, all with the same `recordIndex`.
 */
export interface CsvProblem {
  kind: 'problem';
  code: CsvProblemCode;
  /** The `file` option given to the decoder. */
  file: string;
  /**
   * 1-based physical line where the record starts. For `unterminated-quote` it is the line where
   * the quote opened, which is later than the record's start when an earlier field spans lines.
   */
  line: number;
  /** 1-based physical line where the record ends; left out for `field-too-large`, whose end was not read. */
  endLine?: number;
  /** 0-based index of the data record, counting quarantined records too and the header not. */
  recordIndex: number;
  /** Lake column name of the field at fault, when the problem concerns one field of a declared column. */
  column?: string;
  reason: string;
}

/**
 * One decoded data record. `values` has every declared column, null when the value is absent.
 * Otherwise a value is, by column type:
 * - `string`: a string;
 * - `integer`: a number, or a bigint beyond 2^53 - 1;
 * - `decimal`: a number, or with a declared precision the exact decimal as a string, such as "-12.50";
 * - `boolean`: a boolean;
 * - `date`: a Date at UTC midnight, and `timestamp`: a Date.
 */
export interface CsvRecord {
  kind: 'record';
  values: Row;
  /** 1-based physical line where the record starts; a CRLF counts as one line break. */
  line: number;
  /** 0-based index of the data record, counting quarantined records too and the header not. */
  recordIndex: number;
}

export type CsvDecodeItem = CsvRecord | CsvProblem;

export function isCsvProblem(item: CsvDecodeItem): item is CsvProblem {
  return item.kind === 'problem';
}
