import type { Hl7Segment } from '@carelake/hl7v2';
import {
  isAcceptCode,
  type AckCode,
  type AckCondition,
  type AckError,
  type ApplicationAckCode,
} from './ack-codes';

/**
 * Original mode (MSH-15 and MSH-16 both empty): one application ACK. Enhanced mode (either one
 * valued): a commit ACK once the message is stored, then an application ACK, each sent only when
 * its condition requests it.
 */
export type AckMode = 'original' | 'enhanced';

/** The acknowledgments a message requests in MSH-15 and MSH-16. */
export interface AckRequest {
  mode: AckMode;
  /** MSH-15; `AL` in original mode, where it plays no part. */
  acceptAckType: AckCondition;
  /** MSH-16; `AL` in original mode, where the application ACK is always sent. */
  applicationAckType: AckCondition;
}

/** The application-level result of a stored message. */
export type ApplicationResult =
  { applicationAck: 'AA' } | { applicationAck: Exclude<ApplicationAckCode, 'AA'>; error: AckError };

/** The outcome of one received message. */
export type MessageOutcome =
  /** The bytes are durably stored, and `application` is the verdict on their content. */
  | { stored: true; application: ApplicationResult }
  /**
   * Nothing is stored. `rejected` is true when resending the same bytes cannot succeed (they are
   * not an HL7 message, or too large), false when storing failed and a resend may succeed.
   */
  | { stored: false; rejected: boolean; error: AckError };

export interface PlannedAck {
  code: AckCode;
  error?: AckError;
}

const CONDITIONS: ReadonlySet<string> = new Set<AckCondition>(['AL', 'NE', 'ER', 'SU']);

/**
 * Read MSH-15 and MSH-16. In enhanced mode a value outside table 0155 means AL, because an
 * unexpected ACK does less harm than a sender waiting for one.
 * NOTE: the standard leaves open what an empty MSH-15 or MSH-16 means in enhanced mode; this
 * reads it as NE.
 */
export function readAckRequest(header: Hl7Segment | undefined): AckRequest {
  const accept = header?.get('15')?.trim() ?? '';
  const application = header?.get('16')?.trim() ?? '';
  if (accept === '' && application === '') {
    return { mode: 'original', acceptAckType: 'AL', applicationAckType: 'AL' };
  }
  return {
    mode: 'enhanced',
    acceptAckType: toCondition(accept),
    applicationAckType: toCondition(application),
  };
}

/**
 * Decide which ACKs to send, in order. Original mode sends one application ACK: the handler's
 * result once stored, else AE, or AR for a rejected message. Enhanced mode sends CA once stored,
 * else CE, or CR for a rejected message, then the application ACK only after CA. MSH-15 and
 * MSH-16 can suppress each one: NE always, ER on success, SU on failure.
 */
export function planAcks(request: AckRequest, outcome: MessageOutcome): PlannedAck[] {
  if (request.mode === 'original') {
    if (outcome.stored) return [applicationAckOf(outcome.application)];
    return [{ code: outcome.rejected ? 'AR' : 'AE', error: outcome.error }];
  }

  const acks: PlannedAck[] = [];
  const commit: PlannedAck = outcome.stored
    ? { code: 'CA' }
    : { code: outcome.rejected ? 'CR' : 'CE', error: outcome.error };
  if (conditionHolds(request.acceptAckType, isAcceptCode(commit.code))) acks.push(commit);
  if (outcome.stored) {
    const application = applicationAckOf(outcome.application);
    if (conditionHolds(request.applicationAckType, isAcceptCode(application.code))) {
      acks.push(application);
    }
  }
  return acks;
}

/** True when an ACK with this condition is sent for a success (`succeeded`) or a failure. */
export function conditionHolds(condition: AckCondition, succeeded: boolean): boolean {
  switch (condition) {
    case 'AL':
      return true;
    case 'NE':
      return false;
    case 'ER':
      return !succeeded;
    case 'SU':
      return succeeded;
  }
}

function applicationAckOf(result: ApplicationResult): PlannedAck {
  return result.applicationAck === 'AA'
    ? { code: 'AA' }
    : { code: result.applicationAck, error: result.error };
}

function toCondition(value: string): AckCondition {
  if (value === '') return 'NE';
  return CONDITIONS.has(value) ? (value as AckCondition) : 'AL';
}
