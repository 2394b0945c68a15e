export { charsetForMsh18 } from './charset';
export {
  HEADER_SEGMENT_IDS,
  readDelimiters,
  STANDARD_DELIMITERS,
  type DelimiterResult,
  type Hl7Delimiters,
} from './delimiters';
export { Hl7Error, Hl7ParseError, Hl7PathError } from './errors';
export { escapeHl7, reencodeWithStandardDelimiters, unescapeHl7 } from './escape';
export type { Hl7InputRange, Hl7IssueCode, Hl7Problem, Hl7Warning } from './issues';
export { Hl7Message, type Hl7MessageInit } from './message';
export type { Hl7ParseMode, Hl7ParseOptions } from './options';
export { parseHl7File, parseHl7Message, type Hl7ParseResult } from './parse-file';
export {
  formatSegmentLabel,
  parseHl7FieldPath,
  parseHl7Path,
  type Hl7FieldLocation,
  type Hl7Location,
} from './path';
export { HL7_NULL, Hl7Segment, type Hl7SegmentInit, type Hl7Value } from './segment';
export { parseHl7Date, parseHl7Timestamp } from './timestamp';
export * from './mapping';
export { SUPPORTED_CHARSETS } from './charset';
export {
  formatHl7DateTime,
  hl7DateTimeToUtc,
  parseHl7DateTime,
  type Hl7DateTime,
  type Hl7DateTimeOptions,
  type Hl7DateTimePrecision,
  type Hl7DateTimeResult,
} from './date-time';
export {
  buildHl7Message,
  encodeHl7Field,
  encodeHl7Message,
  encodeHl7Segment,
  formatEncodingCharacters,
  type Hl7BuildOptions,
  type Hl7ComponentInput,
  type Hl7FieldInput,
  type Hl7LeafInput,
  type Hl7RepetitionInput,
  type Hl7SegmentInput,
} from './encode';
export { formatHl7Position, Hl7EncodeError, Hl7OptionsError, Hl7StreamError } from './errors';
export type { Hl7ReadOptions } from './escape';
export type { Hl7Position } from './issues';
export { parseHl7Stream } from './parse-stream';
export type { Hl7Leaf } from './segment';
export {
  splitHl7Stream,
  type Hl7PieceBytes,
  type Hl7SplitOptions,
  type Hl7StreamPiece,
} from './split-stream';
