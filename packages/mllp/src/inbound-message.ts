import type { ErrorPosition } from '@carelake/core';
import {
  Hl7ParseError,
  Hl7PathError,
  Hl7Segment,
  parseHl7Message,
  parseHl7Path,
  readDelimiters,
  type Hl7IssueCode,
  type Hl7ParseMode,
} from '@carelake/hl7v2';
import type { AckError, Hl7ErrorCode, Hl7ErrorLocation } from './ack-codes';

/** The parts of a received message that the listener needs to acknowledge it. */
export interface InboundMessage {
  /** The MSH: from the parsed message, or read on its own when the message does not parse. */
  header: Hl7Segment | undefined;
  /** MSH-10, when the header has one. */
  controlId: string | undefined;
  /** Set when the bytes are not one HL7 v2 message; becomes the ERR of the reject. */
  parseError: { code: Hl7IssueCode; ackError: AckError } | undefined;
}

const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf];
const textDecoder = new TextDecoder('utf-8');

/** Parse one framed message far enough to acknowledge it. Bad input becomes `parseError`, not an exception. */
export function readInboundMessage(bytes: Uint8Array, mode: Hl7ParseMode): InboundMessage {
  try {
    const { message } = parseHl7Message(bytes, { mode });
    return {
      header: message.header,
      controlId: message.get('MSH-10') ?? undefined,
      parseError: undefined,
    };
  } catch (error) {
    if (!(error instanceof Hl7ParseError)) throw error;
    const header = readHeaderSegment(bytes);
    return {
      header,
      controlId: header?.get('10') ?? undefined,
      parseError: {
        code: error.code,
        ackError: ackErrorForParseProblem(error.code, error.position),
      },
    };
  }
}

/**
 * Read the first segment on its own when it is an MSH with valid delimiters, so that the reject
 * of a message that does not parse still reaches the right sender and names its control id.
 */
export function readHeaderSegment(bytes: Uint8Array): Hl7Segment | undefined {
  const start = BYTE_ORDER_MARK.every((byte, index) => bytes[index] === byte)
    ? BYTE_ORDER_MARK.length
    : 0;
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0d && bytes[end] !== 0x0a) end++;
  const text = textDecoder.decode(bytes.subarray(start, end));
  if (!text.startsWith('MSH')) return undefined;

  const delimiters = readDelimiters(text);
  if (!delimiters.ok) return undefined;
  return new Hl7Segment({
    text,
    delimiters: delimiters.delimiters,
    index: 0,
    occurrence: 1,
    line: 1,
  });
}

/** Map a parser issue to an HL7 table 0357 code: missing fields, bad values, or broken structure. */
export function errorCodeForParseProblem(code: Hl7IssueCode): Hl7ErrorCode {
  switch (code) {
    case 'missing-required-field':
      return 101;
    case 'invalid-field-separator':
    case 'invalid-encoding-characters':
    case 'unsupported-charset':
    case 'charset-mismatch':
    case 'invalid-utf8':
    case 'invalid-date':
    case 'invalid-number':
      return 102;
    default:
      return 100;
  }
}

function ackErrorForParseProblem(
  code: Hl7IssueCode,
  position: ErrorPosition | undefined,
): AckError {
  const location = position === undefined ? undefined : locationFromPosition(position);
  const error: AckError = { code: errorCodeForParseProblem(code), severity: 'E' };
  if (location !== undefined) error.location = location;
  return error;
}

/**
 * Turn an error position (`segment: 'OBX[3]'`, `field: 'OBX-5'`) into ERR-2. Returns undefined
 * when the position names no segment.
 */
export function locationFromPosition(position: ErrorPosition): Hl7ErrorLocation | undefined {
  const segment =
    position.segment === undefined
      ? undefined
      : /^([A-Z][A-Z0-9]{2})(?:\[([1-9][0-9]*)\])?$/.exec(position.segment);
  const sequence = segment?.[2] === undefined ? 1 : Number(segment[2]);

  if (position.field !== undefined) {
    try {
      const field = parseHl7Path(position.field);
      const location: Hl7ErrorLocation = {
        segmentId: field.segmentId,
        sequence: segment ? sequence : field.occurrence,
        field: field.field,
      };
      if (field.repetition !== undefined) location.repetition = field.repetition;
      if (field.component !== undefined) location.component = field.component;
      if (field.subcomponent !== undefined) location.subcomponent = field.subcomponent;
      return location;
    } catch (error) {
      // A field reference in another notation (such as a FHIR path) gives no HL7 location.
      if (!(error instanceof Hl7PathError)) throw error;
    }
  }
  if (segment?.[1] === undefined) return undefined;
  return { segmentId: segment[1], sequence };
}
