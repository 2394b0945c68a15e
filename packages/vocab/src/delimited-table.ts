import { VocabFileError } from './errors';
import { resolveMaxLineBytes, type ReadOptions, type VocabInput } from './input';
import { lineProblem, type VocabProblem } from './problems';
import { readTextLines, type TextLine } from './text-lines';

/** Layout of a delimited release file without quoting. */
export interface TableLayout {
  /** The format's name for its file, used in messages, such as `RXNCONSO.RRF` or `OMOP CONCEPT`. */
  title: string;
  delimiter: string;
  /** The columns the loader reads, spelled as the format spells them. */
  columns: readonly string[];
  /**
   * `by-name`: the first non-blank line names the columns, found by name in any order; other
   * columns are ignored. `none`: no header, the fields are in the order of `columns`.
   */
  header: 'by-name' | 'none';
  /**
   * Whether each line ends with one more delimiter after its last field, as RRF lines do:
   * `required`, `optional` (accepted with or without) or `none`.
   */
  trailingDelimiter: 'required' | 'optional' | 'none';
}

/** One line's fields, in the order of the layout's `columns`. */
export interface TableRow {
  line: number;
  fields: string[];
}

export type TableItem = TableRow | VocabProblem;

/** Positions of the layout's columns in the lines of one file. */
interface FieldPositions {
  /** Number of fields a line has, counting the empty one after a trailing delimiter. */
  fieldCount: number;
  /** For each layout column, the 0-based field that contains it. */
  indexes: number[];
}

/**
 * Splits a delimited release file without quoting into rows, yielding a batch of rows and
 * problems per input chunk. Blank lines are skipped. A line with the wrong number of fields
 * becomes a `field-count` problem. Throws `VocabFileError` when the header row lacks a column,
 * cannot be read, or is missing because the file is empty.
 */
export async function* readTableRows(
  input: VocabInput,
  layout: TableLayout,
  options: ReadOptions,
): AsyncGenerator<TableItem[]> {
  const maxLineBytes = resolveMaxLineBytes(options);
  let positions: FieldPositions | undefined =
    layout.header === 'none' ? positionalLayout(layout) : undefined;

  for await (const batch of readTextLines(input, { file: options.file, maxLineBytes })) {
    const items: TableItem[] = [];
    for (const item of batch) {
      if (!('text' in item)) {
        if (positions === undefined) throw unreadableHeader(item, layout, options.file);
        items.push(item);
        continue;
      }
      if (isBlank(item.text, layout.delimiter)) continue;
      if (positions === undefined) {
        positions = readHeader(item, layout, options.file);
        continue;
      }
      items.push(splitRow(item, layout, positions, options.file));
    }
    if (items.length > 0) yield items;
  }

  if (positions === undefined) {
    throw new VocabFileError(
      `${layout.title} file has no header row: it is empty or has only blank lines`,
      {
        position: { file: options.file },
        hint: `Check that the file was extracted whole; its first line names the columns ${layout.columns.join(', ')}.`,
      },
    );
  }
}

function isBlank(text: string, delimiter: string): boolean {
  return text.trim().length === 0 && !text.includes(delimiter);
}

function positionalLayout(layout: TableLayout): FieldPositions {
  return {
    fieldCount: layout.columns.length + (layout.trailingDelimiter === 'required' ? 1 : 0),
    indexes: layout.columns.map((_, index) => index),
  };
}

/** Finds each column by name in the header row. Names are compared after trimming, with case. */
function readHeader(header: TextLine, layout: TableLayout, file: string): FieldPositions {
  const names = header.text.split(layout.delimiter).map((name) => name.trim());
  const missing = layout.columns.filter((column) => !names.includes(column));
  if (missing.length > 0) {
    throw new VocabFileError(
      `${layout.title} header lacks the column(s) ${missing.map(quote).join(', ')}; it has ${names.length} column(s)`,
      {
        position: { file, line: header.line },
        hint: `The loader needs the columns ${layout.columns.map(quote).join(', ')}, in any order, separated by ${describeDelimiter(layout.delimiter)}. Check that the file is a ${layout.title} file.`,
      },
    );
  }
  return {
    fieldCount: names.length,
    indexes: layout.columns.map((column) => names.indexOf(column)),
  };
}

function unreadableHeader(
  problem: VocabProblem,
  layout: TableLayout,
  file: string,
): VocabFileError {
  return new VocabFileError(`${layout.title} header row cannot be read: ${problem.reason}`, {
    position: { file, line: problem.line },
    code: problem.code,
  });
}

function splitRow(
  item: TextLine,
  layout: TableLayout,
  positions: FieldPositions,
  file: string,
): TableItem {
  const parts = item.text.split(layout.delimiter);
  let count = parts.length;
  const hasTrailingDelimiter = count > 1 && parts[count - 1] === '';
  if (
    layout.trailingDelimiter === 'optional' &&
    hasTrailingDelimiter &&
    count === positions.fieldCount + 1
  )
    count -= 1;

  if (
    count !== positions.fieldCount ||
    (layout.trailingDelimiter === 'required' && !hasTrailingDelimiter)
  ) {
    return lineProblem(
      file,
      item.line,
      'field-count',
      describeFieldCount(parts.length, hasTrailingDelimiter, layout, positions),
    );
  }
  return { line: item.line, fields: positions.indexes.map((index) => parts[index] as string) };
}

/** `parts` counts the empty text after a trailing delimiter too. */
function describeFieldCount(
  parts: number,
  hasTrailingDelimiter: boolean,
  layout: TableLayout,
  positions: FieldPositions,
): string {
  const delimiter = describeDelimiter(layout.delimiter);
  if (layout.header === 'by-name') {
    return `the line has ${parts} field(s) separated by ${delimiter}, but the header has ${positions.fieldCount}`;
  }
  const expected = layout.columns.length;
  if (layout.trailingDelimiter !== 'required') {
    return `the line has ${parts} field(s) separated by ${delimiter}, but lines of ${layout.title} have ${expected}`;
  }
  const rule = `lines of ${layout.title} have ${expected} fields, each followed by ${delimiter}`;
  if (!hasTrailingDelimiter) return `the line does not end with ${delimiter}; ${rule}`;
  return `the line has ${parts - 1} field(s), but ${rule}`;
}

function describeDelimiter(delimiter: string): string {
  return delimiter === '\t' ? 'tabs' : `"${delimiter}"`;
}

function quote(name: string): string {
  return JSON.stringify(name);
}
