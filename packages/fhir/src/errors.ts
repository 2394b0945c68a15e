import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';
import type { FhirProblem, FhirProblemCode } from './problems';

/**
 * Root of the errors this package raises. The readers return input problems as
 * `FhirProblem`s, and raise only when they are called wrongly. A caller that
 * stops at the first problem turns it into an error with `fromProblem`.
 */
export class FhirReadError extends CarelakeError {
  /** The problem code, when the error was made from a `FhirProblem`. */
  readonly code: FhirProblemCode | undefined;

  constructor(message: string, options: CarelakeErrorOptions & { code?: FhirProblemCode } = {}) {
    super(message, options);
    this.code = options.code;
  }

  static fromProblem(problem: FhirProblem): FhirReadError {
    return new FhirReadError(problem.reason, {
      code: problem.code,
      position: {
        file: problem.file,
        line: problem.line,
        record: problem.record,
        field: problem.field,
      },
    });
  }
}

/**
 * Raised when a resource cannot be mapped to table rows: an element has the wrong
 * JSON type, a date is not a valid FHIR date, or a key needs an id the resource
 * lacks. The position names the source file, the record (the entry position) and
 * the element, never its value.
 */
export class FhirMappingError extends FhirReadError {}
