import type { z } from 'zod';
import { checkDateTimeFormat } from './date-time-format';
import type { CsvColumn, CsvSchema } from './schema';
import { resolveFieldEncoding } from './text-encoding';

type RefinementContext = z.RefinementCtx;

/** Checks the keys of one column that depend on its type. */
export function checkColumnRules(column: CsvColumn, context: RefinementContext): void {
  const issue = (key: keyof CsvColumn, message: string): void => {
    context.addIssue({ code: 'custom', path: [key], message });
  };

  if (column.format !== undefined) {
    if (column.type === 'date' || column.type === 'timestamp') {
      const problem = checkDateTimeFormat(column.format, column.type);
      if (problem) issue('format', `${column.type} format ${JSON.stringify(column.format)} ${problem}`);
    } else {
      issue('format', `applies only to date and timestamp columns, and this column is ${column.type}`);
    }
  }

  if (column.type === 'boolean') {
    const trueValues = new Set((column.trueValues ?? []).map((value) => value.toLowerCase()));
    const both = (column.falseValues ?? []).filter((value) => trueValues.has(value.toLowerCase()));
    if (both.length > 0) issue('falseValues', `${JSON.stringify(both[0])} is also in trueValues`);
  } else {
    if (column.trueValues) issue('trueValues', `applies only to boolean columns, and this column is ${column.type}`);
    if (column.falseValues) issue('falseValues', `applies only to boolean columns, and this column is ${column.type}`);
  }

  if (column.type === 'decimal') {
    if (column.scale !== undefined && column.precision === undefined) {
      issue('scale', 'needs a precision too, such as precision: 10 with scale: 2');
    }
    if (column.scale !== undefined && column.precision !== undefined && column.scale > column.precision) {
      issue('scale', `must not exceed the precision (${column.precision})`);
    }
  } else {
    if (column.precision !== undefined) issue('precision', `applies only to decimal columns, and this column is ${column.type}`);
    if (column.scale !== undefined) issue('scale', `applies only to decimal columns, and this column is ${column.type}`);
  }
}

/** Checks the keys that depend on each other: names, headers, delimiter, quote and encoding. */
export function checkFileRules(schema: CsvSchema, context: RefinementContext): void {
  const issue = (path: Array<string | number>, message: string): void => {
    context.addIssue({ code: 'custom', path, message });
  };

  const names = new Map<string, number>();
  const headers = new Map<string, number>();
  schema.columns.forEach((column, index) => {
    const firstName = names.get(column.name);
    if (firstName === undefined) names.set(column.name, index);
    else issue(['columns', index, 'name'], `repeats the name of columns[${firstName}]`);

    if (!schema.header && column.header !== undefined) {
      issue(['columns', index, 'header'], 'has no effect because header is false; remove it, or set header: true');
    }
    const source = (column.header ?? column.name).trim();
    const firstHeader = headers.get(source);
    if (firstHeader === undefined) headers.set(source, index);
    else if (schema.header) issue(['columns', index, 'header'], `maps the same file header as columns[${firstHeader}]`);
  });

  const encoding = resolveFieldEncoding(schema.encoding);
  if (typeof encoding === 'string') issue(['encoding'], encoding);

  for (const key of ['delimiter', 'quote'] as const) {
    const text = schema[key];
    if ([...text].length !== 1) {
      issue([key], `must be one character, got ${[...text].length}`);
    } else if (text === '\r' || text === '\n') {
      issue([key], 'must not be a line break');
    } else if (typeof encoding !== 'string' && encoding.encodeText(text) === undefined) {
      issue([key], `cannot be written in ${schema.encoding}`);
    }
  }
  if (schema.delimiter === schema.quote) issue(['quote'], 'must differ from the delimiter');
}
