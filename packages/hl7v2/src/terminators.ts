import { extendPosition, type Hl7Position, type Hl7Warning } from './issues';
import { formatSegmentLabel } from './path';
import type { ScannedSegment } from './scan';

/** Segment terminator conditions: accepted with a warning in lenient mode, rejected in strict mode. */
export type TerminatorCode =
  | 'segment-terminator-lf'
  | 'segment-terminator-crlf'
  | 'missing-final-terminator'
  | 'line-break-in-segment'
  | 'empty-segment';

export interface TerminatorIssue {
  code: TerminatorCode;
  position: Hl7Position;
}

export const TERMINATOR_REASONS: Readonly<Record<TerminatorCode, string>> = {
  'segment-terminator-lf': 'a segment ends with LF instead of CR',
  'segment-terminator-crlf': 'a segment ends with CRLF instead of CR',
  'missing-final-terminator': 'the last segment has no terminator',
  'line-break-in-segment':
    'a line break inside a segment is not followed by a segment id; it is kept as data',
  'empty-segment': 'an empty segment (two terminators in a row, or a blank line) is skipped',
};

export const TERMINATOR_HINT = 'End every segment with a single CR, or parse in lenient mode.';

export interface LabeledSegment {
  segment: ScannedSegment;
  /** 1-based count of segments with this id up to this one, which gives the label (`OBX[3]`). */
  occurrence: number;
  /** 0-based index in its message; undefined for envelope segments. */
  segmentIndex?: number;
}

/** List the terminator conditions of some segments and of the empty segments among them. */
export function findTerminatorIssues(
  segments: readonly LabeledSegment[],
  emptySegmentLines: readonly number[],
  base: Hl7Position = {},
): TerminatorIssue[] {
  const issues: TerminatorIssue[] = [];
  for (const labeled of segments) {
    const { segment } = labeled;
    // Nearly every segment ends in a single CR, so positions are built for the others only.
    if (segment.terminator === 'CR' && segment.innerBreaks === 0) continue;
    const position = segmentPosition(labeled, base);
    if (segment.terminator === 'LF') issues.push({ code: 'segment-terminator-lf', position });
    if (segment.terminator === 'CRLF') issues.push({ code: 'segment-terminator-crlf', position });
    if (segment.terminator === 'none') issues.push({ code: 'missing-final-terminator', position });
    if (segment.innerBreaks > 0) issues.push({ code: 'line-break-in-segment', position });
  }
  for (const line of emptySegmentLines) {
    issues.push({ code: 'empty-segment', position: extendPosition(base, { line }) });
  }
  return issues;
}

/**
 * One lenient-mode warning per kind of terminator condition in an input, with its count and
 * first position, plus `mixed-segment-terminators` when the input uses more than one of CR,
 * LF and CRLF. Segments may be noted in any order. Only the first position of each kind is kept,
 * so memory does not grow with the input.
 */
export class TerminatorSummary {
  /** Created with the first condition, because most inputs have none. */
  private issues: Map<TerminatorCode, { position: Hl7Position; count: number }> | undefined;
  /** The earliest segment ending with each terminator; its position is built only if a warning names it. */
  private readonly firstByTerminator: { [kind in 'CR' | 'LF' | 'CRLF']?: SegmentPlace } = {};
  private terminatorKinds = 0;

  noteSegments(segments: readonly LabeledSegment[], base: Hl7Position): void {
    for (const labeled of segments) {
      const { segment } = labeled;
      if (segment.terminator === 'none') continue;
      const seen = this.firstByTerminator[segment.terminator];
      if (seen !== undefined && seen.line <= segment.line) continue;
      if (seen === undefined) this.terminatorKinds += 1;
      this.firstByTerminator[segment.terminator] = {
        line: segment.line,
        id: segment.id,
        occurrence: labeled.occurrence,
        segmentIndex: labeled.segmentIndex,
        base,
      };
    }
  }

  noteIssue(issue: TerminatorIssue): void {
    this.issues ??= new Map();
    const seen = this.issues.get(issue.code);
    if (seen === undefined) {
      this.issues.set(issue.code, { position: issue.position, count: 1 });
      return;
    }
    seen.count += 1;
    if (lineOf(issue.position) < lineOf(seen.position)) seen.position = issue.position;
  }

  warnings(): Hl7Warning[] {
    if (this.issues === undefined && this.terminatorKinds < 2) return [];
    const warnings: Hl7Warning[] = [...(this.issues ?? [])]
      .sort(([, left], [, right]) => lineOf(left.position) - lineOf(right.position))
      .map(([code, { position, count }]) => ({
        code,
        reason: `${TERMINATOR_REASONS[code]} (${count} time(s); accepted in lenient mode)`,
        position,
        count,
      }));

    // The terminator of the earliest segment is the input's own; the earliest segment using
    // another one is where the mix starts.
    const kinds = Object.entries(this.firstByTerminator);
    kinds.sort(([, left], [, right]) => left.line - right.line);
    const mixed = kinds[1];
    if (mixed !== undefined) {
      warnings.push({
        code: 'mixed-segment-terminators',
        reason: `the input mixes ${kinds.map(([kind]) => kind).join(', ')} segment terminators (accepted in lenient mode)`,
        position: placePosition(mixed[1]),
      });
    }
    return warnings;
  }
}

/** The parts of a segment's position, kept instead of the segment so that its input can be released. */
interface SegmentPlace {
  line: number;
  id: string;
  occurrence: number;
  segmentIndex: number | undefined;
  base: Hl7Position;
}

function segmentPosition(
  { segment, occurrence, segmentIndex }: LabeledSegment,
  base: Hl7Position,
): Hl7Position {
  return placePosition({ line: segment.line, id: segment.id, occurrence, segmentIndex, base });
}

function placePosition({ line, id, occurrence, segmentIndex, base }: SegmentPlace): Hl7Position {
  const position = extendPosition(base, { line, segment: formatSegmentLabel(id, occurrence) });
  if (segmentIndex !== undefined) position.segmentIndex = segmentIndex;
  return position;
}

function lineOf(position: Hl7Position): number {
  return position.line ?? 0;
}
