import { RowFilterSyntaxError } from '../errors';

/** Words of the filter language. Matched without regard to case, as in PartiQL. */
export const KEYWORDS = ['and', 'or', 'not', 'in', 'between', 'like', 'is', 'null', 'true', 'false'] as const;
export type Keyword = (typeof KEYWORDS)[number];

/** Words that start a construct outside the subset, named in the error so the user knows what was refused. */
const UNSUPPORTED_WORDS: Record<string, string> = {
  select: 'subqueries are not allowed',
  exists: 'EXISTS is not allowed',
  case: 'CASE expressions are not allowed',
  cast: 'CAST is not allowed',
  date: 'DATE constants are not allowed: Lake Formation row filters compare only STRING, numeric and BOOLEAN columns',
  timestamp: 'TIMESTAMP constants are not allowed: Lake Formation row filters compare only STRING, numeric and BOOLEAN columns',
  escape: 'LIKE ... ESCAPE is not allowed',
  ilike: 'ILIKE is not allowed: LIKE is case-sensitive in Lake Formation',
  similar: 'SIMILAR TO is not allowed',
};

export type Token =
  | { kind: 'keyword'; keyword: Keyword; start: number }
  | { kind: 'identifier'; name: string; quoted: boolean; start: number }
  | { kind: 'string'; value: string; start: number }
  | { kind: 'number'; text: string; start: number }
  | { kind: 'operator'; operator: '=' | '<>' | '!=' | '<' | '<=' | '>' | '>='; start: number }
  | { kind: 'punctuation'; symbol: '(' | ')' | ','; start: number }
  | { kind: 'end'; start: number };

const WORD_START = /[A-Za-z_]/;
const WORD_PART = /[A-Za-z0-9_]/;
const DIGIT = /[0-9]/;

/**
 * Split a filter into tokens. `start` is the 0-based offset of the token; errors report it 1-based.
 * A character that no token of the subset starts with is rejected here, with its position.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;

  while (index < text.length) {
    const char = text[index] as string;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const start = index;

    if (WORD_START.test(char)) {
      while (index < text.length && WORD_PART.test(text[index] as string)) index++;
      const word = text.slice(start, index);
      const lower = word.toLowerCase();
      const unsupported = UNSUPPORTED_WORDS[lower];
      if (unsupported !== undefined) throw new RowFilterSyntaxError(unsupported, start + 1);
      if ((KEYWORDS as readonly string[]).includes(lower)) tokens.push({ kind: 'keyword', keyword: lower as Keyword, start });
      // Glue stores names in lower case, so an unquoted name matches without regard to case.
      else tokens.push({ kind: 'identifier', name: lower, quoted: false, start });
      continue;
    }

    if (char === '"') {
      const { value, end } = readQuoted(text, start, '"', 'quoted name');
      if (value === '') throw new RowFilterSyntaxError('empty quoted name', start + 1);
      tokens.push({ kind: 'identifier', name: value, quoted: true, start });
      index = end;
      continue;
    }

    if (char === "'") {
      const { value, end } = readQuoted(text, start, "'", 'string constant');
      tokens.push({ kind: 'string', value, start });
      index = end;
      continue;
    }

    const negative = char === '-' && DIGIT.test(text[index + 1] ?? '') && precedesValue(tokens);
    if (DIGIT.test(char) || negative) {
      index = readNumber(text, start);
      tokens.push({ kind: 'number', text: text.slice(start, index), start });
      continue;
    }

    const twoChars = text.slice(index, index + 2);
    if (twoChars === '<>' || twoChars === '!=' || twoChars === '<=' || twoChars === '>=') {
      tokens.push({ kind: 'operator', operator: twoChars, start });
      index += 2;
      continue;
    }
    if (char === '=' || char === '<' || char === '>') {
      tokens.push({ kind: 'operator', operator: char, start });
      index++;
      continue;
    }
    if (char === '(' || char === ')' || char === ',') {
      tokens.push({ kind: 'punctuation', symbol: char, start });
      index++;
      continue;
    }

    throw new RowFilterSyntaxError(describeUnsupportedCharacter(text, index), start + 1);
  }

  tokens.push({ kind: 'end', start: text.length });
  return tokens;
}

/** A '-' is a sign only where a constant may follow: after an operator, '(' , ',' or a keyword. */
function precedesValue(tokens: readonly Token[]): boolean {
  const previous = tokens[tokens.length - 1];
  return previous !== undefined && (previous.kind === 'operator' || previous.kind === 'punctuation' || previous.kind === 'keyword');
}

function readQuoted(text: string, start: number, quote: string, what: string): { value: string; end: number } {
  let value = '';
  let index = start + 1;
  for (;;) {
    if (index >= text.length) throw new RowFilterSyntaxError(`unterminated ${what}`, start + 1);
    const char = text[index] as string;
    if (char === quote) {
      // A doubled quote stands for one quote character, as in SQL.
      if (text[index + 1] === quote) {
        value += quote;
        index += 2;
        continue;
      }
      return { value, end: index + 1 };
    }
    value += char;
    index++;
  }
}

function readNumber(text: string, start: number): number {
  let index = start;
  if (text[index] === '-') index++;
  while (DIGIT.test(text[index] ?? '')) index++;
  if (text[index] === '.' && DIGIT.test(text[index + 1] ?? '')) {
    index++;
    while (DIGIT.test(text[index] ?? '')) index++;
  }
  const next = text[index] ?? '';
  if (next === 'e' || next === 'E') {
    throw new RowFilterSyntaxError('exponent notation is not allowed: write the number in full', index + 1);
  }
  if (next === '.' || WORD_PART.test(next)) {
    throw new RowFilterSyntaxError('invalid number', start + 1);
  }
  return index;
}

function describeUnsupportedCharacter(text: string, index: number): string {
  const char = text[index] as string;
  if (text.startsWith('--', index) || text.startsWith('/*', index)) return 'comments are not allowed';
  if ('+-*/%'.includes(char)) return `arithmetic ("${char}") is not allowed: compare a column with a constant`;
  if (text.startsWith('||', index)) return 'string concatenation ("||") is not allowed';
  if (char === '.') return 'nested field references are not allowed: carelake tables have no STRUCT columns';
  if (char === ';') return 'a filter is one expression: ";" is not allowed';
  if (char === '`' || char === '[') return 'quote a column name with double quotes';
  return `unexpected character "${char}"`;
}
