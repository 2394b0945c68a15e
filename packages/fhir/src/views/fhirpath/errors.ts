import { FhirReadError } from '../../errors';

/**
 * Raised when a FHIRPath expression does not parse or cannot be compiled: a syntax
 * error, an unknown function, element, type or constant, or a wrong number of
 * arguments. The view compiler turns it into a `ViewDefinitionIssue`.
 */
export class FhirPathCompileError extends FhirReadError {
  /** 0-based index in the expression text where the problem starts. */
  readonly offset: number;

  constructor(message: string, offset: number) {
    super(message);
    this.offset = offset;
  }
}

/**
 * Raised while evaluating a compiled expression on data that breaks one of its rules,
 * such as a function that needs a single item receiving several. The message names
 * the operation and counts, never the values.
 */
export class FhirPathEvaluationError extends FhirReadError {}
