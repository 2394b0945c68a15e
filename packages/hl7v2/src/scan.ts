import { isDataCharacter } from './delimiters';
import type { Hl7Input } from './input';
import { isCapital, isCapitalOrDigit, readSegmentId } from './segment-ids';

/** Terminator after a segment as received; `none` only for the last segment of an input without one. */
export type SegmentTerminator = 'CR' | 'LF' | 'CRLF' | 'none';

/** A segment found in the input, as offsets into the scanned text. */
export interface ScannedSegment {
  kind: 'segment';
  id: string;
  /** True for MSH, FHS and BHS: field 1 is the field separator. */
  isHeader: boolean;
  /** The input the offsets point into. */
  input: Hl7Input;
  start: number;
  /** End of the segment text, before its terminator. */
  end: number;
  /** 1-based line where the segment starts. */
  line: number;
  terminator: SegmentTerminator;
  /** Line breaks inside the segment: lines that did not start a segment were joined to it. */
  innerBreaks: number;
  /** True when a byte-order mark before the segment id was skipped. */
  skippedByteOrderMark: boolean;
}

/** An empty or white-space-only line between two segment terminators. */
export interface ScannedEmptySegment {
  kind: 'empty';
  line: number;
}

export type ScannedItem = ScannedSegment | ScannedEmptySegment;

/** `header` for MSH, FHS and BHS, `segment` for any other segment start. */
export type SegmentStart = 'header' | 'segment';

/** Characters that start a line the parser may need to read to classify it: id, separator, MSH-2 and the separator after it. */
export const SEGMENT_START_LOOKAHEAD = 10;

/**
 * Splits text into segments. CR, LF and CRLF all end a line, but a line ends a segment only when
 * the next line starts one. A segment starts with a segment id and the current field separator
 * (or nothing), or with MSH, FHS or BHS and their own separator and encoding characters. Any
 * other line is a line break inside the previous segment, so text like `MSH_MRN` stays data and
 * a field never takes in the next segment. The field separator carries over from one `scan` call
 * to the next, so that a stream can be scanned one piece at a time.
 */
export class SegmentScanner {
  private fieldSeparator = '|';

  scan(input: Hl7Input, firstLine: number): ScannedItem[] {
    const state: ScanState = { input, items: [], previous: undefined, pendingEmptyLines: [] };
    const cursor = new PhysicalLineCursor(input.view, firstLine);
    while (cursor.next()) this.addLine(state, cursor);
    for (const line of state.pendingEmptyLines) state.items.push({ kind: 'empty', line });
    return state.items;
  }

  private addLine(state: ScanState, line: PhysicalLineCursor): void {
    const { input, items } = state;
    const text = input.view;
    // Segment ids start with a capital letter, so nearly every line is decided by its first
    // character: it is neither blank nor a byte-order mark.
    const startsWithCapital = isCapital(text.charCodeAt(line.start));
    if (!startsWithCapital && isBlank(text, line.start, line.end)) {
      state.pendingEmptyLines.push(line.line);
      return;
    }

    const markLength =
      !startsWithCapital && text.startsWith(input.byteOrderMark, line.start)
        ? input.byteOrderMark.length
        : 0;
    const headStart = line.start + markLength;
    const headEnd = Math.min(line.end, headStart + SEGMENT_START_LOOKAHEAD);
    const start = classifySegmentStartAt(text, headStart, headEnd, this.fieldSeparator);
    const previous = state.previous;
    if (start === undefined && previous !== undefined) {
      previous.end = line.end;
      previous.terminator = line.terminator;
      previous.innerBreaks += state.pendingEmptyLines.length + 1;
      if (state.pendingEmptyLines.length > 0) state.pendingEmptyLines = [];
      return;
    }

    if (state.pendingEmptyLines.length > 0) {
      for (const empty of state.pendingEmptyLines) items.push({ kind: 'empty', line: empty });
      state.pendingEmptyLines = [];
    }
    const skip = start === undefined ? 0 : markLength;
    if (start === 'header' && headEnd - headStart > 3) {
      this.fieldSeparator = text.charAt(headStart + 3);
    }
    const idStart = line.start + skip;
    state.previous = {
      kind: 'segment',
      id:
        start === undefined
          ? text.slice(idStart, Math.min(line.end, idStart + 3))
          : readSegmentId(text, idStart),
      isHeader: start === 'header',
      input,
      start: idStart,
      end: line.end,
      line: line.line,
      terminator: line.terminator,
      innerBreaks: 0,
      skippedByteOrderMark: skip > 0,
    };
    items.push(state.previous);
  }
}

interface ScanState {
  input: Hl7Input;
  items: ScannedItem[];
  /** The last segment, which takes in the lines that start no segment. */
  previous: ScannedSegment | undefined;
  /** Blank lines not yet known to be inside a segment or between two. */
  pendingEmptyLines: number[];
}

/** True for an empty line or one of white space only. */
function isBlank(text: string, start: number, end: number): boolean {
  return start === end || text.slice(start, end).trim() === '';
}

/**
 * Classify the start of a line from its first `SEGMENT_START_LOOKAHEAD` characters: `header` for
 * MSH, FHS or BHS followed by a separator and encoding characters, `segment` for an id followed
 * by the current field separator or nothing, undefined for anything else. A header id alone, or
 * followed by the current separator and invalid encoding characters, is still a header, so that
 * the message is rejected with its reason instead of being read as data.
 */
export function classifySegmentStart(
  head: string,
  fieldSeparator: string,
): SegmentStart | undefined {
  return classifySegmentStartAt(head, 0, head.length, fieldSeparator);
}

/** `classifySegmentStart` for the head `text.slice(start, end)`, without copying it. */
function classifySegmentStartAt(
  text: string,
  start: number,
  end: number,
  fieldSeparator: string,
): SegmentStart | undefined {
  if (end - start < 3) return undefined;
  const first = text.charCodeAt(start);
  const second = text.charCodeAt(start + 1);
  const third = text.charCodeAt(start + 2);
  // A segment id: a capital letter, then two capitals or digits.
  if (!isCapital(first) || !isCapitalOrDigit(second) || !isCapitalOrDigit(third)) return undefined;
  const next = end - start > 3 ? text.charAt(start + 3) : '';
  if (
    isHeaderIdCodes(first, second, third) &&
    (next === '' || next === fieldSeparator || hasHeaderShape(text.slice(start, end)))
  ) {
    return 'header';
  }
  if (next === '' || next === fieldSeparator) return 'segment';
  return undefined;
}

const LETTER_B = 0x42;
const LETTER_F = 0x46;
const LETTER_H = 0x48;
const LETTER_M = 0x4d;
const LETTER_S = 0x53;

/** True for the character codes of MSH, FHS or BHS. */
export function isHeaderIdCodes(first: number, second: number, third: number): boolean {
  if (second === LETTER_S) return first === LETTER_M && third === LETTER_H;
  return second === LETTER_H && third === LETTER_S && (first === LETTER_F || first === LETTER_B);
}

/** True when a new field separator is followed by punctuation up to the next separator or the end of `head`. */
function hasHeaderShape(head: string): boolean {
  const separator = head.charAt(3);
  if (separator === '' || isDataCharacter(separator)) return false;
  const end = head.indexOf(separator, 4);
  const encoding = head.slice(4, end < 0 ? undefined : end);
  return encoding.length > 0 && !encoding.split('').some(isDataCharacter);
}

/**
 * Moves over the lines of a text, each ended by CR, LF or CRLF, and a last one without a
 * terminator when the text does not end with one. The next CR and the next LF are each searched
 * for once and kept until passed, so text without any LF is not searched to its end for every
 * line.
 */
class PhysicalLineCursor {
  /** Offset of the current line. */
  start = 0;
  /** Offset of the current line's terminator, or the end of the text. */
  end = 0;
  /** 1-based line number of the current line. */
  line: number;
  terminator: SegmentTerminator = 'none';
  private nextStart = 0;
  private nextCr: number;
  private nextLf: number;

  constructor(
    private readonly text: string,
    firstLine: number,
  ) {
    this.line = firstLine - 1;
    this.nextCr = text.indexOf('\r');
    this.nextLf = text.indexOf('\n');
  }

  /** Move to the next line; false when the text has no more. */
  next(): boolean {
    const text = this.text;
    const start = this.nextStart;
    if (start >= text.length) return false;
    if (this.nextCr >= 0 && this.nextCr < start) this.nextCr = text.indexOf('\r', start);
    if (this.nextLf >= 0 && this.nextLf < start) this.nextLf = text.indexOf('\n', start);

    const { nextCr, nextLf } = this;
    this.start = start;
    this.line += 1;
    if (nextCr < 0 && nextLf < 0) {
      this.end = text.length;
      this.terminator = 'none';
      this.nextStart = text.length;
    } else if (nextLf < 0 || (nextCr >= 0 && nextCr < nextLf)) {
      const isCrLf = nextLf === nextCr + 1;
      this.end = nextCr;
      this.terminator = isCrLf ? 'CRLF' : 'CR';
      this.nextStart = nextCr + (isCrLf ? 2 : 1);
    } else {
      this.end = nextLf;
      this.terminator = 'LF';
      this.nextStart = nextLf + 1;
    }
    return true;
  }
}
