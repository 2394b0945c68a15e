import { compactDateToIso } from './calendar-dates';
import { lineProblem, type VocabProblem, type VocabProblemCode } from './problems';

/**
 * Reads the fields of one line into typed values, collecting a problem for each field that
 * breaks its rule. Messages name the field and the rule, never the value.
 */
export class FieldChecks {
  readonly problems: VocabProblem[] = [];

  constructor(
    private readonly file: string,
    private readonly line: number,
  ) {}

  get ok(): boolean {
    return this.problems.length === 0;
  }

  report(code: VocabProblemCode, field: string, reason: string): void {
    this.problems.push(lineProblem(this.file, this.line, code, reason, field));
  }

  /** Returns the value, reporting a `missing-value` problem when it is empty. */
  required(field: string, value: string): string {
    if (value === '') this.report('missing-value', field, `${field} is empty`);
    return value;
  }

  /** Returns the value when it is decimal digits, reporting an `invalid-code` problem otherwise. */
  digits(
    field: string,
    value: string,
    options: { required: boolean } = { required: true },
  ): string {
    if (value === '') {
      if (options.required) this.report('missing-value', field, `${field} is empty`);
    } else if (!/^\d+$/.test(value)) {
      this.report('invalid-code', field, `${field} must be decimal digits`);
    }
    return value;
  }

  /** Returns a non-negative integer that JavaScript represents exactly, or 0 after reporting a problem. */
  integer(field: string, value: string): number {
    if (value === '') {
      this.report('missing-value', field, `${field} is empty`);
      return 0;
    }
    const number = /^\d{1,16}$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(number)) {
      this.report('invalid-value', field, `${field} must be a non-negative integer below 2^53`);
      return 0;
    }
    return number;
  }

  /** Converts a `YYYYMMDD` date to `YYYY-MM-DD`, reporting a problem when it is empty or not a date. */
  compactDate(field: string, value: string): string {
    if (value === '') {
      this.report('missing-value', field, `${field} is empty`);
      return '';
    }
    const date = compactDateToIso(value);
    if (date === undefined)
      this.report('invalid-value', field, `${field} must be a date written YYYYMMDD`);
    return date ?? '';
  }

  /** Returns the value when it is one of `allowed`, reporting a problem that lists them otherwise. */
  oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
    if (!(allowed as readonly string[]).includes(value)) {
      const choices = allowed.map((choice) => (choice === '' ? 'empty' : `"${choice}"`)).join(', ');
      this.report(
        value === '' ? 'missing-value' : 'invalid-value',
        field,
        `${field} must be one of ${choices}`,
      );
    }
    return value as T;
  }
}
