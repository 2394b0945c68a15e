import type { ErrorPosition } from '@carelake/core';
import type { Hl7Warning } from './issues';
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
  position: ErrorPosition;
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
}

/** List the terminator conditions of some segments and of the empty segments among them. */
export function findTerminatorIssues(
  segments: readonly LabeledSegment[],
  emptySegmentLines: readonly number[],
): TerminatorIssue[] {
  const issues: TerminatorIssue[] = [];
  for (const { segment, label } of segments) {
    const position = { line: segment.line, segment: label };
    if (segment.terminator === 'LF') issues.push({ code: 'segment-terminator-lf', position });
    if (segment.terminator === 'CRLF') issues.push({ code: 'segment-terminator-crlf', position });
    if (segment.terminator === 'none') issues.push({ code: 'missing-final-terminator', position });
    if (segment.innerBreaks > 0) issues.push({ code: 'line-break-in-segment', position });
  }
  for (const line of emptySegmentLines) issues.push({ code: 'empty-segment', position: { line } });
  return issues;
}

/**
 * One lenient-mode warning per kind of terminator condition in an input, with its count and
 * first position, plus `mixed-segment-terminators` when the input uses more than one of CR,
 * LF and CRLF. Messages and envelope segments are noted in any order and sorted by line.
 */
export class TerminatorSummary {
  private readonly issues: TerminatorIssue[] = [];
  private readonly terminated: Array<{ position: ErrorPosition; terminator: SegmentTerminator }> =
    [];

  noteSegments(segments: readonly LabeledSegment[], record: number | undefined): void {
    for (const { segment, label } of segments) {
      if (segment.terminator === 'none') continue;
      this.terminated.push({
        position: { line: segment.line, record, segment: label },
        terminator: segment.terminator,
      });
    }
  }

  noteIssue(issue: TerminatorIssue): void {
    this.issues.push(issue);
  }

  warnings(): Hl7Warning[] {
    const byCode = new Map<TerminatorCode, { position: ErrorPosition; count: number }>();
    for (const issue of [...this.issues].sort(byLine)) {
      const seen = byCode.get(issue.code);
      if (seen) seen.count += 1;
      else byCode.set(issue.code, { position: issue.position, count: 1 });
    }
    const warnings: Hl7Warning[] = [...byCode].map(([code, { position, count }]) => ({
      code,
      reason: `${TERMINATOR_REASONS[code]} (${count} time(s); accepted in lenient mode)`,
      position,
      count,
    }));

    const mixed = this.firstMixedPosition();
    if (mixed !== undefined) {
      warnings.push({
        code: 'mixed-segment-terminators',
        reason: `the input mixes ${this.terminatorKinds().join(', ')} segment terminators (accepted in lenient mode)`,
        position: mixed,
      });
    }
    return warnings;
  }

  /** Find the first segment, in line order, whose terminator differs from the first segment's. */
  private firstMixedPosition(): ErrorPosition | undefined {
    const inOrder = [...this.terminated].sort(byLine);
    const first = inOrder[0]?.terminator;
    return inOrder.find((entry) => entry.terminator !== first)?.position;
  }

  private terminatorKinds(): SegmentTerminator[] {
    return [...new Set(this.terminated.map((entry) => entry.terminator))];
  }
}

function byLine(left: { position: ErrorPosition }, right: { position: ErrorPosition }): number {
  return (left.position.line ?? 0) - (right.position.line ?? 0);
}
