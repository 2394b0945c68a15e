/** One lexical token of a SQL statement. Comments and whitespace are dropped. */
export interface SqlToken {
  kind: 'word' | 'quoted-identifier' | 'string' | 'number' | 'symbol';
  /** Upper-cased text for words, the raw text otherwise. */
  text: string;
  /** 1-based line where the token starts. */
  line: number;
}

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_$]/;
const DIGIT = /[0-9]/;
const OPENING = new Set(['(', '[', '{']);
const CLOSING = new Set([')', ']', '}']);

/**
 * Split SQL into tokens, enough to find constructs by their keywords: string
 * literals (with '' escapes and E'' backslash escapes), dollar-quoted strings,
 * double-quoted identifiers and comments are skipped over so that text inside
 * them never matches. Two-character operators `->`, `::` and `||` are one token.
 */
export function tokenizeSql(sql: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let line = 1;
  let index = 0;

  const advanceTo = (end: number): void => {
    for (let at = index; at < end; at++) if (sql[at] === '\n') line++;
    index = end;
  };

  while (index < sql.length) {
    const char = sql[index] as string;
    const next = sql[index + 1];
    const startLine = line;

    if (/\s/.test(char)) {
      advanceTo(index + 1);
    } else if (char === '-' && next === '-') {
      const end = sql.indexOf('\n', index);
      advanceTo(end === -1 ? sql.length : end);
    } else if (char === '/' && next === '*') {
      const end = sql.indexOf('*/', index + 2);
      advanceTo(end === -1 ? sql.length : end + 2);
    } else if (char === "'" || ((char === 'E' || char === 'e') && next === "'")) {
      const start = index;
      advanceTo(endOfQuoted(sql, char === "'" ? index : index + 1, "'", char !== "'"));
      tokens.push({ kind: 'string', text: sql.slice(start, index), line: startLine });
    } else if (char === '"') {
      const start = index;
      advanceTo(endOfQuoted(sql, index, '"', false));
      tokens.push({ kind: 'quoted-identifier', text: sql.slice(start, index), line: startLine });
    } else if (char === '$' && next === '$') {
      const start = index;
      const end = sql.indexOf('$$', index + 2);
      advanceTo(end === -1 ? sql.length : end + 2);
      tokens.push({ kind: 'string', text: sql.slice(start, index), line: startLine });
    } else if (WORD_START.test(char)) {
      let end = index + 1;
      while (end < sql.length && WORD_PART.test(sql[end] as string)) end++;
      tokens.push({ kind: 'word', text: sql.slice(index, end).toUpperCase(), line: startLine });
      advanceTo(end);
    } else if (DIGIT.test(char)) {
      let end = index + 1;
      while (end < sql.length && /[0-9._eE]/.test(sql[end] as string)) end++;
      tokens.push({ kind: 'number', text: sql.slice(index, end), line: startLine });
      advanceTo(end);
    } else {
      const pair = sql.slice(index, index + 2);
      const text = pair === '->' || pair === '::' || pair === '||' ? pair : char;
      tokens.push({ kind: 'symbol', text, line: startLine });
      advanceTo(index + text.length);
    }
  }
  return tokens;
}

/** Index just past the closing quote of a quoted run that opens at `start`; doubled quotes escape. */
function endOfQuoted(sql: string, start: number, quote: string, backslashEscapes: boolean): number {
  let at = start + 1;
  while (at < sql.length) {
    const char = sql[at];
    if (backslashEscapes && char === '\\') {
      at += 2;
    } else if (char === quote) {
      if (sql[at + 1] !== quote) return at + 1;
      at += 2;
    } else {
      at++;
    }
  }
  return sql.length;
}

/** The parenthesized list that opens at a `(` token: where it closes and where each argument starts. */
export interface ParenthesizedList {
  /** Index of the closing `)`. */
  close: number;
  /** Index of the first token of each comma-separated argument; empty for `()`. */
  argumentStarts: number[];
}

/**
 * Match the `(` at `open` with its `)`, splitting the tokens between them at
 * commas outside nested brackets. Returns undefined when it never closes.
 */
export function matchParenthesis(
  tokens: readonly SqlToken[],
  open: number,
): ParenthesizedList | undefined {
  let depth = 0;
  const first = tokens[open + 1];
  const argumentStarts = first && !isClosing(first) ? [open + 1] : [];
  for (let at = open; at < tokens.length; at++) {
    const token = tokens[at] as SqlToken;
    if (token.kind !== 'symbol') continue;
    if (OPENING.has(token.text)) depth++;
    else if (CLOSING.has(token.text)) {
      depth--;
      if (depth === 0) return { close: at, argumentStarts };
    } else if (token.text === ',' && depth === 1) argumentStarts.push(at + 1);
  }
  return undefined;
}

const isClosing = (token: SqlToken): boolean => token.kind === 'symbol' && CLOSING.has(token.text);
