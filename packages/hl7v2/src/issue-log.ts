import type { ErrorPosition } from '@carelake/core';
import type { Hl7Problem, Hl7Warning } from './issues';

/** Collects the problems and warnings of one parse, stamping each position with the file. */
export class IssueLog {
  readonly problems: Hl7Problem[] = [];
  readonly warnings: Hl7Warning[] = [];
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

  private at(position: ErrorPosition): ErrorPosition {
    return this.file === undefined ? position : { file: this.file, ...position };
  }
}
