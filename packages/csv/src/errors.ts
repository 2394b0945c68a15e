import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';
import type { CsvProblem, CsvProblemCode } from './problems';

/**
 * Root of the errors this package raises. The decoder returns row problems as `CsvProblem`s and
 * raises only when the whole file cannot be read (`CsvHeaderError`) or when it is called wrongly.
 * A caller that stops at the first row problem turns it into an error with `fromProblem`.
 */
export class CsvDecodeError extends CarelakeError {
  /** The problem code, when the error was made from a `CsvProblem`. */
  readonly code: CsvProblemCode | undefined;

  constructor(message: string, options: CarelakeErrorOptions & { code?: CsvProblemCode } = {}) {
    super(message, options);
    this.code = options.code;
  }

  static fromProblem(problem: CsvProblem): CsvDecodeError {
    return new CsvDecodeError(problem.reason, {
      code: problem.code,
      position: {
        file: problem.file,
        line: problem.line,
        ...(problem.recordIndex === undefined ? {} : { record: problem.recordIndex }),
        ...(problem.column === undefined ? {} : { field: problem.column }),
      },
    });
  }
}

/** Differences between a header row and the schema. Header names are quoted as the file spells them. */
export interface CsvHeaderDifferences {
  /** Required columns whose source header the row lacks. */
  missing: Array<{ column: string; header: string }>;
  /**
   * Header fields that name no declared column, with their 1-based positions. `header` is left
   * out when no field of the row matched, because such a row is likely data, not a header.
   */
  unexpected: Array<{ position: number; header?: string }>;
  /** Declared headers that appear more than once, with their 1-based positions. */
  duplicates: Array<{ header: string; positions: number[] }>;
}

/**
 * Raised when the header row is missing, unreadable or does not match the schema. It fails the
 * whole file, because no row can be mapped to columns without it.
 */
export class CsvHeaderError extends CsvDecodeError {
  readonly differences: CsvHeaderDifferences | undefined;

  constructor(message: string, options: CarelakeErrorOptions & { differences?: CsvHeaderDifferences } = {}) {
    super(message, options);
    this.differences = options.differences;
  }
}
