import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';
import type { Hl7IssueCode, Hl7Problem } from './issues';

/** Root of the errors the HL7 v2 package raises. */
export class Hl7Error extends CarelakeError {}

/** An HL7 v2 input that cannot be parsed; carries the problem's code and position. */
export class Hl7ParseError extends Hl7Error {
  readonly code: Hl7IssueCode;
  readonly problem: Hl7Problem;

  constructor(problem: Hl7Problem, options: Pick<CarelakeErrorOptions, 'cause'> = {}) {
    super(problem.reason, { ...options, position: problem.position, hint: problem.hint });
    this.code = problem.code;
    this.problem = problem;
  }
}

/** A field path such as `PID-3[2].1` that does not follow the path notation. */
export class Hl7PathError extends Hl7Error {}
