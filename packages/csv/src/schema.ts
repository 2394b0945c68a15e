import { ConfigError, formatKeyPath, type ConfigIssue } from '@carelake/core';
import { z } from 'zod';
import { checkColumnRules, checkFileRules } from './schema-rules';

export const CSV_COLUMN_TYPES = ['string', 'integer', 'decimal', 'boolean', 'date', 'timestamp'] as const;
export type CsvColumnType = (typeof CSV_COLUMN_TYPES)[number];

/** Lake column names follow the Glue rule, and start with a letter so they need no quoting in SQL. */
const columnName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,254}$/, 'must be lower case letters, digits and "_", starting with a letter');

const csvColumnSchema = z
  .object({
    /** Column name in the lake table. */
    name: columnName,
    /** Header of the column in the file, when it differs from `name`, such as "Member ID". */
    header: z.string().min(1).optional(),
    type: z.enum(CSV_COLUMN_TYPES),
    /** A required column must be in the header, and a row with no value in it is quarantined. */
    required: z.boolean().default(false),
    /** Format of a date or timestamp column, such as "MM/DD/YYYY"; see date-time-format.ts for the tokens. */
    format: z.string().optional(),
    /** Texts read as true and false in a boolean column, compared without regard to case. */
    trueValues: z.array(z.string().min(1)).min(1).optional(),
    falseValues: z.array(z.string().min(1)).min(1).optional(),
    /** Texts read as null, compared exactly, after trimming when `trim` is on. */
    nullValues: z.array(z.string()).default(['']),
    /** Total digits of a decimal column; with it the column is DECIMAL(precision, scale), without it DOUBLE. */
    precision: z.number().int().min(1).max(38).optional(),
    /** Digits after the decimal point of a decimal column with a precision; 0 when left out. */
    scale: z.number().int().min(0).max(38).optional(),
  })
  .strict()
  .superRefine(checkColumnRules);

/**
 * The layout of one CSV feed, as written under `decode.schema` in a pipeline file. Every key but
 * `columns` has a default. With `header: true` the first non-blank row names the columns, in any
 * order; with `header: false` the fields are in the order of `columns`.
 */
export const csvSchema = z
  .object({
    /** One character between fields. */
    delimiter: z.string().default(','),
    /** One character around a field that contains the delimiter, the quote or a line break; doubled inside it. */
    quote: z.string().default('"'),
    /** `utf-8`, or a single-byte encoding that extends ASCII, such as `latin1` or `windows-1252`. */
    encoding: z.string().default('utf-8'),
    header: z.boolean().default(true),
    columns: z.array(csvColumnSchema).min(1),
    /** Handling of header fields that name no column: `reject` fails the file, `ignore` drops them. */
    extraColumns: z.enum(['reject', 'ignore']).default('reject'),
    /** Remove white space around each value, quoted or not, before null and type checks. */
    trim: z.boolean().default(false),
  })
  .strict()
  .superRefine(checkFileRules);

export type CsvSchema = z.output<typeof csvSchema>;
/** A schema as written, with defaults still to apply. A parsed `CsvSchema` is one too. */
export type CsvSchemaInput = z.input<typeof csvSchema>;
export type CsvColumn = CsvSchema['columns'][number];

/**
 * Validates a schema and applies its defaults. Throws a `ConfigError` that lists every problem
 * at once, each under its key path prefixed with `keyPath`, such as `decode.schema.columns[3].type`.
 */
export function parseCsvSchema(value: unknown, keyPath = 'decode.schema'): CsvSchema {
  const result = csvSchema.safeParse(value);
  if (result.success) return result.data;

  const issues: ConfigIssue[] = result.error.issues.map((issue) => ({
    keyPath: formatKeyPath([...(keyPath ? [keyPath] : []), ...issue.path]),
    message: issue.message,
  }));
  throw new ConfigError(`${keyPath || 'CSV schema'} has ${issues.length} invalid setting(s)`, issues, {
    position: keyPath ? { keyPath } : undefined,
  });
}

/** Returns the header that names a column in the file. */
export function sourceHeaderOf(column: CsvColumn): string {
  return column.header ?? column.name;
}
