// Real: MSH segments parsed by @carelake/hl7v2 and the ACK plan for each outcome. Faked: nothing.
import { parseHl7Message } from '@carelake/hl7v2';
import type { AckError } from './ack-codes';
import { planAcks, readAckRequest, type AckRequest, type MessageOutcome } from './ack-plan';

const ERROR: AckError = { code: 207, severity: 'E' };
const CONTENT_ERROR: AckError = { code: 102, severity: 'E' };

const STORED_AA: MessageOutcome = { stored: true, application: { applicationAck: 'AA' } };
const STORED_AE: MessageOutcome = {
  stored: true,
  application: { applicationAck: 'AE', error: CONTENT_ERROR },
};
const STORED_AR: MessageOutcome = {
  stored: true,
  application: { applicationAck: 'AR', error: CONTENT_ERROR },
};
const STORE_FAILED: MessageOutcome = { stored: false, rejected: false, error: ERROR };
const REJECTED: MessageOutcome = { stored: false, rejected: true, error: CONTENT_ERROR };

function header(msh15: string, msh16: string) {
  return parseHl7Message(`MSH|^~\\&|A|B|C|D|20240101||ADT^A01|X1|P|2.5|||${msh15}|${msh16}\r`)
    .message.header;
}

function enhanced(
  acceptAckType: AckRequest['acceptAckType'],
  applicationAckType: AckRequest['applicationAckType'],
): AckRequest {
  return { mode: 'enhanced', acceptAckType, applicationAckType };
}

const ORIGINAL: AckRequest = { mode: 'original', acceptAckType: 'AL', applicationAckType: 'AL' };

describe('readAckRequest', () => {
  it.each([
    { case: 'both empty is original', msh15: '', msh16: '', expected: ORIGINAL },
    { case: 'AL and AL', msh15: 'AL', msh16: 'AL', expected: enhanced('AL', 'AL') },
    { case: 'AL and NE', msh15: 'AL', msh16: 'NE', expected: enhanced('AL', 'NE') },
    { case: 'ER and SU', msh15: 'ER', msh16: 'SU', expected: enhanced('ER', 'SU') },
    {
      case: 'empty MSH-16 in enhanced is NE',
      msh15: 'AL',
      msh16: '',
      expected: enhanced('AL', 'NE'),
    },
    {
      case: 'empty MSH-15 in enhanced is NE',
      msh15: '',
      msh16: 'AL',
      expected: enhanced('NE', 'AL'),
    },
    { case: 'unknown value is AL', msh15: 'XX', msh16: 'NE', expected: enhanced('AL', 'NE') },
  ])('$case', ({ msh15, msh16, expected }) => {
    expect(readAckRequest(header(msh15, msh16))).toEqual(expected);
  });

  it('no header is original', () => {
    expect(readAckRequest(undefined)).toEqual(ORIGINAL);
  });
});

describe('planAcks', () => {
  it.each([
    {
      case: 'original, stored and accepted',
      request: ORIGINAL,
      outcome: STORED_AA,
      expected: ['AA'],
    },
    {
      case: 'original, stored with application error',
      request: ORIGINAL,
      outcome: STORED_AE,
      expected: ['AE'],
    },
    {
      case: 'original, stored and rejected',
      request: ORIGINAL,
      outcome: STORED_AR,
      expected: ['AR'],
    },
    {
      case: 'original, storing failed',
      request: ORIGINAL,
      outcome: STORE_FAILED,
      expected: ['AE'],
    },
    {
      case: 'original, unacceptable bytes',
      request: ORIGINAL,
      outcome: REJECTED,
      expected: ['AR'],
    },
    {
      case: 'AL/AL success',
      request: enhanced('AL', 'AL'),
      outcome: STORED_AA,
      expected: ['CA', 'AA'],
    },
    {
      case: 'AL/AL application error',
      request: enhanced('AL', 'AL'),
      outcome: STORED_AE,
      expected: ['CA', 'AE'],
    },
    {
      case: 'AL/AL storing failed',
      request: enhanced('AL', 'AL'),
      outcome: STORE_FAILED,
      expected: ['CE'],
    },
    {
      case: 'AL/AL unacceptable bytes',
      request: enhanced('AL', 'AL'),
      outcome: REJECTED,
      expected: ['CR'],
    },
    { case: 'AL/NE success', request: enhanced('AL', 'NE'), outcome: STORED_AA, expected: ['CA'] },
    { case: 'NE/NE success', request: enhanced('NE', 'NE'), outcome: STORED_AA, expected: [] },
    {
      case: 'NE/NE storing failed',
      request: enhanced('NE', 'NE'),
      outcome: STORE_FAILED,
      expected: [],
    },
    { case: 'NE/AL success', request: enhanced('NE', 'AL'), outcome: STORED_AA, expected: ['AA'] },
    { case: 'ER/ER success', request: enhanced('ER', 'ER'), outcome: STORED_AA, expected: [] },
    {
      case: 'ER/ER application error',
      request: enhanced('ER', 'ER'),
      outcome: STORED_AE,
      expected: ['AE'],
    },
    {
      case: 'ER/ER storing failed',
      request: enhanced('ER', 'ER'),
      outcome: STORE_FAILED,
      expected: ['CE'],
    },
    {
      case: 'SU/SU success',
      request: enhanced('SU', 'SU'),
      outcome: STORED_AA,
      expected: ['CA', 'AA'],
    },
    {
      case: 'SU/SU application reject',
      request: enhanced('SU', 'SU'),
      outcome: STORED_AR,
      expected: ['CA'],
    },
    {
      case: 'SU/SU storing failed',
      request: enhanced('SU', 'SU'),
      outcome: STORE_FAILED,
      expected: [],
    },
  ])('$case', ({ request, outcome, expected }) => {
    expect(planAcks(request, outcome).map((ack) => ack.code)).toEqual(expected);
  });

  it.each([
    { case: 'original storing failed', request: ORIGINAL, outcome: STORE_FAILED, expected: ERROR },
    {
      case: 'enhanced storing failed',
      request: enhanced('AL', 'AL'),
      outcome: STORE_FAILED,
      expected: ERROR,
    },
    {
      case: 'application error',
      request: enhanced('AL', 'AL'),
      outcome: STORED_AE,
      expected: CONTENT_ERROR,
    },
  ])('error ACK carries its ERR: $case', ({ request, outcome, expected }) => {
    const acks = planAcks(request, outcome);

    expect(acks[acks.length - 1]?.error).toEqual(expected);
  });

  it('accept ACKs carry no ERR', () => {
    const acks = planAcks(enhanced('AL', 'AL'), STORED_AA);

    expect(acks.map((ack) => ack.error)).toEqual([undefined, undefined]);
  });
});
