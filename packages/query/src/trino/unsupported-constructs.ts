import type { UnsupportedConstruct } from '../errors';
import { MYSQL_CODES_TRINO_REJECTS } from './mysql-format';
import { matchParenthesis, tokenizeSql, type SqlToken } from './sql-tokens';

/**
 * Trino functions that have no DuckDB macro, because their arguments are
 * lambdas (a DuckDB macro cannot take one) or date patterns DuckDB cannot
 * translate while binding, keyed by upper-cased name. DuckDB does not define these names, so nothing that runs
 * on DuckDB is rejected.
 */
const UNTRANSLATED_FUNCTIONS = new Map<string, string>([
  [
    'FORMAT_DATETIME',
    'write date_format(value, format) with MySQL format codes, or strftime(value, format).',
  ],
  [
    'PARSE_DATETIME',
    'write strptime(text, format) with strftime codes, such as %Y-%m-%d %H:%M:%S.',
  ],
  // strptime needs a constant format when DuckDB binds it, so a macro cannot translate the codes.
  [
    'DATE_PARSE',
    'write strptime(text, format) with strftime codes: %i is %M (minutes), %s is %S, %M is %B (month name), %T is %H:%M:%S.',
  ],
  ['AT_TIMEZONE', 'write timezone(zone, value) for the wall-clock time in the zone.'],
  ['TRANSFORM', 'write list_transform(array, lambda x: expression).'],
  [
    'TRANSFORM_KEYS',
    'write map_from_entries(list_transform(map_entries(map), lambda e: {key: ..., value: e.value})).',
  ],
  [
    'TRANSFORM_VALUES',
    'write map_from_entries(list_transform(map_entries(map), lambda e: {key: e.key, value: ...})).',
  ],
  ['MAP_FILTER', 'write map_from_entries(list_filter(map_entries(map), lambda e: condition)).'],
  [
    'ZIP_WITH',
    'write list_transform(list_zip(a, b), lambda pair: expression over pair[1] and pair[2]).',
  ],
  ['ANY_MATCH', 'write len(list_filter(array, lambda x: condition)) > 0.'],
  ['ALL_MATCH', 'write len(list_filter(array, lambda x: NOT (condition))) = 0.'],
  ['NONE_MATCH', 'write len(list_filter(array, lambda x: condition)) = 0.'],
]);

type Rule = (tokens: readonly SqlToken[], at: number) => UnsupportedConstruct | undefined;

const isWord = (token: SqlToken | undefined, text: string): boolean =>
  token?.kind === 'word' && token.text === text;
const isSymbol = (token: SqlToken | undefined, text: string): boolean =>
  token?.kind === 'symbol' && token.text === text;

/** A call of a Trino function that no macro translates. */
const untranslatedFunction: Rule = (tokens, at) => {
  const token = tokens[at] as SqlToken;
  const alternative = token.kind === 'word' ? UNTRANSLATED_FUNCTIONS.get(token.text) : undefined;
  if (!alternative || !isSymbol(tokens[at + 1], '(') || isSymbol(tokens[at - 1], '.'))
    return undefined;
  return { construct: token.text.toLowerCase(), alternative, line: token.line };
};

/** Trino's reduce(array, initial, (state, x) -> ..., state -> ...) has four arguments; DuckDB's has two or three. */
const trinoReduce: Rule = (tokens, at) => {
  if (!isWord(tokens[at], 'REDUCE') || !isSymbol(tokens[at + 1], '(')) return undefined;
  if (matchParenthesis(tokens, at + 1)?.argumentStarts.length !== 4) return undefined;
  return {
    construct: 'reduce with four arguments',
    alternative:
      'write list_reduce(array, lambda state, x: expression, initial) and apply the output function around it.',
    line: (tokens[at] as SqlToken).line,
  };
};

/** listagg(x, ',') WITHIN GROUP (ORDER BY ...), which DuckDB's parser does not accept. */
const listaggWithinGroup: Rule = (tokens, at) => {
  if (!isWord(tokens[at], 'LISTAGG') || !isSymbol(tokens[at + 1], '(')) return undefined;
  const call = matchParenthesis(tokens, at + 1);
  if (
    !call ||
    !isWord(tokens[call.close + 1], 'WITHIN') ||
    !isWord(tokens[call.close + 2], 'GROUP')
  )
    return undefined;
  return {
    construct: 'listagg ... WITHIN GROUP',
    alternative: "write string_agg(value, ',' ORDER BY key).",
    line: (tokens[at] as SqlToken).line,
  };
};

/**
 * `value AT TIME ZONE zone`. DuckDB reads a TIMESTAMP without time zone as
 * local time in the zone and returns an instant, while Athena reads it as UTC
 * and returns the same instant in the zone, so the results differ silently.
 */
const atTimeZone: Rule = (tokens, at) => {
  if (
    !isWord(tokens[at], 'AT') ||
    !isWord(tokens[at + 1], 'TIME') ||
    !isWord(tokens[at + 2], 'ZONE')
  )
    return undefined;
  return {
    construct: 'AT TIME ZONE',
    alternative:
      "write timezone(zone, timezone('UTC', value)) for the wall-clock time in a zone of a UTC timestamp, or with_timezone(value, zone) for an instant.",
    line: (tokens[at] as SqlToken).line,
  };
};

/** `TABLESAMPLE BERNOULLI (10)` means 10 percent in Trino; DuckDB's parser rejects a bare number there. */
const tableSample: Rule = (tokens, at) => {
  if (!isWord(tokens[at], 'TABLESAMPLE')) return undefined;
  const method = tokens[at + 1];
  if (!(isWord(method, 'BERNOULLI') || isWord(method, 'SYSTEM')) || !isSymbol(tokens[at + 2], '('))
    return undefined;
  return {
    construct: `TABLESAMPLE ${(method as SqlToken).text}`,
    alternative: 'write TABLESAMPLE 10% or USING SAMPLE 10 PERCENT (bernoulli) after the table.',
    line: (tokens[at] as SqlToken).line,
  };
};

/**
 * `UNNEST(a, b) AS t(x, y)` zips arrays, and `UNNEST(rows_or_map) AS t(x, y)`
 * expands each row or map entry into columns. DuckDB's UNNEST takes one list
 * and returns one column, keeping any row as a single STRUCT, so a column
 * list longer than the arguments would silently name the wrong thing.
 */
const unnestColumns: Rule = (tokens, at) => {
  if (!isWord(tokens[at], 'UNNEST') || !isSymbol(tokens[at + 1], '(')) return undefined;
  const call = matchParenthesis(tokens, at + 1);
  if (!call) return undefined;

  let after = call.close + 1;
  let ordinality = 0;
  if (isWord(tokens[after], 'WITH') && isWord(tokens[after + 1], 'ORDINALITY')) {
    ordinality = 1;
    after += 2;
  }
  if (isWord(tokens[after], 'AS')) after++;
  const alias = tokens[after];
  if (
    !(alias?.kind === 'word' || alias?.kind === 'quoted-identifier') ||
    !isSymbol(tokens[after + 1], '(')
  )
    return undefined;
  const columns = matchParenthesis(tokens, after + 1);
  if (!columns) return undefined;

  const line = (tokens[at] as SqlToken).line;
  if (call.argumentStarts.length > 1) {
    return {
      construct: 'UNNEST of several arrays',
      alternative:
        'write one unnest per array in the select list, such as SELECT unnest(a) AS x, unnest(b) AS y; shorter arrays are padded with NULL as in Trino.',
      line,
    };
  }
  if (columns.argumentStarts.length > call.argumentStarts.length + ordinality) {
    return {
      construct: 'UNNEST of rows or a map into several columns',
      alternative:
        'write UNNEST(items) AS t(item) with one column and select item.field; for a map, write UNNEST(map_entries(m)) AS t(entry) and select entry.key and entry.value.',
      line,
    };
  }
  return undefined;
};

/**
 * date_format with a literal format that uses a MySQL code Trino rejects.
 * Formats that are not literals fail in DuckDB, whose strftime needs a constant.
 */
const rejectedFormatCode: Rule = (tokens, at) => {
  if (!isWord(tokens[at], 'DATE_FORMAT') || !isSymbol(tokens[at + 1], '(')) return undefined;
  const call = matchParenthesis(tokens, at + 1);
  const formatStart = call?.argumentStarts[1];
  if (!call || formatStart === undefined) return undefined;
  const format = tokens[formatStart] as SqlToken;
  if (format.kind !== 'string' || formatStart + 1 !== call.close) return undefined;

  const codes: string[] = format.text.match(/%./g) ?? [];
  const rejected = MYSQL_CODES_TRINO_REJECTS.filter((code) => codes.includes(code));
  if (rejected.length === 0) return undefined;
  return {
    construct: `date_format code ${rejected.join(' ')}`,
    alternative:
      'Trino rejects these codes too; write strftime(value, format) with strftime codes such as %U or %V.',
    line: (tokens[at] as SqlToken).line,
  };
};

/** Trino's type syntax ARRAY(T) and ROW(name T, ...), which DuckDB writes T[] and STRUCT(name T, ...). */
const trinoTypeSyntax: Rule = (tokens, at) => {
  const token = tokens[at] as SqlToken;
  if (!isSymbol(tokens[at + 1], '(')) return undefined;
  const inside = tokens[at + 2];
  if (
    isWord(token, 'ARRAY') &&
    inside?.kind === 'word' &&
    !['SELECT', 'WITH', 'VALUES', 'FROM'].includes(inside.text)
  ) {
    return {
      construct: 'ARRAY(type)',
      alternative: 'write the element type followed by [], such as VARCHAR[].',
      line: token.line,
    };
  }
  if (isWord(token, 'ROW') && inside?.kind !== 'symbol' && tokens[at + 3]?.kind === 'word') {
    return {
      construct: 'ROW(name type, ...)',
      alternative: 'write STRUCT(name type, ...).',
      line: token.line,
    };
  }
  return undefined;
};

const RULES: readonly Rule[] = [
  untranslatedFunction,
  trinoReduce,
  listaggWithinGroup,
  atTimeZone,
  tableSample,
  unnestColumns,
  rejectedFormatCode,
  trinoTypeSyntax,
];

/**
 * Find the Trino constructs in a statement that the local engine neither runs
 * nor translates, each with what to write instead. Returns an empty list for
 * SQL that DuckDB runs with Trino's meaning, or that this check cannot judge.
 */
export function findUnsupportedConstructs(sql: string): UnsupportedConstruct[] {
  const tokens = tokenizeSql(sql);
  const found: UnsupportedConstruct[] = [];
  for (let at = 0; at < tokens.length; at++) {
    for (const rule of RULES) {
      const construct = rule(tokens, at);
      if (construct) found.push(construct);
    }
  }
  return found;
}
