// Real: the frame encoder and decoder on in-memory bytes. Faked: nothing.
import { MllpProtocolError } from './errors';
import { MllpFrameDecoder } from './frame-decoder';
import { encodeMllpFrame } from './frame-encoder';

describe('encodeMllpFrame', () => {
  it('wraps message in start and end blocks', () => {
    const frame = encodeMllpFrame('MSH|1');

    expect(Array.from(frame)).toEqual([0x0b, 0x4d, 0x53, 0x48, 0x7c, 0x31, 0x1c, 0x0d]);
  });

  it('encodes strings as UTF-8', () => {
    const frame = encodeMllpFrame('MSH|é');

    expect(Array.from(frame.subarray(5, 7))).toEqual([0xc3, 0xa9]);
    expect(frame.length).toBe(9);
  });

  it('round-trips through the decoder', () => {
    const message = Buffer.from('MSH|^~\\&|A\rPID|1\r', 'latin1');

    const events = new MllpFrameDecoder().push(encodeMllpFrame(message));

    expect(events).toEqual([
      { kind: 'frame', frame: { index: 0, offset: 0, bytes: new Uint8Array(message) } },
    ]);
  });

  it.each([
    { case: 'start block', byte: 0x0b, pattern: /byte 0x0b at offset 4/ },
    { case: 'end block', byte: 0x1c, pattern: /byte 0x1c at offset 4/ },
  ])('rejects message containing $case', ({ byte, pattern }) => {
    const message = Uint8Array.of(0x4d, 0x53, 0x48, 0x7c, byte);

    expect(() => encodeMllpFrame(message)).toThrow(MllpProtocolError);
    expect(() => encodeMllpFrame(message)).toThrow(pattern);
  });
});
