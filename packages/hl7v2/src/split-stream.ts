import { Hl7StreamError } from './errors';
import { classifySegmentStart, SEGMENT_START_LOOKAHEAD } from './scan';

/** One piece of a byte stream: a message, an envelope segment, or text before the first of them. */
export type Hl7StreamPiece =
  | (Hl7PieceBytes & {
      kind: 'message';
      /** 0-based message index in the stream, the same `Hl7Message.index` parsing gives. */
      index: number;
    })
  | (Hl7PieceBytes & {
      kind: 'envelope';
      /** The envelope segment the piece starts with; segments after it up to the next boundary belong to no message. */
      segmentId: 'FHS' | 'BHS' | 'BTS' | 'FTS';
    })
  | (Hl7PieceBytes & {
      /** Segments or text at the start of the stream, before any MSH or envelope segment. */
      kind: 'leading';
    });

export interface Hl7PieceBytes {
  /** The piece as received, its segment terminators included. */
  bytes: Uint8Array;
  /** 1-based line of the stream where the piece starts, counting CR, LF and CRLF as line breaks. */
  line: number;
  /** Offset of the piece's first byte in the stream. */
  byteOffset: number;
}

export interface Hl7SplitOptions {
  /** Largest piece allowed, in bytes; a longer one raises `Hl7StreamError`. Unlimited when not set. */
  maxPieceBytes?: number;
}

const CR = 0x0d;
const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const HEAD_BYTES = UTF8_BOM.length + SEGMENT_START_LOOKAHEAD;

/**
 * Split a byte stream into messages at segment starts, one piece at a time, so that memory
 * contains at most one piece and one chunk. A message starts at `MSH` and a field separator at
 * the start of a line, and FHS, BHS, BTS and FTS start envelope pieces. Boundaries are found
 * exactly as `parseHl7File` finds them, even when a boundary, a CRLF or a byte-order mark is
 * split between two chunks. A UTF-8 byte-order mark at the start of the stream is skipped.
 * @throws Hl7StreamError when a piece grows past `maxPieceBytes`.
 */
export async function* splitHl7Stream(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: Hl7SplitOptions = {},
): AsyncGenerator<Hl7StreamPiece> {
  const splitter = new PieceSplitter(options.maxPieceBytes);
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) {
      throw new Hl7StreamError('the stream yielded a chunk that is not a Uint8Array', {
        hint: 'Pass a byte stream, such as a file read stream without an encoding.',
      });
    }
    yield* splitter.push(chunk);
  }
  yield* splitter.end();
}

type PieceStart =
  | { kind: 'message'; index: number }
  | { kind: 'envelope'; segmentId: 'FHS' | 'BHS' | 'BTS' | 'FTS' };

class PieceSplitter {
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  private piece: { start: PieceStart | undefined; line: number; byteOffset: number } = {
    start: undefined,
    line: 1,
    byteOffset: 0,
  };
  private messageIndex = 0;
  private fieldSeparator = '|';
  /** Stream offset of the next byte to read. */
  private offset = 0;
  private line = 1;
  /** Bytes at the start of the current line, while too few have arrived to classify it. */
  private head: number[] | undefined = [];
  private lineStartOffset = 0;
  /** True when the last chunk ended with a CR that may be the first half of a CRLF. */
  private pendingCr = false;

  constructor(private readonly maxPieceBytes: number | undefined) {}

  *push(chunk: Uint8Array): Generator<Hl7StreamPiece> {
    let position = 0;
    while (position < chunk.length) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (chunk[position] === LF) position = this.append(chunk, position, position + 1);
        this.startLine();
        continue;
      }
      if (this.head !== undefined) {
        position = this.collectHead(chunk, position);
        if (this.head.length < HEAD_BYTES && position >= chunk.length) return;
        yield* this.classifyLine();
        continue;
      }
      position = this.readToLineBreak(chunk, position);
    }
  }

  *end(): Generator<Hl7StreamPiece> {
    if (this.head !== undefined && this.head.length > 0) yield* this.classifyLine();
    if (this.partsLength > 0) yield this.takePiece();
  }

  /** Read up to and including the next line break, or to the end of the chunk. */
  private readToLineBreak(chunk: Uint8Array, position: number): number {
    const next = nextLineBreak(chunk, position);
    if (next < 0) return this.append(chunk, position, chunk.length);
    const afterBreak = this.append(chunk, position, next + 1);
    if (chunk[next] === LF) {
      this.startLine();
      return afterBreak;
    }
    if (afterBreak >= chunk.length) {
      this.pendingCr = true;
      return afterBreak;
    }
    const afterCrLf =
      chunk[afterBreak] === LF ? this.append(chunk, afterBreak, afterBreak + 1) : afterBreak;
    this.startLine();
    return afterCrLf;
  }

  private collectHead(chunk: Uint8Array, position: number): number {
    const head = this.head ?? [];
    let index = position;
    while (index < chunk.length && head.length < HEAD_BYTES) {
      const byte = chunk[index] ?? 0;
      if (byte === CR || byte === LF) {
        // The line is shorter than the lookahead: what arrived is the whole head.
        this.head = head;
        this.completeHead(head);
        return index;
      }
      head.push(byte);
      index += 1;
    }
    return index;
  }

  /** Mark a head as complete although it is shorter than `HEAD_BYTES`. */
  private completeHead(head: number[]): void {
    while (head.length < HEAD_BYTES) head.push(-1);
  }

  /** Decide whether the line in `head` starts a piece, then move its bytes into the current piece. */
  private *classifyLine(): Generator<Hl7StreamPiece> {
    const head = (this.head ?? []).filter((byte) => byte >= 0);
    this.head = undefined;

    const hasMark = UTF8_BOM.every((byte, index) => head[index] === byte);
    let content = head;
    if (hasMark && this.lineStartOffset === 0) {
      // The mark that opens the stream is no part of it, as in parseHl7File.
      content = head.slice(UTF8_BOM.length);
      head.splice(0, UTF8_BOM.length);
      this.offset = UTF8_BOM.length;
      this.lineStartOffset = UTF8_BOM.length;
      this.piece.byteOffset = UTF8_BOM.length;
    } else if (hasMark) {
      content = head.slice(UTF8_BOM.length);
    }

    const text = String.fromCharCode(...content.slice(0, SEGMENT_START_LOOKAHEAD));
    const start = this.pieceStart(text);
    if (start !== undefined) {
      if (this.partsLength > 0) yield this.takePiece();
      this.piece = { start, line: this.line, byteOffset: this.lineStartOffset };
    }
    this.appendBytes(Uint8Array.from(head));
  }

  private pieceStart(text: string): PieceStart | undefined {
    const start = classifySegmentStart(text, this.fieldSeparator);
    if (start === undefined) return undefined;
    const id = text.slice(0, 3);
    if (start === 'header') {
      if (text.length > 3) this.fieldSeparator = text.charAt(3);
      if (id === 'MSH') return { kind: 'message', index: this.messageIndex++ };
      if (id === 'FHS' || id === 'BHS') return { kind: 'envelope', segmentId: id };
    }
    if (id === 'BTS' || id === 'FTS') return { kind: 'envelope', segmentId: id };
    return undefined;
  }

  private takePiece(): Hl7StreamPiece {
    const bytes = concat(this.parts, this.partsLength);
    const { start, line, byteOffset } = this.piece;
    this.parts = [];
    this.partsLength = 0;
    if (start === undefined) return { kind: 'leading', bytes, line, byteOffset };
    if (start.kind === 'message')
      return { kind: 'message', index: start.index, bytes, line, byteOffset };
    return { kind: 'envelope', segmentId: start.segmentId, bytes, line, byteOffset };
  }

  private startLine(): void {
    this.line += 1;
    this.head = [];
    this.lineStartOffset = this.offset;
  }

  /** Copy `chunk[from, to)` into the current piece; return `to`. */
  private append(chunk: Uint8Array, from: number, to: number): number {
    if (to > from) this.appendBytes(chunk.slice(from, to));
    return to;
  }

  private appendBytes(bytes: Uint8Array): void {
    this.offset += bytes.length;
    if (bytes.length === 0) return;
    this.parts.push(bytes);
    this.partsLength += bytes.length;
    if (this.maxPieceBytes !== undefined && this.partsLength > this.maxPieceBytes) {
      throw new Hl7StreamError(
        `the piece starting at line ${this.piece.line} (byte ${this.piece.byteOffset}) is longer than ${this.maxPieceBytes} bytes`,
        {
          position: { line: this.piece.line },
          hint: 'Check that the stream contains HL7 v2 messages separated by CR, or raise maxPieceBytes.',
        },
      );
    }
  }
}

function nextLineBreak(chunk: Uint8Array, from: number): number {
  const cr = chunk.indexOf(CR, from);
  const lf = chunk.indexOf(LF, from);
  if (cr < 0) return lf;
  if (lf < 0) return cr;
  return Math.min(cr, lf);
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
