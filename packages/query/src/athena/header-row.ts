import type { ColumnInfo, Row } from '@aws-sdk/client-athena';

/** Statements whose first GetQueryResults page starts with a row of column labels. */
const HEADER_STATEMENTS = new Set(['SELECT', 'WITH', 'VALUES', 'SHOW']);

/**
 * Tell whether Athena puts a header row before the data of this statement: true
 * when its first keyword, after comments and opening parentheses, is SELECT,
 * WITH, VALUES or SHOW. DDL such as CREATE TABLE returns no header.
 */
export function returnsHeaderRow(sql: string): boolean {
  const keyword = firstKeyword(sql);
  return keyword !== undefined && HEADER_STATEMENTS.has(keyword);
}

/** Tell whether a row contains exactly the column labels, in order, as the header row does. */
export function isHeaderRow(row: Row | undefined, columns: readonly ColumnInfo[]): boolean {
  const data = row?.Data ?? [];
  if (data.length !== columns.length) return false;
  return columns.every(
    (column, index) => data[index]?.VarCharValue === (column.Label ?? column.Name),
  );
}

/** Find the first keyword, in upper case, skipping blanks, `--` and `/* *\/` comments and `(`. */
function firstKeyword(sql: string): string | undefined {
  let index = 0;
  while (index < sql.length) {
    const char = sql[index] ?? '';
    if (/\s/.test(char) || char === '(') {
      index += 1;
    } else if (sql.startsWith('--', index)) {
      const end = sql.indexOf('\n', index);
      index = end === -1 ? sql.length : end + 1;
    } else if (sql.startsWith('/*', index)) {
      const end = sql.indexOf('*/', index + 2);
      index = end === -1 ? sql.length : end + 2;
    } else {
      return /^[A-Za-z]+/.exec(sql.slice(index))?.[0].toUpperCase();
    }
  }
  return undefined;
}
