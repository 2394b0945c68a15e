import {
  escapeHl7,
  STANDARD_DELIMITERS,
  type Hl7Delimiters,
  type Hl7Segment,
} from '@carelake/hl7v2';
import { HL7_ERROR_CODES, type AckCode, type AckError, type Hl7ErrorLocation } from './ack-codes';

/** MSH-11 of an ACK to bytes with no readable MSH: production. */
export const FALLBACK_PROCESSING_ID = 'P';
/** MSH-12 of an ACK to bytes with no readable MSH: the first version with ERR-2 to ERR-4. */
export const FALLBACK_VERSION_ID = '2.5.1';

export interface AckInput {
  /** MSH of the message being acknowledged; undefined when the bytes contain no readable MSH. */
  originalHeader: Hl7Segment | undefined;
  /** MSA-1. */
  code: AckCode;
  /** MSH-10 of the ACK itself. */
  controlId: string;
  /** MSH-7 of the ACK, written in UTC. */
  createdAt: Date;
  /** One ERR segment for each, in order. */
  errors?: readonly AckError[];
}

/**
 * Build an ACK in ER7, each segment ending with a carriage return. It uses the delimiters of the
 * original message and copies header fields in their encoded form. MSH-3 and MSH-4 swap places
 * with MSH-5 and MSH-6. MSH-9 is `ACK^<trigger>^ACK`, MSH-11 and MSH-12 are copied, and MSA-2 is
 * the original MSH-10. MSH-15 and MSH-16 stay empty because an ACK is never acknowledged. Without an original MSH the standard delimiters are used, MSH-3 to MSH-6 and
 * MSA-2 stay empty, and MSH-11 and MSH-12 take the fallback values.
 */
export function buildAck(input: AckInput): string {
  const header = input.originalHeader;
  const delimiters = header?.delimiters ?? STANDARD_DELIMITERS;
  const encodingCharacters = header?.getEncoded('2') ?? encodingCharactersOf(delimiters);
  const copy = (field: string): string => header?.getEncoded(field) ?? '';

  const messageType = ['ACK', copy('9.2'), 'ACK'].join(delimiters.component);
  const msh = [
    `MSH${delimiters.field}${encodingCharacters}`,
    copy('5'),
    copy('6'),
    copy('3'),
    copy('4'),
    formatHl7Timestamp(input.createdAt),
    '',
    messageType,
    input.controlId,
    header === undefined ? FALLBACK_PROCESSING_ID : copy('11'),
    header === undefined ? FALLBACK_VERSION_ID : copy('12'),
  ];
  const msa = ['MSA', input.code, copy('10')];
  const errs = (input.errors ?? []).map((error) => formatErr(error, delimiters));

  const segments = [msh, msa, ...errs].map((fields) => fields.join(delimiters.field));
  return segments.map((segment) => `${segment}\r`).join('');
}

/** `YYYYMMDDHHMMSS+0000`, the DTM form every HL7 v2 version accepts. */
export function formatHl7Timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}+0000`;
}

/** ERR with ERR-2 (location), ERR-3 (table 0357 code) and ERR-4 (severity); ERR-1 is left empty. */
function formatErr(error: AckError, delimiters: Hl7Delimiters): string[] {
  const location = error.location === undefined ? '' : formatLocation(error.location, delimiters);
  const description = escapeHl7(HL7_ERROR_CODES[error.code], delimiters);
  const code = [String(error.code), description, 'HL70357'].join(delimiters.component);
  return ['ERR', '', location, code, error.severity];
}

function formatLocation(location: Hl7ErrorLocation, delimiters: Hl7Delimiters): string {
  const components = [
    location.segmentId,
    location.sequence,
    location.field,
    location.repetition,
    location.component,
    location.subcomponent,
  ].map((part) => (part === undefined ? '' : String(part)));
  while (components.length > 0 && components[components.length - 1] === '') components.pop();
  return components.join(delimiters.component);
}

function encodingCharactersOf(delimiters: Hl7Delimiters): string {
  return [
    delimiters.component,
    delimiters.repetition,
    delimiters.escape,
    delimiters.subcomponent,
    delimiters.truncation,
  ]
    .filter((character) => character !== undefined)
    .join('');
}
