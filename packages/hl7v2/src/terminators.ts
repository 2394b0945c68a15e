import type { Hl7Position, Hl7Warning } from './issues';
import type { ScannedSegment, SegmentTerminator } from './scan';

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
  label: string;
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
  for (const { segment, label, segmentIndex } of segments) {
    const position: Hl7Position = { ...base, line: segment.line, segment: label };
    if (segmentIndex !== undefined) position.segmentIndex = segmentIndex;
    if (segment.terminator === 'LF') issues.push({ code: 'segment-terminator-lf', position });
    if (segment.terminator === 'CRLF') issues.push({ code: 'segment-terminator-crlf', position });
    if (segment.terminator === 'none') issues.push({ code: 'missing-final-terminator', position });
    if (segment.innerBreaks > 0) issues.push({ code: 'line-break-in-segment', position });
  }
  for (const line of emptySegmentLines) {
    issues.push({ code: 'empty-segment', position: { ...base, line } });
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
  private readonly issues = new Map<TerminatorCode, { position: Hl7Position; count: number }>();
  private readonly firstByTerminator = new Map<SegmentTerminator, Hl7Position>();

  noteSegments(segments: readonly LabeledSegment[], base: Hl7Position): void {
    for (const { segment, label, segmentIndex } of segments) {
      if (segment.terminator === 'none') continue;
      const seen = this.firstByTerminator.get(segment.terminator);
      if (seen !== undefined && lineOf(seen) <= segment.line) continue;
      const position: Hl7Position = { ...base, line: segment.line, segment: label };
      if (segmentIndex !== undefined) position.segmentIndex = segmentIndex;
      this.firstByTerminator.set(segment.terminator, position);
    }
  }

  noteIssue(issue: TerminatorIssue): void {
    const seen = this.issues.get(issue.code);
    if (seen === undefined) {
      this.issues.set(issue.code, { position: issue.position, count: 1 });
      return;
    }
    seen.count += 1;
    if (lineOf(issue.position) < lineOf(seen.position)) seen.position = issue.position;
  }

  warnings(): Hl7Warning[] {
    const warnings: Hl7Warning[] = [...this.issues]
      .sort(([, left], [, right]) => lineOf(left.position) - lineOf(right.position))
      .map(([code, { position, count }]) => ({
        code,
        reason: `${TERMINATOR_REASONS[code]} (${count} time(s); accepted in lenient mode)`,
        position,
        count,
      }));

    // The terminator of the earliest segment is the input's own; the earliest segment using
    // another one is where the mix starts.
    const kinds = [...this.firstByTerminator].sort(
      ([, left], [, right]) => lineOf(left) - lineOf(right),
    );
    const mixed = kinds[1];
    if (mixed !== undefined) {
      warnings.push({
        code: 'mixed-segment-terminators',
        reason: `the input mixes ${kinds.map(([kind]) => kind).join(', ')} segment terminators (accepted in lenient mode)`,
        position: mixed[1],
      });
    }
    return warnings;
  }
}

function lineOf(position: Hl7Position): number {
  return position.line ?? 0;
}
