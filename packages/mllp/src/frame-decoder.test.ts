// Real: the frame decoder fed hand-built byte streams in the chunk sizes TCP may deliver. Faked: nothing.
import { CARRIAGE_RETURN as CR, END_BLOCK as EB, START_BLOCK as SB } from './constants';
import {
  HEAD_BYTES,
  MllpFrameDecoder,
  type MllpDecodeEvent,
  type MllpFrame,
  type MllpFrameIssue,
} from './frame-decoder';

/** Concatenate strings (as ASCII) and single bytes into one stream. */
function stream(...parts: Array<string | number>): Uint8Array {
  const bytes: number[] = [];
  for (const part of parts) {
    if (typeof part === 'number') bytes.push(part);
    else for (const character of part) bytes.push(character.charCodeAt(0));
  }
  return Uint8Array.from(bytes);
}

function text(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('latin1');
}

function decodeAll(
  chunks: Uint8Array[],
  maxFrameBytes?: number,
): { frames: MllpFrame[]; issues: MllpFrameIssue[] } {
  const decoder = new MllpFrameDecoder(maxFrameBytes === undefined ? {} : { maxFrameBytes });
  const events: MllpDecodeEvent[] = [];
  for (const chunk of chunks) events.push(...decoder.push(chunk));
  events.push(...decoder.finish());
  return {
    frames: events.flatMap((event) => (event.kind === 'frame' ? [event.frame] : [])),
    issues: events.flatMap((event) => (event.kind === 'issue' ? [event.issue] : [])),
  };
}

const MESSAGE = 'MSH|^~\\&|A|B\rPID|1';
const FRAME = stream(SB, MESSAGE, EB, CR);

describe('MllpFrameDecoder', () => {
  it.each(
    Array.from({ length: FRAME.length + 1 }, (_, split) => ({
      case: `split at byte ${split}`,
      split,
    })),
  )('frame $case', ({ split }) => {
    const { frames, issues } = decodeAll([FRAME.subarray(0, split), FRAME.subarray(split)]);

    expect(frames.map((frame) => [text(frame.bytes), frame.index, frame.offset])).toEqual([
      [MESSAGE, 0, 0],
    ]);
    expect(issues).toEqual([]);
  });

  it('frame delivered one byte per chunk', () => {
    const chunks = Array.from(FRAME, (byte) => Uint8Array.of(byte));

    const { frames, issues } = decodeAll(chunks);

    expect(frames.map((frame) => text(frame.bytes))).toEqual([MESSAGE]);
    expect(issues).toEqual([]);
  });

  it('several frames in one chunk', () => {
    const chunk = stream(SB, 'MSH|1', EB, CR, SB, 'MSH|22', EB, CR, SB, 'MSH|333', EB, CR);

    const { frames, issues } = decodeAll([chunk]);

    expect(frames.map((frame) => text(frame.bytes))).toEqual(['MSH|1', 'MSH|22', 'MSH|333']);
    expect(frames.map((frame) => frame.index)).toEqual([0, 1, 2]);
    expect(frames.map((frame) => frame.offset)).toEqual([0, 8, 17]);
    expect(issues).toEqual([]);
  });

  it.each([
    { case: 'in one chunk', chunks: [stream('junk', SB, 'MSH|1', EB, CR)] },
    {
      case: 'split over chunks',
      chunks: [stream('ju'), stream('nk'), stream(SB, 'MSH|1', EB, CR)],
    },
  ])('junk before start block $case', ({ chunks }) => {
    const { frames, issues } = decodeAll(chunks);

    expect(frames.map((frame) => text(frame.bytes))).toEqual(['MSH|1']);
    expect(frames[0]?.offset).toBe(4);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'bytes-before-start-block',
      offset: 0,
      discardedBytes: 4,
    });
  });

  it('junk between frames and after the last', () => {
    const chunk = stream(SB, 'MSH|1', EB, CR, '\n\n', SB, 'MSH|2', EB, CR, 'xyz');

    const { frames, issues } = decodeAll([chunk]);

    expect(frames.map((frame) => text(frame.bytes))).toEqual(['MSH|1', 'MSH|2']);
    expect(issues.map((issue) => [issue.code, issue.offset, issue.discardedBytes])).toEqual([
      ['bytes-before-start-block', 8, 2],
      ['bytes-before-start-block', 18, 3],
    ]);
  });

  it('oversize frame ended by its end block', () => {
    const big = 'MSH|^~\\&|' + 'x'.repeat(40);
    const chunk = stream(SB, big, EB, CR, SB, 'MSH|ok', EB, CR);

    const { frames, issues } = decodeAll([chunk.subarray(0, 10), chunk.subarray(10)], 16);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'frame-too-large',
      offset: 0,
      discardedBytes: big.length,
      frameIndex: 0,
    });
    expect(text(issues[0]?.head ?? new Uint8Array(0))).toBe(big);
    expect(frames.map((frame) => [text(frame.bytes), frame.index])).toEqual([['MSH|ok', 1]]);
  });

  it('oversize frame keeps only its head', () => {
    const big = 'y'.repeat(HEAD_BYTES * 3);

    const { issues } = decodeAll([stream(SB, big, EB, CR)], 100);

    expect(issues[0]?.head?.length).toBe(HEAD_BYTES);
    expect(issues[0]?.discardedBytes).toBe(big.length);
  });

  it('oversize frame resynchronises at next start block', () => {
    const chunk = stream(SB, 'z'.repeat(30), SB, 'MSH|ok', EB, CR);

    const { frames, issues } = decodeAll([chunk], 16);

    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'frame-too-large', offset: 0, discardedBytes: 30 });
    expect(issues[0]?.frameIndex).toBeUndefined();
    expect(frames.map((frame) => [text(frame.bytes), frame.index, frame.offset])).toEqual([
      ['MSH|ok', 0, 31],
    ]);
  });

  it('frame of exactly maxFrameBytes is accepted', () => {
    const { frames, issues } = decodeAll([stream(SB, '12345678', EB, CR)], 8);

    expect(frames.map((frame) => text(frame.bytes))).toEqual(['12345678']);
    expect(issues).toEqual([]);
  });

  it('missing carriage return before next frame', () => {
    const chunk = stream(SB, 'MSH|1', EB, SB, 'MSH|2', EB, CR);

    const { frames, issues } = decodeAll([chunk]);

    expect(frames.map((frame) => text(frame.bytes))).toEqual(['MSH|1', 'MSH|2']);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'missing-carriage-return',
      offset: 7,
      discardedBytes: 0,
    });
  });

  it('missing carriage return at end of stream', () => {
    const decoder = new MllpFrameDecoder();

    const pushed = decoder.push(stream(SB, 'MSH|1', EB));
    const finished = decoder.finish();

    expect(pushed).toEqual([
      { kind: 'frame', frame: { index: 0, offset: 0, bytes: stream('MSH|1') } },
    ]);
    expect(finished).toHaveLength(1);
    expect(finished[0]).toMatchObject({
      kind: 'issue',
      issue: { code: 'missing-carriage-return', offset: 7 },
    });
  });

  it('start block inside frame restarts it', () => {
    const chunk = stream(SB, 'MSH|lost', SB, 'MSH|kept', EB, CR);

    const { frames, issues } = decodeAll([chunk]);

    expect(frames.map((frame) => [text(frame.bytes), frame.index, frame.offset])).toEqual([
      ['MSH|kept', 0, 9],
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({
      code: 'start-block-inside-frame',
      offset: 0,
      discardedBytes: 8,
    });
  });

  it('stream ending inside a frame', () => {
    const { frames, issues } = decodeAll([stream(SB, 'MSH|1', EB, CR, SB, 'MSH|pa')]);

    expect(frames).toHaveLength(1);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'incomplete-frame', offset: 8, discardedBytes: 6 });
  });

  it('discarded byte count adds every issue', () => {
    const decoder = new MllpFrameDecoder({ maxFrameBytes: 4 });

    decoder.push(stream('abc', SB, 'toolong', EB, CR, SB, 'ab', SB, 'ok', EB, CR, SB, 'rest'));
    decoder.finish();

    // 3 junk + 7 oversize + 2 restarted + 4 incomplete
    expect(decoder.discardedByteCount).toBe(16);
  });

  it('frame bytes are copied from the chunk', () => {
    const chunk = Buffer.from(stream(SB, 'MSH|1', EB, CR));
    const decoder = new MllpFrameDecoder();

    const [event] = decoder.push(chunk);
    chunk.fill(0);

    expect(event?.kind).toBe('frame');
    expect(event?.kind === 'frame' ? text(event.frame.bytes) : undefined).toBe('MSH|1');
  });

  it.each([
    { case: 'zero', maxFrameBytes: 0 },
    { case: 'fraction', maxFrameBytes: 1.5 },
  ])('rejects maxFrameBytes $case', ({ maxFrameBytes }) => {
    expect(() => new MllpFrameDecoder({ maxFrameBytes })).toThrow(
      /maxFrameBytes must be a positive integer/,
    );
  });
});
