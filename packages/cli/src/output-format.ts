import type { QueryColumn, QueryValue } from '@carelake/query';

export const OUTPUT_FORMATS = ['table', 'csv', 'jsonl', 'parquet', 'arrow'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export type TextFormat = Extract<OutputFormat, 'table' | 'csv' | 'jsonl'>;

/** Formats that are bytes, not lines, so they go to a file (`--out`), never to a terminal. */
export const BINARY_FORMATS: ReadonlySet<OutputFormat> = new Set(['parquet', 'arrow']);

/**
 * Rows the table format buffers to size its columns before it prints anything.
 * Later rows are printed at those widths, and a longer value widens only its own line.
 */
export const TABLE_WIDTH_SAMPLE_ROWS = 1000;

/** Render rows as text while they stream: `add` returns lines ready to print, `end` the last ones. */
export interface TextRenderer {
  add(rows: readonly Record<string, QueryValue>[]): string[];
  end(): string[];
}

export function createTextRenderer(
  format: TextFormat,
  columns: readonly QueryColumn[],
): TextRenderer {
  if (format === 'csv') return csvRenderer(columns);
  if (format === 'jsonl') return jsonLinesRenderer(columns);
  return tableRenderer(columns);
}

/**
 * Render a value as text: a DATE as yyyy-mm-dd, a TIMESTAMP as ISO 8601 in UTC
 * (the engine's session time zone), a DECIMAL with all its digits, and lists
 * and structs as JSON.
 */
export function formatValue(value: QueryValue | undefined, column?: QueryColumn): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date)
    return column?.type === 'DATE' ? value.toISOString().slice(0, 10) : value.toISOString();
  if (typeof value === 'object') return jsonText(value);
  return String(value);
}

/** CSV as RFC 4180 writes it: fields with commas, quotes or line breaks are quoted. */
export function renderCsvLine(values: readonly string[]): string {
  return values
    .map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value))
    .join(',');
}

/**
 * Render a row as one JSON object. BIGINT values are JSON numbers with every digit
 * (readers that parse numbers as doubles round those above 2^53), DECIMAL
 * values are strings with every digit, as the engines return them, and a DATE
 * column is a yyyy-mm-dd string.
 */
export function renderJsonLine(
  row: Record<string, QueryValue>,
  columns: readonly QueryColumn[],
): string {
  const members = columns.map((column) => {
    const value = row[column.name] ?? null;
    const text =
      value instanceof Date && column.type === 'DATE'
        ? JSON.stringify(formatValue(value, column))
        : jsonText(value);
    return `${JSON.stringify(column.name)}:${text}`;
  });
  return `{${members.join(',')}}`;
}

function jsonText(value: QueryValue): string {
  if (value === null) return 'null';
  if (typeof value === 'bigint') return value.toString();
  // JSON has no NaN or Infinity; a string keeps them readable.
  if (typeof value === 'number')
    return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value));
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  const members = Object.entries(value).map(
    ([key, member]) => `${JSON.stringify(key)}:${jsonText(member)}`,
  );
  return `{${members.join(',')}}`;
}

function csvRenderer(columns: readonly QueryColumn[]): TextRenderer {
  let header = true;
  return {
    add(rows) {
      const lines = header ? [renderCsvLine(columns.map((column) => column.name))] : [];
      header = false;
      for (const row of rows)
        lines.push(renderCsvLine(columns.map((column) => formatValue(row[column.name], column))));
      return lines;
    },
    end() {
      return header ? [renderCsvLine(columns.map((column) => column.name))] : [];
    },
  };
}

function jsonLinesRenderer(columns: readonly QueryColumn[]): TextRenderer {
  return {
    add: (rows) => rows.map((row) => renderJsonLine(row, columns)),
    end: () => [],
  };
}

/**
 * Render a plain text table with a header rule. It sizes the columns from the
 * first TABLE_WIDTH_SAMPLE_ROWS rows, buffering at most those and the rest of
 * their batch, then streams, so memory stays bounded whatever the result size.
 */
function tableRenderer(columns: readonly QueryColumn[]): TextRenderer {
  let buffered: string[][] = [];
  let widths: number[] | undefined;
  let rowCount = 0;

  const cellsOf = (row: Record<string, QueryValue>): string[] =>
    columns.map((column) => tableCell(formatValue(row[column.name], column)));
  const render = (cells: readonly string[], sizes: readonly number[]): string =>
    cells
      .map((cell, index) => cell.padEnd(sizes[index] ?? 0))
      .join('  ')
      .trimEnd();

  const flushBuffered = (): string[] => {
    const names = columns.map((column) => tableCell(column.name));
    const sample = buffered.slice(0, TABLE_WIDTH_SAMPLE_ROWS);
    const sizes = names.map((name, index) =>
      Math.max(name.length, ...sample.map((cells) => (cells[index] ?? '').length)),
    );
    widths = sizes;
    const lines = [
      render(names, sizes),
      render(
        sizes.map((size) => '-'.repeat(size)),
        sizes,
      ),
    ];
    for (const cells of buffered) lines.push(render(cells, sizes));
    buffered = [];
    return lines;
  };

  return {
    add(rows) {
      rowCount += rows.length;
      if (widths) return rows.map((row) => render(cellsOf(row), widths as number[]));
      buffered.push(...rows.map(cellsOf));
      return buffered.length >= TABLE_WIDTH_SAMPLE_ROWS ? flushBuffered() : [];
    },
    end() {
      const lines = widths ? [] : flushBuffered();
      lines.push(`(${rowCount} row${rowCount === 1 ? '' : 's'})`);
      return lines;
    },
  };
}

/** Keep a cell on one line of the table: line breaks and tabs are shown escaped. */
function tableCell(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
}
