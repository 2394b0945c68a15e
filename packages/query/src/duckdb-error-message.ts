import { TRINO_MACROS } from './trino/trino-session';

/**
 * DuckDB error types whose first line names only SQL constructs: tables,
 * columns, functions, types and tokens. Others, such as Conversion and Out of
 * Range errors, can quote field values read from the data.
 */
const DETAILED_ERROR_TYPES = new Set(['Parser', 'Binder', 'Catalog', 'Not implemented']);

const MACRO_PREFIXES = TRINO_MACROS.map((macro) => `${macro.name}: `);

/**
 * Describe a DuckDB error without health data: its type (such as Binder
 * Error), and the first line of the message only where it names SQL
 * constructs. Quoted strings are masked, since SQL can quote a value, and the
 * `LINE 1: ...` excerpt of the statement is never kept.
 */
export function describeDuckDbError(error: unknown): string {
  const firstLine = messageOf(error).split('\n', 1)[0] ?? '';
  // node-api puts its own words before some, as in `Failed to extract statements: Parser Error: ...`.
  const match = /(?:^|: )([A-Z][A-Za-z]*(?: [A-Za-z]+)*) Error: (.*)$/.exec(firstLine);
  if (!match) return 'query failed in DuckDB';

  const [, type = '', detail = ''] = match;
  const fromTrinoMacro =
    type === 'Invalid Input' && MACRO_PREFIXES.some((prefix) => detail.startsWith(prefix));
  if (!DETAILED_ERROR_TYPES.has(type) && !fromTrinoMacro) {
    return `query failed in DuckDB: ${type} Error (details withheld because they can contain field values)`;
  }
  return `query failed in DuckDB: ${type} Error: ${detail.replace(/'(?:[^']|'')*'/g, maskLiteral)}`;
}

/** The message of an error, also one from another realm (such as a Jest sandbox), where `instanceof Error` fails. */
function messageOf(error: unknown): string {
  const message =
    typeof error === 'object' && error !== null
      ? (error as { message?: unknown }).message
      : undefined;
  return typeof message === 'string' ? message : String(error);
}

/** Mask a quoted string, except a function signature such as 'date_add(VARCHAR, INTEGER)', which is all types. */
function maskLiteral(quoted: string): string {
  return /^'[A-Za-z_][A-Za-z0-9_.]*\([A-Z0-9_, ()[\]]*\)'$/.test(quoted) ? quoted : "'…'";
}
