import { isUtf8 } from 'node:buffer';
import { chunksOf, type VocabInput } from './input';
import { lineProblem, type VocabProblem } from './problems';

/** One line of text without its line ending, with its 1-based line number. */
export interface TextLine {
  line: number;
  text: string;
}

export type LineItem = TextLine | VocabProblem;

const LF = 0x0a;
const CR = 0x0d;
const BYTE_ORDER_MARK = [0xef, 0xbb, 0xbf] as const;

/**
 * Splits a UTF-8 byte stream into lines ending in LF or CRLF, and yields them in batches, one
 * batch per chunk, so that a caller pays one `await` per chunk rather than per line. Drops a
 * UTF-8 byte-order mark at the start of the file. A line that is not valid UTF-8 or is longer
 * than `maxLineBytes` becomes a problem, and the lines after it are still read.
 */
export async function* readTextLines(
  input: VocabInput,
  options: { file: string; maxLineBytes: number },
): AsyncGenerator<LineItem[]> {
  const splitter = new LineSplitter(options.file, options.maxLineBytes);
  for await (const chunk of chunksOf(input, options.file)) {
    const items = splitter.push(chunk);
    if (items.length > 0) yield items;
  }
  const last = splitter.finish();
  if (last.length > 0) yield last;
}

/**
 * Keeps the unfinished last line of each chunk until the chunk that ends it. Lines that lie
 * wholly inside one chunk are decoded straight from it, and checked for UTF-8 all at once. That
 * check is valid for each line because an LF byte never occurs inside a multi-byte character.
 */
class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Length of the unfinished line once it has exceeded `maxLineBytes`; its bytes are dropped. */
  private overflowBytes: number | undefined;
  /** Whether the last byte counted in `overflowBytes` is a CR, which belongs to the line ending. */
  private overflowEndsWithCr = false;
  private lineNumber = 0;

  constructor(
    private readonly file: string,
    private readonly maxLineBytes: number,
  ) {}

  push(chunk: Uint8Array): LineItem[] {
    const buffer = Buffer.isBuffer(chunk)
      ? chunk
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const items: LineItem[] = [];
    let start = 0;
    const firstLf = buffer.indexOf(LF);
    if (firstLf === -1) {
      this.appendPending(buffer);
      return items;
    }
    if (this.pendingBytes > 0 || this.overflowBytes !== undefined) {
      this.appendPending(buffer.subarray(0, firstLf));
      items.push(this.takePendingLine());
      start = firstLf + 1;
    }

    const lastLf = buffer.lastIndexOf(LF);
    if (start <= lastLf) {
      const allValid = isUtf8(buffer.subarray(start, lastLf + 1));
      while (start <= lastLf) {
        const end = buffer.indexOf(LF, start);
        items.push(this.decodeLine(buffer, start, end, allValid));
        start = end + 1;
      }
    }
    // A copy, because the caller may reuse the chunk's memory for the next read.
    if (start < buffer.length) this.appendPending(Buffer.from(buffer.subarray(start)));
    return items;
  }

  /** Returns the last line when the input does not end with a line break. */
  finish(): LineItem[] {
    return this.pendingBytes > 0 || this.overflowBytes !== undefined
      ? [this.takePendingLine()]
      : [];
  }

  private appendPending(segment: Buffer): void {
    if (segment.length === 0) return;
    if (this.overflowBytes !== undefined) {
      this.overflowBytes += segment.length;
      this.overflowEndsWithCr = segment[segment.length - 1] === CR;
      return;
    }
    // Room for a CR before the LF and a byte-order mark on the first line, which are not counted.
    if (this.pendingBytes + segment.length > this.maxLineBytes + 4) {
      this.overflowBytes = this.pendingBytes + segment.length;
      this.overflowEndsWithCr = segment[segment.length - 1] === CR;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(Buffer.isBuffer(segment) ? segment : Buffer.from(segment));
    this.pendingBytes += segment.length;
  }

  private takePendingLine(): LineItem {
    if (this.overflowBytes !== undefined) {
      const lengthBytes = this.overflowBytes - (this.overflowEndsWithCr ? 1 : 0);
      this.overflowBytes = undefined;
      this.lineNumber += 1;
      return this.tooLong(lengthBytes);
    }
    const joined =
      this.pending.length === 1
        ? (this.pending[0] as Buffer)
        : Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    return this.decodeLine(joined, 0, joined.length, false);
  }

  /** Decodes bytes `start` to `end` (an LF or the end of the input), without the line ending. */
  private decodeLine(buffer: Buffer, start: number, end: number, knownValid: boolean): LineItem {
    this.lineNumber += 1;
    let textEnd = end;
    if (textEnd > start && buffer[textEnd - 1] === CR) textEnd -= 1;
    let textStart = start;
    if (this.lineNumber === 1 && startsWithByteOrderMark(buffer, start, textEnd))
      textStart += BYTE_ORDER_MARK.length;

    if (textEnd - textStart > this.maxLineBytes) return this.tooLong(textEnd - textStart);
    if (!knownValid && !isUtf8(buffer.subarray(textStart, textEnd))) {
      return lineProblem(
        this.file,
        this.lineNumber,
        'invalid-encoding',
        'the line is not valid UTF-8',
      );
    }
    return { line: this.lineNumber, text: buffer.toString('utf8', textStart, textEnd) };
  }

  private tooLong(lengthBytes: number): VocabProblem {
    return lineProblem(
      this.file,
      this.lineNumber,
      'line-too-long',
      `the line is ${lengthBytes} bytes long, more than maxLineBytes (${this.maxLineBytes}), so it was skipped`,
    );
  }
}

function startsWithByteOrderMark(buffer: Buffer, start: number, end: number): boolean {
  return end - start >= 3 && BYTE_ORDER_MARK.every((byte, index) => buffer[start + index] === byte);
}
