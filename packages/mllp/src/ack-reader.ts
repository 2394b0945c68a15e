import { Hl7ParseError, parseHl7Message, type Hl7Message } from '@carelake/hl7v2';
import { ACK_CODES, type AckCode } from './ack-codes';
import { MllpProtocolError } from './errors';

/** An ACK as the client received it. */
export interface MllpAck {
  /** MSA-1. */
  code: AckCode;
  /** MSA-2: the MSH-10 of the acknowledged message, when the receiver could read it. */
  acknowledgedControlId: string | undefined;
  /** The parsed ACK, to read MSH and ERR fields from. */
  message: Hl7Message;
  /** The frame's bytes as received. */
  bytes: Uint8Array;
}

/**
 * Parse an ACK frame and read its MSA.
 * @throws MllpProtocolError when the frame is not one HL7 message or MSA-1 is not an ACK code.
 */
export function readAck(bytes: Uint8Array, frameIndex: number): MllpAck {
  let message: Hl7Message;
  try {
    message = parseHl7Message(bytes).message;
  } catch (error) {
    if (!(error instanceof Hl7ParseError)) throw error;
    throw new MllpProtocolError(
      `response frame ${frameIndex} is not an HL7 v2 message: ${error.problem.code}`,
      {
        cause: error,
        position: { record: frameIndex },
      },
    );
  }

  const code = message.get('MSA-1') ?? undefined;
  if (code === undefined || !ACK_CODES.includes(code as AckCode)) {
    throw new MllpProtocolError(
      `response frame ${frameIndex} has ${code === undefined ? 'no MSA-1' : 'an MSA-1 outside HL7 table 0008'}`,
      {
        position: { record: frameIndex, segment: 'MSA', field: 'MSA-1' },
        hint: `Expected one of ${ACK_CODES.join(', ')}.`,
      },
    );
  }
  return {
    code: code as AckCode,
    acknowledgedControlId: message.get('MSA-2') ?? undefined,
    message,
    bytes,
  };
}
