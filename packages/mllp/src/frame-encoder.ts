import { CARRIAGE_RETURN, END_BLOCK, START_BLOCK } from './constants';
import { MllpProtocolError } from './errors';

const utf8Encoder = new TextEncoder();

/**
 * Put one message in an MLLP frame: 0x0B, the message, 0x1C 0x0D. A string is encoded as UTF-8.
 * @throws MllpProtocolError when the message contains a start or end block byte, because the
 * receiver would cut the frame there.
 */
export function encodeMllpFrame(message: Uint8Array | string): Uint8Array {
  const bytes = typeof message === 'string' ? utf8Encoder.encode(message) : message;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === START_BLOCK || byte === END_BLOCK) {
      throw new MllpProtocolError(
        `the message contains byte 0x${byte.toString(16).padStart(2, '0')} at offset ${index}, which MLLP reserves for framing`,
        {
          hint: 'Remove the control character from the message, or escape it as \\X0B\\ or \\X1C\\ in the field that holds it.',
        },
      );
    }
  }

  const frame = new Uint8Array(bytes.length + 3);
  frame[0] = START_BLOCK;
  frame.set(bytes, 1);
  frame[bytes.length + 1] = END_BLOCK;
  frame[bytes.length + 2] = CARRIAGE_RETURN;
  return frame;
}
