/**
 * A construct that DuckDB accepts and Athena engine 3 (Trino) rejects or reads differently,
 * found in the text of a SQL transform.
 */
export interface DuckDbOnlySql {
  /** 1-based line of the file where the construct starts. */
  line: number;
  construct: string;
  /** The construct to write instead, in the SQL both engines accept. */
  instead: string;
}

interface PortabilityRule {
  construct: string;
  pattern: RegExp;
  instead: string;
  /** Match against the text with string literals kept, for rules about what a literal holds. */
  readsLiterals?: boolean;
}

/**
 * The DuckDB-only constructs a transform is checked for. The list is short on purpose: it catches
 * the usual slips, and running a transform on Athena is still the only full check.
 */
const DUCKDB_ONLY_RULES: readonly PortabilityRule[] = [
  { construct: ':: cast', pattern: /::/g, instead: 'CAST(value AS type)' },
  {
    construct: 'SELECT * EXCLUDE, REPLACE or RENAME',
    pattern: /\*\s*(EXCLUDE|REPLACE|RENAME)\s*\(/gi,
    instead: 'a list of the columns',
  },
  { construct: 'COLUMNS(...)', pattern: /\bCOLUMNS\s*\(/gi, instead: 'a list of the columns' },
  {
    construct: 'GROUP BY ALL or ORDER BY ALL',
    pattern: /\b(GROUP|ORDER)\s+BY\s+ALL\b/gi,
    instead: 'the column names',
  },
  {
    construct: 'QUALIFY',
    pattern: /\bQUALIFY\b/gi,
    instead: 'a WHERE on the window function in an outer query',
  },
  {
    construct: 'SELECT DISTINCT ON',
    pattern: /\bDISTINCT\s+ON\b/gi,
    instead: 'row_number() OVER (...) in a subquery',
  },
  {
    construct: 'UNION BY NAME',
    pattern: /\bUNION\s+(ALL\s+)?BY\s+NAME\b/gi,
    instead: 'UNION ALL of queries with the same columns in the same order',
  },
  { construct: 'ILIKE', pattern: /\bILIKE\b/gi, instead: "lower(value) LIKE 'pattern'" },
  { construct: 'ifnull or nvl', pattern: /\b(ifnull|nvl)\s*\(/gi, instead: 'coalesce(...)' },
  {
    construct: 'strftime or strptime',
    pattern: /\b(strftime|strptime)\s*\(/gi,
    instead: 'CAST and substr, as the dateTime expression of the shipped transforms does',
  },
  {
    construct: 'date_add, date_sub or datediff',
    pattern: /\b(date_add|date_sub|datediff)\s*\(/gi,
    instead: "arithmetic with INTERVAL '1' DAY and similar literals",
  },
  {
    construct: 'printf or format',
    pattern: /\b(printf|format)\s*\(/gi,
    instead: '|| and CAST(value AS VARCHAR)',
  },
  {
    construct: 'arg_max or arg_min',
    pattern: /\b(arg_max|arg_min)\s*\(/gi,
    instead: 'row_number() OVER (...) in a subquery',
  },
  {
    construct: 'regexp_matches or regexp_full_match',
    pattern: /\b(regexp_matches|regexp_full_match)\s*\(/gi,
    instead: "LIKE 'pattern'",
  },
  {
    construct: 'string_split or str_split',
    pattern: /\b(string_split|str_split)\s*\(/gi,
    instead: 'split_part(value, delimiter, index)',
  },
  {
    construct: 'md5, sha256 or hash',
    pattern: /\b(md5|sha256|hash)\s*\(/gi,
    instead: 'a hash the view already has, such as record_hash; the engines return different types',
  },
  {
    construct: '-> or ->> (JSON or lambda)',
    pattern: /->/g,
    instead: 'a view column that extracts the value',
  },
  {
    construct: 'INTERVAL with an unquoted number',
    pattern: /\bINTERVAL\s+\d/gi,
    instead: "INTERVAL '1' MINUTE",
  },
  {
    construct: 'INTERVAL with the unit inside the quotes',
    pattern: /\bINTERVAL\s+'[^']*[A-Za-z][^']*'/gi,
    instead: "INTERVAL '1' MINUTE",
    readsLiterals: true,
  },
  {
    construct: 'FROM before SELECT',
    pattern: /^\s*FROM\b/gi,
    instead: 'a statement that starts with SELECT or WITH',
  },
];

/**
 * Find the DuckDB-only constructs in a transform's SQL, outside comments and string literals,
 * in the order they appear.
 */
export function findDuckDbOnlySql(sql: string): DuckDbOnlySql[] {
  const withLiterals = maskSql(sql, false);
  const withoutLiterals = maskSql(sql, true);
  const found: Array<DuckDbOnlySql & { offset: number }> = [];
  for (const rule of DUCKDB_ONLY_RULES) {
    const text = rule.readsLiterals ? withLiterals : withoutLiterals;
    for (const match of text.matchAll(rule.pattern)) {
      const offset = match.index + (match[0].length - match[0].trimStart().length);
      found.push({
        line: lineAt(sql, offset),
        construct: rule.construct,
        instead: rule.instead,
        offset,
      });
    }
  }
  return found
    .sort((left, right) => left.offset - right.offset)
    .map(({ offset: _offset, ...rest }) => rest);
}

/** True when a SQL text contains anything besides comments, whitespace and semicolons. */
export function hasSqlStatement(sql: string): boolean {
  return /[^\s;]/.test(maskSql(sql, false));
}

/** Comments, string literals and quoted identifiers, matched left to right so that each hides the others' marks. */
const SQL_TOKENS = /--[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|'(?:[^']|'')*(?:'|$)|"(?:[^"]|"")*(?:"|$)/g;

/**
 * Replace comments, and string literal contents when asked, with spaces, keeping every line
 * break so that offsets still give the right line.
 */
function maskSql(sql: string, maskLiterals: boolean): string {
  return sql.replace(SQL_TOKENS, (token) => {
    if (token.startsWith('"')) return token;
    if (!token.startsWith("'")) return blank(token);
    return maskLiterals ? `'${blank(token.slice(1))}` : token;
  });
}

function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let index = 0; index < offset; index++) if (text[index] === '\n') line++;
  return line;
}
