import type { DuckDBConnection } from '@duckdb/node-api';
import { tokenizeSql } from '../trino/sql-tokens';

/** A statement as DuckDB parses it, ready for `checkStatementTree`. */
export type ParsedStatement =
  | {
      kind: 'parsed';
      /** The SQL to run: the query as written, or EXPLAIN with its options written out again before it. */
      sql: string;
      explain: boolean;
      /** DuckDB's parse tree of the query, one entry per statement. */
      statements: unknown[];
    }
  /** Not a query: COPY, ATTACH, SET, PRAGMA, CREATE, INSERT and every other statement. */
  | { kind: 'denied'; denials: string[] }
  /** DuckDB could not parse the SQL; `message` is DuckDB's, with the type of error first. */
  | { kind: 'invalid'; message: string };

/** `EXPLAIN`, `EXPLAIN ANALYZE` or `EXPLAIN (option, ...)` at the very start of the text. */
const EXPLAIN_PREFIX = /^\s*explain\b(?:\s+(analy[sz]e)\b|\s*\(([^()]*)\))?\s*/i;
const EXPLAIN_OPTIONS: ReadonlyMap<string, string> = new Map([
  ['ANALYZE', 'ANALYZE'],
  ['ANALYSE', 'ANALYZE'],
  ...['JSON', 'TEXT', 'HTML', 'GRAPHVIZ', 'YAML'].map((format): [string, string] => [`FORMAT ${format}`, `FORMAT ${format}`]),
]);

/** First words of statements other than queries, named in denials. */
const STATEMENT_KEYWORDS: ReadonlySet<string> = new Set([
  'ALTER', 'ANALYZE', 'ATTACH', 'CALL', 'CHECKPOINT', 'COMMENT', 'COPY', 'CREATE', 'DEALLOCATE', 'DELETE', 'DETACH',
  'DROP', 'EXECUTE', 'EXPLAIN', 'EXPORT', 'FORCE', 'IMPORT', 'INSERT', 'INSTALL', 'LOAD', 'MERGE', 'PIVOT',
  'PRAGMA', 'PREPARE', 'RESET', 'SET', 'UNPIVOT', 'UPDATE', 'UPSERT', 'USE', 'VACUUM', 'BEGIN', 'COMMIT',
  'ROLLBACK', 'ABORT', 'START', 'TRANSACTION', 'TRUNCATE', 'UNINSTALL', 'UPDATE_EXTENSIONS',
]);

/**
 * Parse a statement with DuckDB's own parser, without binding or running it:
 * `json_serialize_sql` returns the parse tree of SELECT statements and an
 * error for any other kind. The connection should be the one that will run
 * the statement, so that both parse it with the same settings.
 *
 * EXPLAIN is not a SELECT to `json_serialize_sql`, so a leading EXPLAIN with
 * known options is taken off, the query after it parsed, and the options
 * written out again from the list of known ones.
 */
export async function parseStatement(connection: DuckDBConnection, sql: string): Promise<ParsedStatement> {
  const explain = splitExplain(sql);
  const query = explain?.query ?? sql;

  const reader = await connection.runAndReadAll('SELECT json_serialize_sql(CAST($1 AS VARCHAR)) AS tree', [query]);
  const tree = JSON.parse(String(reader.getRows()[0]?.[0])) as {
    error?: boolean;
    error_type?: string;
    error_message?: string;
    statements?: unknown[];
  };

  if (tree.error === true && tree.error_type === 'parser') {
    return { kind: 'invalid', message: `Parser Error: ${tree.error_message ?? 'syntax error'}` };
  }
  if (tree.error === true) return { kind: 'denied', denials: statementKinds(query) };
  return {
    kind: 'parsed',
    sql: explain === undefined ? sql : `${explain.prefix} ${query}`,
    explain: explain !== undefined,
    statements: tree.statements ?? [],
  };
}

function splitExplain(sql: string): { prefix: string; query: string } | undefined {
  const match = EXPLAIN_PREFIX.exec(sql);
  if (match === null) return undefined;
  const [whole, analyze, optionList] = match;
  if (analyze !== undefined) return { prefix: 'EXPLAIN ANALYZE', query: sql.slice(whole.length) };

  if (optionList !== undefined) {
    const options = optionList.split(',').map((option) => EXPLAIN_OPTIONS.get(option.trim().replace(/\s+/g, ' ').toUpperCase()));
    if (options.every((option) => option !== undefined)) {
      return { prefix: `EXPLAIN (${options.join(', ')})`, query: sql.slice(whole.length) };
    }
  }
  // `EXPLAIN (FROM t)` explains a query in parentheses: everything after the keyword is the query.
  const keyword = /^\s*explain\b\s*/i.exec(sql) as RegExpExecArray;
  return { prefix: 'EXPLAIN', query: sql.slice(keyword[0].length) };
}

/** Name the statements that are not queries by their first word, such as `COPY statement`. */
function statementKinds(sql: string): string[] {
  const kinds = new Set<string>();
  let first = true;
  for (const token of tokenizeSql(sql)) {
    if (token.kind === 'symbol' && token.text === ';') {
      first = true;
      continue;
    }
    if (!first) continue;
    first = false;
    if (token.kind === 'word' && token.text === 'EXPLAIN') kinds.add('EXPLAIN other than EXPLAIN [ANALYZE] or EXPLAIN (ANALYZE, FORMAT ...) at the start');
    else if (token.kind === 'word' && STATEMENT_KEYWORDS.has(token.text)) kinds.add(`${token.text} statement`);
  }
  return kinds.size > 0 ? [...kinds] : ['a statement other than a query (only SELECT runs)'];
}
