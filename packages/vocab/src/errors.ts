import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';
import type { VocabProblem, VocabProblemCode } from './problems';

/**
 * Root of the errors this package raises. Loaders return line problems as `VocabProblem`s and
 * raise only when a whole file cannot be read (`VocabFileError`) or when they are called wrongly.
 * A caller that stops at the first line problem turns it into an error with `fromProblem`.
 */
export class VocabError extends CarelakeError {
  /** The problem code, when the error was made from a `VocabProblem`. */
  readonly code: VocabProblemCode | undefined;

  constructor(message: string, options: CarelakeErrorOptions & { code?: VocabProblemCode } = {}) {
    super(message, options);
    this.code = options.code;
  }

  static fromProblem(problem: VocabProblem): VocabError {
    return new VocabError(problem.reason, {
      code: problem.code,
      position: {
        file: problem.file,
        line: problem.line,
        ...(problem.field === undefined ? {} : { field: problem.field }),
      },
    });
  }
}

/**
 * Raised, before any record is yielded, when a file cannot be read as the format the loader
 * expects: a required header is missing, the file is a SNOMED CT Full or Delta file where a
 * Snapshot is expected, or the file is empty. No record of such a file can be trusted.
 */
export class VocabFileError extends VocabError {}
