import type { QueryColumn, QueryValue } from '@carelake/query';

export const OUTPUT_FORMATS = ['table', 'csv', 'jsonl'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Render a value as text; dates as ISO 8601 in UTC. */
export function formatValue(value: QueryValue | undefined): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value, jsonReplacer);
  return String(value);
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

/** Render rows as a plain text table with a header rule, columns padded to their widest value. */
export function renderTable(columns: readonly QueryColumn[], rows: readonly Record<string, QueryValue>[]): string {
  const cells = rows.map((row) => columns.map((column) => formatValue(row[column.name])));
  const widths = columns.map((column, index) =>
    Math.max(column.name.length, ...cells.map((line) => (line[index] ?? '').length)),
  );
  const render = (line: string[]): string =>
    line.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();

  const lines = [render(columns.map((column) => column.name)), render(widths.map((width) => '-'.repeat(width)))];
  for (const line of cells) lines.push(render(line));
  lines.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return lines.join('\n');
}

/** CSV as RFC 4180 writes it: fields with commas, quotes or line breaks are quoted. */
export function renderCsvLine(values: readonly string[]): string {
  return values.map((value) => (/[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value)).join(',');
}

export function renderJsonLine(row: Record<string, QueryValue>): string {
  return JSON.stringify(row, jsonReplacer);
}
