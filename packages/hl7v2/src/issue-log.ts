import type { ErrorPosition } from '@carelake/core';
import type { Hl7Position, Hl7Problem, Hl7Warning } from './issues';

/** Collects the problems and warnings of one parse, stamping each position with the file. */
export class IssueLog {
  problems: Hl7Problem[] = [];
  warnings: Hl7Warning[] = [];
  private readonly file: string | undefined;

  constructor(file: string | undefined) {
    this.file = file;
  }

  addProblem(problem: Hl7Problem): void {
    this.problems.push({ ...problem, position: this.at(problem.position) });
  }

  addWarning(warning: Hl7Warning): void {
    this.warnings.push({ ...warning, position: this.at(warning.position) });
  }

  /** Hand over what was collected since the last call, each list in line order. */
  drain(): { problems: Hl7Problem[]; warnings: Hl7Warning[] } {
    // The lists are handed over, so they are sorted in place.
    const drained = { problems: this.problems.sort(byLine), warnings: this.warnings.sort(byLine) };
    this.problems = [];
    this.warnings = [];
    return drained;
  }

  private at(position: Hl7Position): Hl7Position {
    return this.file === undefined ? position : { file: this.file, ...position };
  }
}

/** Compare entries by line, so that a stable sort keeps the order of entries on the same line. */
export function byLine(
  left: { position: ErrorPosition },
  right: { position: ErrorPosition },
): number {
  return (left.position.line ?? 0) - (right.position.line ?? 0);
}
