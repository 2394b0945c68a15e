import { HEADER_SEGMENT_IDS, isDataCharacter } from './delimiters';
import type { Hl7Input } from './input';

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

interface PhysicalLine {
  start: number;
  end: number;
  line: number;
  terminator: SegmentTerminator;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}/;

/** Characters that start a line the parser may need to read to classify it: id, separator, MSH-2 and the separator after it. */
export const SEGMENT_START_LOOKAHEAD = 10;

const LINE_BREAKS: Readonly<Record<string, SegmentTerminator>> = {
  '\r\n': 'CRLF',
  '\r': 'CR',
  '\n': 'LF',
};

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
    const text = input.view;
    const items: ScannedItem[] = [];
    let previous: ScannedSegment | undefined;
    let pendingEmpty: PhysicalLine[] = [];

    for (const line of physicalLines(text, firstLine)) {
      const content = text.slice(line.start, line.end);
      if (content.trim() === '') {
        pendingEmpty.push(line);
        continue;
      }

      const markLength = content.startsWith(input.byteOrderMark) ? input.byteOrderMark.length : 0;
      const head = content.slice(markLength, markLength + SEGMENT_START_LOOKAHEAD);
      const start = classifySegmentStart(head, this.fieldSeparator);
      if (start === undefined && previous !== undefined) {
        previous.end = line.end;
        previous.terminator = line.terminator;
        previous.innerBreaks += pendingEmpty.length + 1;
        pendingEmpty = [];
        continue;
      }

      for (const empty of pendingEmpty) items.push({ kind: 'empty', line: empty.line });
      pendingEmpty = [];
      const skip = start === undefined ? 0 : markLength;
      if (start === 'header' && head.length > 3) this.fieldSeparator = head.charAt(3);
      previous = {
        kind: 'segment',
        id: content.slice(skip, skip + 3),
        isHeader: start === 'header',
        input,
        start: line.start + skip,
        end: line.end,
        line: line.line,
        terminator: line.terminator,
        innerBreaks: 0,
        skippedByteOrderMark: skip > 0,
      };
      items.push(previous);
    }

    for (const empty of pendingEmpty) items.push({ kind: 'empty', line: empty.line });
    return items;
  }
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
  if (!SEGMENT_ID.test(head)) return undefined;
  const id = head.slice(0, 3);
  const next = head.charAt(3);
  if (
    HEADER_SEGMENT_IDS.has(id) &&
    (next === '' || next === fieldSeparator || hasHeaderShape(head))
  ) {
    return 'header';
  }
  if (next === '' || next === fieldSeparator) return 'segment';
  return undefined;
}

/** True when a new field separator is followed by punctuation up to the next separator or the end of `head`. */
function hasHeaderShape(head: string): boolean {
  const separator = head.charAt(3);
  if (separator === '' || isDataCharacter(separator)) return false;
  const end = head.indexOf(separator, 4);
  const encoding = head.slice(4, end < 0 ? undefined : end);
  return encoding.length > 0 && !encoding.split('').some(isDataCharacter);
}

function* physicalLines(text: string, firstLine: number): Generator<PhysicalLine> {
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  let line = firstLine;
  for (let match = lineBreak.exec(text); match !== null; match = lineBreak.exec(text)) {
    yield { start, end: match.index, line, terminator: LINE_BREAKS[match[0]] ?? 'LF' };
    start = match.index + match[0].length;
    line += 1;
  }
  if (start < text.length) yield { start, end: text.length, line, terminator: 'none' };
}
