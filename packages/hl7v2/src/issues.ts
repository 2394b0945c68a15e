import type { ErrorPosition } from '@carelake/core';

/**
 * Conditions the parser and the mappings report. A condition that loses or garbles data is a
 * problem, which rejects what it touches. Most others are warnings in lenient mode and problems
 * in strict mode, as the README lists.
 */
export type Hl7IssueCode =
  /** Segments that no MSH precedes: the input, a BHS, a BTS or an FHS is followed by another segment. */
  | 'missing-message-header'
  /** A BHS while a batch is still open (its BTS has not been seen). */
  | 'nested-batch-header'
  /** An FHS while a file or batch envelope is still open. */
  | 'nested-file-header'
  /** The input ends, or an FTS arrives, while a batch has no BTS. */
  | 'missing-batch-trailer'
  /** The input ends while the FHS has no FTS. */
  | 'missing-file-trailer'
  /** A BTS with no open batch. */
  | 'unmatched-batch-trailer'
  /** An FTS with no open file envelope. */
  | 'unmatched-file-trailer'
  /** BTS-1 or FTS-1 differs from the number of messages or batches counted. */
  | 'trailer-count-mismatch'
  /** MSH-1 (or FHS-1, BHS-1) is missing, a letter, a digit or white space. */
  | 'invalid-field-separator'
  /** MSH-2 (or FHS-2, BHS-2) does not contain 2 to 5 distinct punctuation characters. */
  | 'invalid-encoding-characters'
  /** MSH-9, MSH-10 or MSH-12 is empty. */
  | 'missing-required-field'
  /** MSH-18 names a character set this parser cannot decode. */
  | 'unsupported-charset'
  /** MSH-18 names a single-byte character set but the bytes are valid UTF-8 with non-ASCII text, so UTF-8 is used. */
  | 'charset-mismatch'
  /** A message without MSH-18 is not valid UTF-8. */
  | 'invalid-utf8'
  | 'segment-terminator-lf'
  | 'segment-terminator-crlf'
  /** One input uses more than one of CR, LF and CRLF between segments. */
  | 'mixed-segment-terminators'
  /** Two segment terminators in a row, or a line of white space. */
  | 'empty-segment'
  | 'missing-final-terminator'
  /** A line break inside a segment: the text after it does not start a segment. */
  | 'line-break-in-segment'
  /** A UTF-8 byte-order mark at the start of a line other than the first, as when files are concatenated; it is skipped. */
  | 'embedded-byte-order-mark'
  /** An escape character with no closing escape character in the same leaf value; it is kept as text. */
  | 'unterminated-escape'
  /** A field ends in white space and a segment id, as when the CR before the next segment was lost. */
  | 'run-on-segment'
  /** A segment id that is neither an HL7 v2 segment nor a Z segment. */
  | 'unknown-segment'
  /** An HL7 v2 segment that the message structure (MSH-9) does not contain. */
  | 'unexpected-segment'
  /** A segment the message structure requires is absent. */
  | 'missing-segment'
  /** A segment the message structure requires comes before one that must precede it. */
  | 'segment-out-of-order'
  /** MSH-12 names no HL7 v2 version this parser knows; the message is parsed generically. */
  | 'unknown-version'
  /** The input contains no segments at all. */
  | 'empty-input'
  /** `parseHl7Message` found no message or more than one. */
  | 'not-one-message'
  /** A mapped date or timestamp field does not follow the HL7 DTM format or names an impossible date. */
  | 'invalid-date'
  /** A numeric observation value (OBX-2 NM or SN) is not a number. */
  | 'invalid-number';

/**
 * Where a problem or warning sits. `record` is the 0-based message index in the input, `segment`
 * the segment label (`OBX[3]`) and `field` the field (`PID-3`); the numbers below narrow it down.
 * Positions hold ids and numbers only, never field values.
 */
export interface Hl7Position extends ErrorPosition {
  /** MSH-10 of the message, when it could be read. */
  controlId?: string;
  /** 0-based index of the segment in its message (the MSH is 0). */
  segmentIndex?: number;
  /** 1-based repetition of the field. */
  repetition?: number;
  /** 1-based component. */
  component?: number;
  /** 1-based subcomponent. */
  subcomponent?: number;
}

/**
 * Return a new position with the keys of `base`, then those of `extra`, as `{ ...base, ...extra }`
 * would. In Node 20 (V8 11.3) an object spread followed by keys the spread did not contain takes
 * a slow path: over a microsecond on the 2-core machine of docs/benchmarks. Positions are built
 * for every message, so they are joined with `Object.assign` instead.
 */
export function extendPosition(base: Hl7Position, extra: Hl7Position): Hl7Position {
  return Object.assign({}, base, extra);
}

/** Something that rejected part of the input: a whole message, or segments outside any message. */
export interface Hl7Problem {
  code: Hl7IssueCode;
  /** Explanation of the failure, with positions and counts but never field values. */
  reason: string;
  /** `record` is the 0-based message index in the file, when a message is rejected. */
  position: Hl7Position;
  /** Next step for the sender or operator. */
  hint?: string;
  /** The rejected segments as received, joined by CR, for quarantine. Absent when nothing was rejected. */
  text?: string;
  /** Offsets of the rejected text in the input (bytes for a Uint8Array, UTF-16 code units for a string). */
  range?: Hl7InputRange;
}

/** Something accepted as read, or a value that mapped to null. */
export interface Hl7Warning {
  code: Hl7IssueCode;
  reason: string;
  /** Position of the first occurrence. */
  position: Hl7Position;
  /** How many times the condition occurs in the input, when one warning stands for several. */
  count?: number;
}

/** Offsets into the parser's input, end exclusive. */
export interface Hl7InputRange {
  start: number;
  end: number;
}
