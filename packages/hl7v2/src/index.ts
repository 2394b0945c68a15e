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
