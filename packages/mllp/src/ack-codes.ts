/** MSA-1 of an application ACK (HL7 table 0008): accept, error, reject. */
export type ApplicationAckCode = 'AA' | 'AE' | 'AR';

/** MSA-1 of a commit ACK in enhanced mode (HL7 table 0008): commit accept, error, reject. */
export type CommitAckCode = 'CA' | 'CE' | 'CR';

export type AckCode = ApplicationAckCode | CommitAckCode;

export const ACK_CODES: readonly AckCode[] = ['AA', 'AE', 'AR', 'CA', 'CE', 'CR'];

/** True for CA, CE and CR. */
export function isCommitAckCode(code: AckCode): code is CommitAckCode {
  return code.startsWith('C');
}

/** True for AA and CA, the codes that report success. */
export function isAcceptCode(code: AckCode): boolean {
  return code === 'AA' || code === 'CA';
}

/**
 * MSH-15 and MSH-16 values (HL7 table 0155): when the receiver sends a commit ACK (MSH-15) or
 * an application ACK (MSH-16). AL always, NE never, ER only on error or reject, SU only on success.
 */
export type AckCondition = 'AL' | 'NE' | 'ER' | 'SU';

/** Error codes of HL7 table 0357, with the standard's descriptions, which ERR-3 carries. */
export const HL7_ERROR_CODES = {
  0: 'Message accepted',
  100: 'Segment sequence error',
  101: 'Required field missing',
  102: 'Data type error',
  103: 'Table value not found',
  /** Added in v2.6. */
  104: 'Value too long',
  200: 'Unsupported message type',
  201: 'Unsupported event code',
  202: 'Unsupported processing id',
  203: 'Unsupported version id',
  204: 'Unknown key identifier',
  205: 'Duplicate key identifier',
  206: 'Application record locked',
  207: 'Application internal error',
} as const;

export type Hl7ErrorCode = keyof typeof HL7_ERROR_CODES;

/** ERR-4 values (HL7 table 0516): error, warning, information, fatal error. */
export type Hl7ErrorSeverity = 'E' | 'W' | 'I' | 'F';

/**
 * ERR-2 (data type ERL): where in the acknowledged message the problem is. Numbers are 1-based
 * as in the standard, so `{ segmentId: 'PID', sequence: 1, field: 3 }` is PID-3 of the first PID.
 */
export interface Hl7ErrorLocation {
  segmentId: string;
  /** 1-based occurrence of the segment in the message. */
  sequence: number;
  field?: number;
  repetition?: number;
  component?: number;
  subcomponent?: number;
}

/**
 * The content of one ERR segment. It carries a code, a severity and a location, and never a
 * field value, because ACKs travel back to the sender and end up in its logs.
 */
export interface AckError {
  code: Hl7ErrorCode;
  severity: Hl7ErrorSeverity;
  location?: Hl7ErrorLocation;
}
