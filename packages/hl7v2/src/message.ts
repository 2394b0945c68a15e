import type { Hl7Delimiters } from './delimiters';
import { Hl7Error } from './errors';
import type { Hl7ReadOptions } from './escape';
import type { Hl7InputRange } from './issues';
import { parseCachedHl7Path, type Hl7Location } from './path';
import type { Hl7Segment, Hl7Value } from './segment';

/** Messages up to this many segments find a segment by reading through them instead of indexing them. */
const MAX_SEGMENTS_SCANNED = 32;

export interface Hl7MessageInit {
  index: number;
  segments: readonly Hl7Segment[];
  delimiters: Hl7Delimiters;
  charset: string | undefined;
  range: Hl7InputRange;
  fileHeader: Hl7Segment | undefined;
  batchHeader: Hl7Segment | undefined;
}

/**
 * One HL7 v2 message: an MSH and the segments up to the next MSH, envelope segment or the end
 * of the input. Paths follow the notation `SEG[occurrence]-field[repetition].component.subcomponent`
 * with 1-based numbers, such as `PID-5.1`, `PID-3[2].1` and `OBX[2]-5`; see `Hl7Segment` for
 * MSH-1 and MSH-2.
 */
export class Hl7Message {
  /** 0-based position of the message in its file, counting messages that were rejected. */
  readonly index: number;
  /** The segments in order; the first is the MSH. */
  readonly segments: readonly Hl7Segment[];
  readonly delimiters: Hl7Delimiters;
  /**
   * Character set the bytes were decoded with, as a WHATWG encoding label (`utf-8`,
   * `iso-8859-1`, `windows-1252`, ...), or undefined when the input was a string.
   */
  readonly charset: string | undefined;
  /** Position of the message in the input (bytes for a Uint8Array, UTF-16 code units for a string). */
  readonly range: Hl7InputRange;
  /** The FHS of the file envelope around the message, if any. */
  readonly fileHeader: Hl7Segment | undefined;
  /** The BHS of the batch around the message, if any. */
  readonly batchHeader: Hl7Segment | undefined;
  /** The MSH segment. */
  readonly header: Hl7Segment;
  private segmentIndex: Map<string, Hl7Segment[]> | undefined;
  private joinedText: string | undefined;

  constructor(init: Hl7MessageInit) {
    const [header] = init.segments;
    if (header === undefined) {
      throw new Hl7Error('an HL7 v2 message needs at least its MSH segment');
    }
    this.header = header;
    this.index = init.index;
    this.segments = init.segments;
    this.delimiters = init.delimiters;
    this.charset = init.charset;
    this.range = init.range;
    this.fileHeader = init.fileHeader;
    this.batchHeader = init.batchHeader;
  }

  /**
   * The message as received, segments joined by CR, with no CR after the last one. Lenient
   * parsing has already made each terminator a CR and dropped empty segments. Joined on first
   * read, because most readers only read values.
   */
  get text(): string {
    this.joinedText ??= this.segments.map((segment) => segment.text).join('\r');
    return this.joinedText;
  }

  /** Return the segments with this id, in order, or an empty list. */
  segmentsById(id: string): readonly Hl7Segment[] {
    return this.indexSegments().get(id) ?? [];
  }

  /** Return the segment with this id and 1-based occurrence. */
  segment(id: string, occurrence = 1): Hl7Segment | undefined {
    if (this.segments.length > MAX_SEGMENTS_SCANNED) return this.segmentsById(id)[occurrence - 1];
    // Reading through a short message costs less than building the index of its segments.
    let seen = 0;
    for (const segment of this.segments) {
      if (segment.id === id && ++seen === occurrence) return segment;
    }
    return undefined;
  }

  /**
   * Read one unescaped value, such as `get('PID-5.1')`; returns `null` for the HL7 null `""`
   * and undefined when absent or empty. An omitted repetition, component or subcomponent reads
   * the first one, so `get('PID-5')` is the family name.
   */
  get(path: string, options?: Hl7ReadOptions): Hl7Value {
    const location = parseCachedHl7Path(path);
    return this.segmentAt(location)?.valueAt(location, options);
  }

  /** Read the encoded text at a path, delimiters and escape sequences intact. */
  getEncoded(path: string): string | undefined {
    const location = parseCachedHl7Path(path);
    return this.segmentAt(location)?.encodedAt(location);
  }

  /** Read a value from every repetition of a field, such as `getAll('PID-3.1')`. */
  getAll(path: string, options?: Hl7ReadOptions): Hl7Value[] {
    const location = parseCachedHl7Path(path);
    return this.segmentAt(location)?.repetitionsAt(location, options) ?? [];
  }

  /**
   * Encode the message as ER7: its segments as received, each ended by a CR. MSH-1 and MSH-2
   * are kept exactly, so the message keeps its own delimiters.
   */
  encode(): string {
    return `${this.text}\r`;
  }

  private segmentAt(location: Hl7Location): Hl7Segment | undefined {
    return this.segment(location.segmentId, location.occurrence);
  }

  private indexSegments(): Map<string, Hl7Segment[]> {
    if (this.segmentIndex === undefined) {
      const index = new Map<string, Hl7Segment[]>();
      for (const segment of this.segments) {
        const list = index.get(segment.id);
        if (list) list.push(segment);
        else index.set(segment.id, [segment]);
      }
      this.segmentIndex = index;
    }
    return this.segmentIndex;
  }
}
