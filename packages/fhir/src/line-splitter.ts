/**
 * One line split from a byte stream: its bytes without the line ending, or the
 * length of a line too long to keep (counting the CR of a CRLF ending).
 */
export type SplitLine =
  { kind: 'line'; bytes: Uint8Array } | { kind: 'too-long'; lengthBytes: number };

const LF = 0x0a;
const CR = 0x0d;

/**
 * Splits a byte stream into lines ending in LF or CRLF, keeping at most
 * `maxLineBytes` of the current line in memory. A longer line is dropped as it
 * streams past, and reported by its length only.
 */
export class LineSplitter {
  private parts: Uint8Array[] = [];
  private partsLength = 0;
  /** Length of the current line when it has already exceeded `maxLineBytes`. */
  private overflowLength: number | undefined;

  constructor(private readonly maxLineBytes: number) {}

  /** Splits a chunk, returning the lines it completes. */
  *push(chunk: Uint8Array): Generator<SplitLine> {
    let start = 0;
    for (let end = chunk.indexOf(LF); end !== -1; end = chunk.indexOf(LF, start)) {
      this.append(chunk.subarray(start, end));
      yield this.takeLine();
      start = end + 1;
    }
    // A copy, because the caller may reuse the chunk's buffer for the next read.
    this.append(chunk.slice(start));
  }

  /** Returns the last line when the stream does not end in a newline. */
  *finish(): Generator<SplitLine> {
    if (this.partsLength > 0 || this.overflowLength !== undefined) yield this.takeLine();
  }

  private append(segment: Uint8Array): void {
    if (segment.length === 0) return;
    if (this.overflowLength !== undefined) {
      this.overflowLength += segment.length;
      return;
    }
    // The limit allows one byte more than maxLineBytes for the CR of a CRLF ending.
    if (this.partsLength + segment.length > this.maxLineBytes + 1) {
      this.overflowLength = this.partsLength + segment.length;
      this.parts = [];
      this.partsLength = 0;
      return;
    }
    this.parts.push(segment);
    this.partsLength += segment.length;
  }

  private takeLine(): SplitLine {
    if (this.overflowLength !== undefined) {
      const lengthBytes = this.overflowLength;
      this.overflowLength = undefined;
      return { kind: 'too-long', lengthBytes };
    }

    let bytes = concatBytes(this.parts, this.partsLength);
    this.parts = [];
    this.partsLength = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) {
      bytes = bytes.subarray(0, bytes.length - 1);
    }
    if (bytes.length > this.maxLineBytes) return { kind: 'too-long', lengthBytes: bytes.length };
    return { kind: 'line', bytes };
  }
}

function concatBytes(parts: readonly Uint8Array[], length: number): Uint8Array {
  const [first] = parts;
  if (parts.length === 1 && first) return first;
  const joined = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}
