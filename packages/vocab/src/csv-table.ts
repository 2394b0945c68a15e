import {
  CsvHeaderError,
  decodeCsv,
  type CsvProblem,
  type CsvProblemCode,
  type CsvSchemaInput,
} from '@carelake/csv';
import { peekCsvHeader } from './csv-header';
import { VocabFileError } from './errors';
import { resolveMaxLineBytes, type ReadOptions, type VocabInput } from './input';
import { lineProblem, type VocabProblem, type VocabProblemCode } from './problems';

export interface CsvTableColumn {
  /** The header as the file spells it, compared after trimming, with case. */
  header: string;
  /** Whether the file must have the column. Whether its values may be empty is the loader's rule. */
  required: boolean;
}

export interface CsvTableLayout {
  /** The file's name in its release, used in messages, such as `Loinc.csv`. */
  title: string;
  columns: readonly CsvTableColumn[];
}

/** One CSV record: the text of each column the file has, by header; an empty field is "". */
export interface CsvTableRow {
  kind: 'row';
  line: number;
  values: Map<string, string>;
}

const SYNTAX_PROBLEMS: ReadonlySet<CsvProblemCode> = new Set([
  'invalid-quote',
  'unterminated-quote',
  'field-too-large',
  'unreadable-record',
]);

/**
 * Reads a quoted CSV release file whose columns are found by header name, with the
 * `@carelake/csv` decoder: RFC 4180 quoting, LF or CRLF, a UTF-8 byte-order mark. Columns the
 * layout does not name are ignored. Throws `VocabFileError` listing every required header the
 * file lacks, before any row is yielded.
 */
export async function* readCsvTable(
  input: VocabInput,
  layout: CsvTableLayout,
  options: ReadOptions,
): AsyncGenerator<CsvTableRow | VocabProblem> {
  const maxFieldBytes = resolveMaxLineBytes(options);
  const header = await peekCsvHeader(input, options.file);
  const present = layout.columns.filter((column) => header.names.includes(column.header));
  const missing = layout.columns.filter(
    (column) => column.required && !header.names.includes(column.header),
  );
  if (missing.length > 0) {
    throw new VocabFileError(
      `${layout.title} header lacks the required column(s) ${missing.map((column) => JSON.stringify(column.header)).join(', ')}; it has ${header.names.length} column(s)`,
      {
        position: { file: options.file, line: 1 },
        hint: `Check that the file is ${layout.title} from its official release; the loader needs ${layout.columns
          .filter((column) => column.required)
          .map((column) => JSON.stringify(column.header))
          .join(', ')}, in any order.`,
      },
    );
  }

  // Lake column names must be lower case, so each column gets a positional one and keeps its header.
  const schema: CsvSchemaInput = {
    extraColumns: 'ignore',
    columns: present.map((column, index) => ({
      name: columnName(index),
      header: column.header,
      type: 'string',
      nullValues: [],
    })),
  };
  const headerOf = new Map(present.map((column, index) => [columnName(index), column.header]));

  try {
    for await (const item of decodeCsv(header.input, schema, {
      file: options.file,
      maxFieldBytes,
    })) {
      if (item.kind === 'problem') {
        yield vocabProblemOf(item, headerOf);
        continue;
      }
      const values = new Map<string, string>();
      for (const [name, value] of Object.entries(item.values)) {
        values.set(headerOf.get(name) as string, typeof value === 'string' ? value : '');
      }
      yield { kind: 'row', line: item.line, values };
    }
  } catch (error) {
    if (!(error instanceof CsvHeaderError)) throw error;
    throw new VocabFileError(`${layout.title} header cannot be used: ${error.message}`, {
      position: { file: options.file, line: error.position?.line ?? 1 },
      cause: error,
    });
  }
}

/** Names of equal length, so that no name is the start of another when reasons are rewritten. */
function columnName(index: number): string {
  return `column_${String(index).padStart(3, '0')}`;
}

function vocabProblemOf(problem: CsvProblem, headerOf: Map<string, string>): VocabProblem {
  const code: VocabProblemCode = SYNTAX_PROBLEMS.has(problem.code)
    ? 'invalid-quoting'
    : problem.code === 'field-count' ||
        problem.code === 'invalid-encoding' ||
        problem.code === 'missing-value'
      ? problem.code
      : 'invalid-value';
  const field = problem.column === undefined ? undefined : headerOf.get(problem.column);
  // The decoder names columns by their lake names, but callers see them by their headers.
  const reason =
    field === undefined || problem.column === undefined
      ? problem.reason
      : problem.reason.split(problem.column).join(field);
  return lineProblem(problem.file, problem.line, code, reason, field);
}
