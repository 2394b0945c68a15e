import { CARRIAGE_RETURN, DEFAULT_MAX_FRAME_BYTES, END_BLOCK, START_BLOCK } from './constants';
import { MllpError } from './errors';

/** One message taken out of its frame. */
export interface MllpFrame {
  /** 0-based count of the frames that ended before this one on the stream, rejected ones included. */
  index: number;
  /** 0-based offset of the start block in the byte stream. */
  offset: number;
  /** The message bytes between the start block and the end block. */
  bytes: Uint8Array;
}

export type MllpFrameIssueCode =
  /** Bytes outside any frame: before the first start block or between frames. They are discarded. */
  | 'bytes-before-start-block'
  /** A frame longer than `maxFrameBytes`. Its bytes are discarded up to its end block or the next start block. */
  | 'frame-too-large'
  /** The end block is not followed by a carriage return. The frame is kept. */
  | 'missing-carriage-return'
  /** A start block before the end block of the open frame. The open frame is discarded and a new one starts. */
  | 'start-block-inside-frame'
  /** The stream ended inside a frame. The partial frame is discarded. */
  | 'incomplete-frame';

/** A framing problem, described by offsets and byte counts only. */
export interface MllpFrameIssue {
  code: MllpFrameIssueCode;
  /** 0-based offset in the byte stream where the affected bytes start. */
  offset: number;
  /** Bytes discarded because of this issue; 0 for `missing-carriage-return`. */
  discardedBytes: number;
  reason: string;
  /**
   * For `frame-too-large` when the frame ended with its end block: the index the frame took.
   * The sender waits for an ACK to that frame, so a receiver rejects it rather than staying silent.
   */
  frameIndex?: number;
  /** For `frame-too-large`: the first bytes of the frame (at most `HEAD_BYTES`), to read its MSH from. */
  head?: Uint8Array;
}

export type MllpDecodeEvent =
  { kind: 'frame'; frame: MllpFrame } | { kind: 'issue'; issue: MllpFrameIssue };

export interface MllpFrameDecoderOptions {
  /** Largest message accepted between the start and end blocks, in bytes. */
  maxFrameBytes?: number;
}

/** Bytes of an oversize frame kept so that its MSH can still be read. */
export const HEAD_BYTES = 4096;

type DecoderState = 'between-frames' | 'in-frame' | 'oversize-frame' | 'after-end-block';

/**
 * Splits an MLLP byte stream (0x0B message 0x1C 0x0D, repeated) into messages. It accepts the
 * stream in chunks of any size, as TCP delivers it, and returns frames and issues in stream
 * order. It does no I/O. A frame is returned as soon as its end block arrives, without waiting
 * for the carriage return, so a sender that omits the carriage return still gets its ACK.
 */
export class MllpFrameDecoder {
  private readonly maxFrameBytes: number;
  private state: DecoderState = 'between-frames';
  /** Offset of the first byte of the next chunk. */
  private streamOffset = 0;
  private nextFrameIndex = 0;
  private junkOffset = 0;
  private junkBytes = 0;
  private frameOffset = 0;
  private frameParts: Uint8Array[] = [];
  private frameBytes = 0;
  private oversizeHead: Uint8Array = new Uint8Array(0);
  private totalDiscardedBytes = 0;

  constructor(options: MllpFrameDecoderOptions = {}) {
    const maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (!Number.isSafeInteger(maxFrameBytes) || maxFrameBytes < 1) {
      throw new MllpError(`maxFrameBytes must be a positive integer, got ${maxFrameBytes}`);
    }
    this.maxFrameBytes = maxFrameBytes;
  }

  /** Bytes discarded so far: outside frames, in rejected or restarted frames, and in a frame cut off by `finish`. */
  get discardedByteCount(): number {
    return this.totalDiscardedBytes;
  }

  /** True while a frame has started and not ended, so `finish` would discard it. */
  get isInsideFrame(): boolean {
    return this.state === 'in-frame' || this.state === 'oversize-frame';
  }

  /** Decode the next chunk of the stream. The chunk is copied, so the caller may reuse it. */
  push(chunk: Uint8Array): MllpDecodeEvent[] {
    const events: MllpDecodeEvent[] = [];
    let position = 0;
    while (position < chunk.length) {
      position = this.step(chunk, position, events);
    }
    this.streamOffset += chunk.length;
    return events;
  }

  /** End the stream: report and discard a partial frame or trailing bytes outside frames. */
  finish(): MllpDecodeEvent[] {
    const events: MllpDecodeEvent[] = [];
    switch (this.state) {
      case 'in-frame':
        this.report(events, {
          code: 'incomplete-frame',
          offset: this.frameOffset,
          discardedBytes: this.frameBytes,
          reason: `the stream ended inside the frame that starts at offset ${this.frameOffset}, after ${this.frameBytes} byte(s) and before its end block`,
        });
        break;
      case 'oversize-frame':
        this.reportOversize(events, 'the stream ended');
        break;
      case 'after-end-block':
        this.reportMissingCarriageReturn(events, this.streamOffset);
        break;
      case 'between-frames':
        this.reportJunk(events);
        break;
    }
    this.state = 'between-frames';
    this.frameParts = [];
    this.frameBytes = 0;
    return events;
  }

  /** Consume bytes from `position` in the current state and return the position to continue from. */
  private step(chunk: Uint8Array, position: number, events: MllpDecodeEvent[]): number {
    switch (this.state) {
      case 'between-frames':
        return this.stepBetweenFrames(chunk, position, events);
      case 'in-frame':
      case 'oversize-frame':
        return this.stepInFrame(chunk, position, events);
      case 'after-end-block':
        if (chunk[position] === CARRIAGE_RETURN) {
          this.state = 'between-frames';
          return position + 1;
        }
        // The byte is not consumed: it may be the start block of the next frame.
        this.reportMissingCarriageReturn(events, this.streamOffset + position);
        this.state = 'between-frames';
        return position;
    }
  }

  private stepBetweenFrames(
    chunk: Uint8Array,
    position: number,
    events: MllpDecodeEvent[],
  ): number {
    const start = chunk.indexOf(START_BLOCK, position);
    const junkEnd = start < 0 ? chunk.length : start;
    if (junkEnd > position) {
      if (this.junkBytes === 0) this.junkOffset = this.streamOffset + position;
      this.junkBytes += junkEnd - position;
    }
    if (start < 0) return chunk.length;

    this.reportJunk(events);
    this.openFrame(this.streamOffset + start);
    return start + 1;
  }

  private stepInFrame(chunk: Uint8Array, position: number, events: MllpDecodeEvent[]): number {
    const boundary = findBlockByte(chunk, position);
    const dataEnd = boundary < 0 ? chunk.length : boundary;
    if (dataEnd > position) this.appendData(chunk.subarray(position, dataEnd));
    if (boundary < 0) return chunk.length;

    if (chunk[boundary] === START_BLOCK) {
      if (this.state === 'oversize-frame') {
        this.reportOversize(events, 'a start block arrived before its end block');
      } else {
        this.report(events, {
          code: 'start-block-inside-frame',
          offset: this.frameOffset,
          discardedBytes: this.frameBytes,
          reason: `a start block at offset ${this.streamOffset + boundary} arrived before the end block of the frame that starts at offset ${this.frameOffset}; its ${this.frameBytes} byte(s) are discarded`,
        });
      }
      this.openFrame(this.streamOffset + boundary);
      return boundary + 1;
    }

    if (this.state === 'oversize-frame') {
      this.reportOversize(events, 'its end block arrived', this.nextFrameIndex++);
    } else {
      const bytes = concatBytes(this.frameParts, this.frameBytes);
      events.push({
        kind: 'frame',
        frame: { index: this.nextFrameIndex++, offset: this.frameOffset, bytes },
      });
    }
    this.frameParts = [];
    this.frameBytes = 0;
    this.state = 'after-end-block';
    return boundary + 1;
  }

  private appendData(data: Uint8Array): void {
    if (this.state === 'oversize-frame') {
      this.frameBytes += data.length;
      return;
    }
    if (this.frameBytes + data.length <= this.maxFrameBytes) {
      // A Buffer's slice() shares memory, so copy through the Uint8Array constructor.
      this.frameParts.push(new Uint8Array(data));
      this.frameBytes += data.length;
      return;
    }

    // Keep only the head, so that memory stays bounded however long the frame runs.
    const buffered = concatBytes(this.frameParts, this.frameBytes);
    const head = new Uint8Array(Math.min(HEAD_BYTES, this.frameBytes + data.length));
    head.set(buffered.subarray(0, head.length));
    if (buffered.length < head.length)
      head.set(data.subarray(0, head.length - buffered.length), buffered.length);
    this.oversizeHead = head;
    this.frameParts = [];
    this.frameBytes += data.length;
    this.state = 'oversize-frame';
  }

  private openFrame(offset: number): void {
    this.state = 'in-frame';
    this.frameOffset = offset;
    this.frameParts = [];
    this.frameBytes = 0;
  }

  private reportOversize(events: MllpDecodeEvent[], ending: string, frameIndex?: number): void {
    const issue: MllpFrameIssue = {
      code: 'frame-too-large',
      offset: this.frameOffset,
      discardedBytes: this.frameBytes,
      reason: `the frame that starts at offset ${this.frameOffset} holds ${this.frameBytes} byte(s), more than the maximum of ${this.maxFrameBytes}; it is discarded up to where ${ending}`,
      head: this.oversizeHead,
    };
    if (frameIndex !== undefined) issue.frameIndex = frameIndex;
    this.report(events, issue);
    this.oversizeHead = new Uint8Array(0);
  }

  private reportMissingCarriageReturn(events: MllpDecodeEvent[], offset: number): void {
    this.report(events, {
      code: 'missing-carriage-return',
      offset,
      discardedBytes: 0,
      reason: `the end block before offset ${offset} is not followed by a carriage return (0x0D); the frame is kept`,
    });
  }

  private reportJunk(events: MllpDecodeEvent[]): void {
    if (this.junkBytes === 0) return;
    this.report(events, {
      code: 'bytes-before-start-block',
      offset: this.junkOffset,
      discardedBytes: this.junkBytes,
      reason: `${this.junkBytes} byte(s) outside any frame, from offset ${this.junkOffset}, are discarded`,
    });
    this.junkBytes = 0;
  }

  private report(events: MllpDecodeEvent[], issue: MllpFrameIssue): void {
    this.totalDiscardedBytes += issue.discardedBytes;
    events.push({ kind: 'issue', issue });
  }
}

/** Index of the next start or end block at or after `from`, or -1. */
function findBlockByte(chunk: Uint8Array, from: number): number {
  for (let index = from; index < chunk.length; index++) {
    const byte = chunk[index];
    if (byte === START_BLOCK || byte === END_BLOCK) return index;
  }
  return -1;
}

function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined && parts[0].length === length) return parts[0];
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
