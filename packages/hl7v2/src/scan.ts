import { HEADER_SEGMENT_IDS, isDataCharacter } from './delimiters';

/** Terminator after a segment as received; `none` only for the last segment of an input without one. */
export type SegmentTerminator = 'CR' | 'LF' | 'CRLF' | 'none';

/** A segment found in the input, as offsets into the scanned text. */
export interface ScannedSegment {
  kind: 'segment';
  id: string;
  /** True for MSH, FHS and BHS: field 1 is the field separator. */
  isHeader: boolean;
  start: number;
  /** End of the segment text, before its terminator. */
  end: number;
  /** 1-based line where the segment starts. */
  line: number;
  terminator: SegmentTerminator;
  /** Line breaks inside the segment: lines that did not start a segment were joined to it. */
  innerBreaks: number;
}

/** An empty or white-space-only line between two segment terminators. */
export interface ScannedEmptySegment {
  kind: 'empty';
  line: number;
}

export type ScannedItem = ScannedSegment | ScannedEmptySegment;

interface PhysicalLine {
  start: number;
  end: number;
  line: number;
  terminator: SegmentTerminator;
}

const SEGMENT_ID = /^[A-Z][A-Z0-9]{2}/;

const LINE_BREAKS: Readonly<Record<string, SegmentTerminator>> = {
  '\r\n': 'CRLF',
  '\r': 'CR',
  '\n': 'LF',
};

/**
 * Split text into segments. CR, LF and CRLF all end a line, but a line ends a segment only when
 * the next line starts one. A segment starts with a segment id and the current field separator
 * (or nothing), or with MSH, FHS or BHS and their own separator and encoding characters. Any
 * other line is a line break inside the previous segment, so text like `MSH_MRN` stays data and
 * a field never takes in the next segment.
 */
export function scanSegments(text: string): ScannedItem[] {
  const items: ScannedItem[] = [];
  let fieldSeparator = '|';
  let previous: ScannedSegment | undefined;
  let pendingEmpty: PhysicalLine[] = [];

  for (const line of physicalLines(text)) {
    const content = text.slice(line.start, line.end);
    if (content.trim() === '') {
      pendingEmpty.push(line);
      continue;
    }

    const start = classifySegmentStart(content, fieldSeparator);
    if (start === undefined && previous !== undefined) {
      previous.end = line.end;
      previous.terminator = line.terminator;
      previous.innerBreaks += pendingEmpty.length + 1;
      pendingEmpty = [];
      continue;
    }

    for (const empty of pendingEmpty) items.push({ kind: 'empty', line: empty.line });
    pendingEmpty = [];
    if (start === 'header' && content.length > 3) fieldSeparator = content.charAt(3);
    previous = {
      kind: 'segment',
      id: content.slice(0, 3),
      isHeader: start === 'header',
      start: line.start,
      end: line.end,
      line: line.line,
      terminator: line.terminator,
      innerBreaks: 0,
    };
    items.push(previous);
  }

  for (const empty of pendingEmpty) items.push({ kind: 'empty', line: empty.line });
  return items;
}

/**
 * `header` for MSH, FHS or BHS followed by a separator and encoding characters, `segment` for an
 * id followed by the current field separator or nothing, undefined for anything else. A header id
 * alone, or followed by the current separator and invalid encoding characters, is still a header,
 * so that the message is rejected with its reason instead of being read as data.
 */
function classifySegmentStart(
  content: string,
  fieldSeparator: string,
): 'header' | 'segment' | undefined {
  if (!SEGMENT_ID.test(content)) return undefined;
  const id = content.slice(0, 3);
  const next = content.charAt(3);
  if (
    HEADER_SEGMENT_IDS.has(id) &&
    (next === '' || next === fieldSeparator || hasHeaderShape(content))
  ) {
    return 'header';
  }
  if (next === '' || next === fieldSeparator) return 'segment';
  return undefined;
}

function hasHeaderShape(content: string): boolean {
  const separator = content.charAt(3);
  if (separator === '' || isDataCharacter(separator)) return false;
  const end = content.indexOf(separator, 4);
  const encoding = content.slice(4, end < 0 ? undefined : end);
  return encoding.length > 0 && !encoding.split('').some(isDataCharacter);
}

function* physicalLines(text: string): Generator<PhysicalLine> {
  const lineBreak = /\r\n|\r|\n/g;
  let start = 0;
  let line = 1;
  for (let match = lineBreak.exec(text); match !== null; match = lineBreak.exec(text)) {
    yield { start, end: match.index, line, terminator: LINE_BREAKS[match[0]] ?? 'LF' };
    start = match.index + match[0].length;
    line += 1;
  }
  if (start < text.length) yield { start, end: text.length, line, terminator: 'none' };
}
