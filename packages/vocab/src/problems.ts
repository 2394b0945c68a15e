/** Kind of problem, so callers branch on a code and never on the reason text. */
export type VocabProblemCode =
  /** A line has more or fewer fields than the format or the header row defines. */
  | 'field-count'
  /** A fixed-width line does not follow the layout: a separator position is not blank, or the line is too short. */
  | 'invalid-layout'
  /** A CSV record has a quote that is never closed or text after a closing quote, or csv-parse could not split it. */
  | 'invalid-quoting'
  /** A line is not valid UTF-8. */
  | 'invalid-encoding'
  /** A line is longer than `maxLineBytes`, so it was skipped without being read. */
  | 'line-too-long'
  /** A field that the format requires is empty. */
  | 'missing-value'
  /** A field does not have the form its format defines, such as a date that is not YYYYMMDD. */
  | 'invalid-value'
  /** A code or identifier fails its format or check digit, such as a LOINC number or an SCTID. */
  | 'invalid-code';

/**
 * A line of a release file that could not be read. It names the line, the field and the rule it
 * broke, and never contains the line's text, so it is safe to log and to store as a quarantine
 * reason. A line with several bad fields yields one problem per field.
 */
export interface VocabProblem {
  kind: 'problem';
  code: VocabProblemCode;
  /** The `file` option given to the loader. */
  file: string;
  /** 1-based line where the record starts; a CRLF counts as one line break. */
  line: number;
  /** The field as the format names it, such as `RXCUI`, `LOINC_NUM` or `code (positions 7-13)`. */
  field?: string;
  reason: string;
}

/** One record read from a release file, with the 1-based line it starts on. */
export interface VocabEntry<T> {
  kind: 'record';
  line: number;
  record: T;
}

export type VocabItem<T> = VocabEntry<T> | VocabProblem;

export function isVocabProblem<T>(item: VocabItem<T>): item is VocabProblem {
  return item.kind === 'problem';
}

/**
 * Collects every item a loader yields into records and problems. It keeps them all in memory, so
 * it suits tests and small files such as the CVX table or LOINC's MapTo.csv.
 */
export async function collectVocab<T>(
  items: AsyncIterable<VocabItem<T>>,
): Promise<{ records: T[]; problems: VocabProblem[] }> {
  const result: { records: T[]; problems: VocabProblem[] } = { records: [], problems: [] };
  for await (const item of items) {
    if (item.kind === 'problem') result.problems.push(item);
    else result.records.push(item.record);
  }
  return result;
}

/** Builds a problem for one line; `field` is left out when the problem concerns the whole line. */
export function lineProblem(
  file: string,
  line: number,
  code: VocabProblemCode,
  reason: string,
  field?: string,
): VocabProblem {
  return { kind: 'problem', code, file, line, ...(field === undefined ? {} : { field }), reason };
}
