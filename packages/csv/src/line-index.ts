const LF = 0x0a;
const CR = 0x0d;

/**
 * Maps byte offsets of a stream to 1-based physical line numbers. A line ends at LF, CRLF or a
 * lone CR, so a CRLF counts once, inside quoted fields too.
 *
 * Offsets are queried in non-decreasing order, so the index drops the line starts it has passed
 * and keeps only those between the last offset queried and the last byte added.
 */
export class LineIndex {
  /** Offsets just past each line break, from `head` on not yet passed by `lineAt`, in order. */
  private starts: number[] = [];
  private head = 0;
  private totalStarts = 0;
  private lastStart = -1;
  /** Offset of a CR that ended the last chunk, whose line break waits for the next byte. */
  private pendingCrOffset: number | undefined;
  private lastQueriedOffset = 0;
  /** Bytes added so far. */
  totalBytes = 0;

  /** Adds the next bytes of the stream. */
  add(chunk: Uint8Array): void {
    const base = this.totalBytes;
    if (this.pendingCrOffset !== undefined && chunk.length > 0) {
      // The CR is a line break of its own unless this chunk starts with the LF of a CRLF.
      if (chunk[0] !== LF) this.pushStart(this.pendingCrOffset + 1);
      this.pendingCrOffset = undefined;
    }

    let cr = chunk.indexOf(CR);
    let lf = chunk.indexOf(LF);
    while (cr !== -1 || lf !== -1) {
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        this.pushStart(base + lf + 1);
        lf = chunk.indexOf(LF, lf + 1);
        continue;
      }
      // The LF of a CRLF ends the line, so a CR followed by LF adds nothing itself.
      if (cr + 1 === chunk.length) this.pendingCrOffset = base + cr;
      else if (chunk[cr + 1] !== LF) this.pushStart(base + cr + 1);
      cr = chunk.indexOf(CR, cr + 1);
    }
    this.totalBytes += chunk.length;
  }

  /** Marks the end of the stream, where a final CR is a line break. */
  finish(): void {
    if (this.pendingCrOffset !== undefined) this.pushStart(this.pendingCrOffset + 1);
    this.pendingCrOffset = undefined;
  }

  /** Returns the line of the byte at `offset`; a line break belongs to the line it ends. */
  lineAt(offset: number): number {
    if (offset < this.lastQueriedOffset) {
      throw new Error(`LineIndex.lineAt(${offset}) called after lineAt(${this.lastQueriedOffset}); offsets must not decrease`);
    }
    this.lastQueriedOffset = offset;
    while (this.head < this.starts.length && (this.starts[this.head] as number) <= offset) this.head += 1;

    const passed = this.totalStarts - (this.starts.length - this.head);
    if (this.head >= 1024 && this.head * 2 >= this.starts.length) {
      this.starts = this.starts.slice(this.head);
      this.head = 0;
    }
    return passed + 1;
  }

  /** Returns the number of the last line that has a byte, or 0 for an empty stream. Call after `finish`. */
  lastLine(): number {
    if (this.totalBytes === 0) return 0;
    return this.lastStart === this.totalBytes ? this.totalStarts : this.totalStarts + 1;
  }

  private pushStart(start: number): void {
    this.starts.push(start);
    this.totalStarts += 1;
    this.lastStart = start;
  }
}
