import { Hl7StreamError } from './errors';
import { classifySegmentStart, isHeaderIdCodes, SEGMENT_START_LOOKAHEAD } from './scan';
import type { Hl7StreamPiece } from './split-stream';

const CR = 0x0d;
const LF = 0x0a;
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const HEAD_BYTES = UTF8_BOM.length + SEGMENT_START_LOOKAHEAD;
const NO_BYTES = new Uint8Array(0);

type PieceStart =
  | { kind: 'message'; index: number }
  | { kind: 'envelope'; segmentId: 'FHS' | 'BHS' | 'BTS' | 'FTS' };

export interface PieceSplitterOptions {
  /** Largest piece allowed, in bytes; a longer one raises `Hl7StreamError`. */
  maxPieceBytes: number | undefined;
  /**
   * True to copy each chunk once and hand out pieces that share that copy, which suits a caller
   * that keeps few pieces. False to copy each piece on its own. Either way the caller's chunks
   * may be reused once pushed.
   */
  shareChunkCopies: boolean;
}

/**
 * Splits a byte stream into pieces, one chunk at a time, as `splitHl7Stream` describes. Bytes
 * are read where they lie in the chunk. Line breaks are found with two `indexOf` searches whose
 * results are kept until passed, and a line start is classified from its first bytes in place.
 * The bytes of a piece are copied once. Only the first bytes of a line that a chunk boundary
 * cuts are gathered one by one.
 */
export class PieceSplitter {
  /** Bytes of the current piece from earlier chunks. */
  private carried: Uint8Array[] = [];
  private carriedLength = 0;
  /** The chunk being read, its offset in the stream, and where the current piece starts in it. */
  private chunk: Uint8Array = NO_BYTES;
  private chunkOffset = 0;
  private pieceStartInChunk = 0;
  private piece: { start: PieceStart | undefined; line: number; byteOffset: number } = {
    start: undefined,
    line: 1,
    byteOffset: 0,
  };
  private messageIndex = 0;
  private fieldSeparator = '|';
  private line = 1;
  /** True from the start of a line until its first bytes are classified. */
  private atLineStart = true;
  /** First bytes of the current line that arrived in earlier chunks, while too few have arrived to classify it. */
  private head: number[] = [];
  /** Stream offset where the current line starts. */
  private lineStartOffset = 0;
  /** True when the last chunk ended with a CR that may be the first half of a CRLF. */
  private pendingCr = false;
  private readonly lineBreaks = new ByteLineBreaks();

  constructor(private readonly options: PieceSplitterOptions) {}

  *push(chunk: Uint8Array): Generator<Hl7StreamPiece> {
    this.chunk = this.options.shareChunkCopies ? new Uint8Array(chunk) : chunk;
    this.pieceStartInChunk = 0;
    this.lineBreaks.reset(this.chunk);
    let position = 0;
    while (position < chunk.length) {
      if (this.pendingCr) {
        this.pendingCr = false;
        if (this.chunk[position] === LF) position = this.consume(position + 1);
        this.startLine(position);
        continue;
      }
      if (this.atLineStart) {
        const headEnd = this.findHeadEnd(position);
        if (headEnd < 0) {
          // The chunk ended before the line's first bytes could be classified.
          this.endChunk(position);
          return;
        }
        const completed = this.classifyHead(position, headEnd);
        if (completed !== undefined) yield completed;
        position = this.consume(headEnd);
        continue;
      }
      position = this.readToLineBreak(position);
    }
    this.endChunk(chunk.length);
  }

  *end(): Generator<Hl7StreamPiece> {
    this.chunk = NO_BYTES;
    this.pieceStartInChunk = 0;
    if (this.atLineStart && this.head.length > 0) {
      // The stream ended inside the first bytes of its last line: classify what arrived.
      const completed = this.classifyLine(this.head, 0, this.head.length, this.head.length);
      if (completed !== undefined) yield completed;
      this.consume(0);
    }
    if (this.pieceLength(0) > 0) yield this.takePiece(0);
  }

  /**
   * Find the end of the first `HEAD_BYTES` bytes of the line starting at `position`, stopping at
   * its line break. Returns -1, keeping the bytes, when the chunk ends before enough arrived.
   */
  private findHeadEnd(position: number): number {
    const chunk = this.chunk;
    const lineBreak = this.lineBreaks.next(position);
    const headLimit = position + HEAD_BYTES - this.head.length;
    const end = Math.min(chunk.length, headLimit, lineBreak < 0 ? chunk.length : lineBreak);
    if (lineBreak >= 0 || end >= headLimit) return end;
    for (let index = position; index < end; index++) this.head.push(chunk[index] ?? 0);
    return -1;
  }

  /** `classifyLine` for the first bytes of a line, `chunk[position, end)` after any kept from earlier chunks. */
  private classifyHead(position: number, end: number): Hl7StreamPiece | undefined {
    const keptLength = this.head.length;
    if (keptLength === 0) return this.classifyLine(this.chunk, position, end, 0);
    // The line started in an earlier chunk: classify the bytes kept from there and these.
    const head = this.head;
    for (let index = position; index < end; index++) head.push(this.chunk[index] ?? 0);
    return this.classifyLine(head, 0, head.length, keptLength);
  }

  /**
   * Decide whether the line whose first bytes are `bytes[from, to)` starts a piece, and make those
   * bytes part of the current piece. The first `keptLength` of them arrived in earlier chunks and
   * are in `head`; the others lie in the current chunk, from the line start on. Returns the
   * previous piece when the line starts a new one.
   */
  private classifyLine(
    bytes: ArrayLike<number>,
    from: number,
    to: number,
    keptLength: number,
  ): Hl7StreamPiece | undefined {
    const lineStartInChunk = this.lineStartInChunk();
    const hasMark = to - from >= UTF8_BOM.length && startsWithMark(bytes, from);
    let dropped = 0;
    if (hasMark && this.lineStartOffset === 0) {
      // The mark that opens the stream is no part of it, as in parseHl7File.
      dropped = UTF8_BOM.length;
      this.lineStartOffset = UTF8_BOM.length;
      this.piece.byteOffset = UTF8_BOM.length;
    }

    let completed: Hl7StreamPiece | undefined;
    const start = this.pieceStart(bytes, hasMark ? from + UTF8_BOM.length : from, to);
    if (start !== undefined) {
      if (this.pieceLength(lineStartInChunk) > 0) completed = this.takePiece(lineStartInChunk);
      this.piece = { start, line: this.line, byteOffset: this.lineStartOffset };
      this.pieceStartInChunk = lineStartInChunk;
    }
    this.atLineStart = false;

    // Bytes kept from earlier chunks join the piece as a copy; the chunk's own stay in place.
    if (keptLength > dropped) this.carry(Uint8Array.from(this.head.slice(dropped, keptLength)));
    this.pieceStartInChunk += Math.max(0, dropped - keptLength);
    if (keptLength > 0) this.head = [];
    return completed;
  }

  /** Find what a line starting with `bytes[from, to)` (its byte-order mark skipped) starts, if anything. */
  private pieceStart(bytes: ArrayLike<number>, from: number, to: number): PieceStart | undefined {
    // Only MSH, FHS, BHS, BTS and FTS start pieces, and no other id changes the field separator.
    if (to - from < 3 || !isPieceBoundaryId(bytes[from], bytes[from + 1], bytes[from + 2])) {
      return undefined;
    }
    let text = '';
    for (let index = from; index < Math.min(to, from + SEGMENT_START_LOOKAHEAD); index++) {
      text += String.fromCharCode(bytes[index] ?? 0);
    }
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

  /** Read up to and including the next line break, or to the end of the chunk. */
  private readToLineBreak(position: number): number {
    const chunk = this.chunk;
    const next = this.lineBreaks.next(position);
    if (next < 0) return this.consume(chunk.length);
    const afterBreak = this.consume(next + 1);
    if (chunk[next] === LF) {
      this.startLine(afterBreak);
      return afterBreak;
    }
    if (afterBreak >= chunk.length) {
      this.pendingCr = true;
      return afterBreak;
    }
    const afterCrLf = chunk[afterBreak] === LF ? this.consume(afterBreak + 1) : afterBreak;
    this.startLine(afterCrLf);
    return afterCrLf;
  }

  /** Take the chunk's bytes up to `position` into the current piece; return `position`. */
  private consume(position: number): number {
    const length = this.pieceLength(position);
    if (this.options.maxPieceBytes !== undefined && length > this.options.maxPieceBytes) {
      throw new Hl7StreamError(
        `the piece starting at line ${this.piece.line} (byte ${this.piece.byteOffset}) is longer than ${this.options.maxPieceBytes} bytes`,
        {
          position: { line: this.piece.line },
          hint: 'Check that the stream contains HL7 v2 messages separated by CR, or raise maxPieceBytes.',
        },
      );
    }
    return position;
  }

  private startLine(positionInChunk: number): void {
    this.line += 1;
    this.atLineStart = true;
    this.lineStartOffset = this.chunkOffset + positionInChunk;
  }

  /** Return the offset of the current line's start in the chunk; 0 when it started in an earlier chunk. */
  private lineStartInChunk(): number {
    return Math.max(0, this.lineStartOffset - this.chunkOffset);
  }

  /** Length of the current piece if it ended at `endInChunk`. */
  private pieceLength(endInChunk: number): number {
    return this.carriedLength + Math.max(0, endInChunk - this.pieceStartInChunk);
  }

  /** Keep the piece's bytes of this chunk up to `endInChunk` before the next chunk replaces it. */
  private endChunk(endInChunk: number): void {
    if (endInChunk > this.pieceStartInChunk) {
      this.carry(this.pieceBytes(this.chunk, this.pieceStartInChunk, endInChunk));
    }
    this.chunkOffset += this.chunk.length;
    this.chunk = NO_BYTES;
    this.pieceStartInChunk = 0;
  }

  private carry(bytes: Uint8Array): void {
    this.carried.push(bytes);
    this.carriedLength += bytes.length;
  }

  /** Hand over the current piece, which ends at `endInChunk`. */
  private takePiece(endInChunk: number): Hl7StreamPiece {
    const bytes =
      this.carried.length === 0
        ? this.pieceBytes(this.chunk, this.pieceStartInChunk, endInChunk)
        : joinBytes(
            this.carried,
            this.carriedLength,
            this.chunk.subarray(this.pieceStartInChunk, endInChunk),
          );
    const { start, line, byteOffset } = this.piece;
    this.carried = [];
    this.carriedLength = 0;
    this.pieceStartInChunk = endInChunk;
    if (start === undefined) return { kind: 'leading', bytes, line, byteOffset };
    if (start.kind === 'message')
      return { kind: 'message', index: start.index, bytes, line, byteOffset };
    return { kind: 'envelope', segmentId: start.segmentId, bytes, line, byteOffset };
  }

  /** Return `chunk[from, to)` as a piece keeps it: a view of the chunk copy, or a copy of its own. */
  private pieceBytes(chunk: Uint8Array, from: number, to: number): Uint8Array {
    const bytes = chunk.subarray(from, to);
    return this.options.shareChunkCopies ? bytes : new Uint8Array(bytes);
  }
}

/**
 * Finds line breaks in one chunk. The next CR and the next LF are each searched for once and kept
 * until passed, so a chunk without any LF is not searched to its end for every line.
 */
class ByteLineBreaks {
  /** The chunk as a Buffer, whose `indexOf` searches many times faster than a Uint8Array's. */
  private chunk: Buffer = Buffer.alloc(0);
  private nextCr = -1;
  private nextLf = -1;

  reset(chunk: Uint8Array): void {
    this.chunk = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    this.nextCr = this.chunk.indexOf(CR);
    this.nextLf = this.chunk.indexOf(LF);
  }

  /** Offset of the first CR or LF at or after `from`, or -1. */
  next(from: number): number {
    if (this.nextCr >= 0 && this.nextCr < from) this.nextCr = this.chunk.indexOf(CR, from);
    if (this.nextLf >= 0 && this.nextLf < from) this.nextLf = this.chunk.indexOf(LF, from);
    if (this.nextCr < 0) return this.nextLf;
    if (this.nextLf < 0) return this.nextCr;
    return Math.min(this.nextCr, this.nextLf);
  }
}

function startsWithMark(bytes: ArrayLike<number>, from: number): boolean {
  return (
    bytes[from] === UTF8_BOM[0] &&
    bytes[from + 1] === UTF8_BOM[1] &&
    bytes[from + 2] === UTF8_BOM[2]
  );
}

const LETTER_B = 0x42;
const LETTER_F = 0x46;
const LETTER_S = 0x53;
const LETTER_T = 0x54;

/** True for the bytes of MSH, FHS, BHS, BTS or FTS. */
function isPieceBoundaryId(
  first: number | undefined,
  second: number | undefined,
  third: number | undefined,
): boolean {
  if (first === undefined || second === undefined || third === undefined) return false;
  const isTrailer =
    second === LETTER_T && third === LETTER_S && (first === LETTER_B || first === LETTER_F);
  return isTrailer || isHeaderIdCodes(first, second, third);
}

/** Join the carried parts and the last bytes into one new array. */
function joinBytes(
  parts: readonly Uint8Array[],
  partsLength: number,
  last: Uint8Array,
): Uint8Array {
  const bytes = new Uint8Array(partsLength + last.length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  bytes.set(last, offset);
  return bytes;
}
