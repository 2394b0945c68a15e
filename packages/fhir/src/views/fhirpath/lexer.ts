import { FhirPathCompileError } from './errors';

export type TokenKind =
  | 'identifier'
  | 'delimited-identifier'
  | 'string'
  | 'number'
  | 'date'
  | 'datetime'
  | 'time'
  | 'variable'
  | 'constant'
  | 'operator'
  | 'end';

export interface Token {
  kind: TokenKind;
  /** For identifiers, strings and constants the decoded text; otherwise the text as written. */
  text: string;
  /** 0-based index of the token's first character in the expression. */
  offset: number;
}

const OPERATORS = [
  '<=',
  '>=',
  '!=',
  '!~',
  '.',
  '[',
  ']',
  '(',
  ')',
  '{',
  '}',
  ',',
  '+',
  '-',
  '*',
  '/',
  '&',
  '|',
  '<',
  '>',
  '=',
  '~',
];

const DATE = /^\d{4}(-\d{2}(-\d{2})?)?/;
const TIME = /^\d{2}(:\d{2}(:\d{2}(\.\d+)?)?)?/;
const TIMEZONE = /^(Z|[+-]\d{2}:\d{2})/;

const ESCAPES: Record<string, string> = {
  "'": "'",
  '"': '"',
  '`': '`',
  '\\': '\\',
  '/': '/',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
};

/** Split a FHIRPath expression into tokens, skipping white space and comments. */
export function tokenize(expression: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index] as string;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    if (expression.startsWith('//', index)) {
      const end = expression.indexOf('\n', index);
      index = end < 0 ? expression.length : end + 1;
      continue;
    }
    if (expression.startsWith('/*', index)) {
      const end = expression.indexOf('*/', index + 2);
      if (end < 0) throw new FhirPathCompileError('unterminated comment', index);
      index = end + 2;
      continue;
    }
    const token = readToken(expression, index);
    tokens.push(token.token);
    index = token.next;
  }
  tokens.push({ kind: 'end', text: '', offset: expression.length });
  return tokens;
}

function readToken(expression: string, start: number): { token: Token; next: number } {
  const char = expression[start] as string;
  if (/[A-Za-z_]/.test(char)) {
    const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(start)) as RegExpExecArray;
    return {
      token: { kind: 'identifier', text: match[0], offset: start },
      next: start + match[0].length,
    };
  }
  if (/\d/.test(char)) {
    const match = /^\d+(\.\d+)?/.exec(expression.slice(start)) as RegExpExecArray;
    return {
      token: { kind: 'number', text: match[0], offset: start },
      next: start + match[0].length,
    };
  }
  if (char === "'" || char === '`') {
    const { text, next } = readQuoted(expression, start, char);
    return {
      token: { kind: char === "'" ? 'string' : 'delimited-identifier', text, offset: start },
      next,
    };
  }
  if (char === '@') return readDateTime(expression, start);
  if (char === '$') {
    const match = /^\$(this|index|total)\b/.exec(expression.slice(start));
    if (!match)
      throw new FhirPathCompileError('unknown variable; expected $this, $index or $total', start);
    return {
      token: { kind: 'variable', text: match[1] as string, offset: start },
      next: start + match[0].length,
    };
  }
  if (char === '%') return readConstant(expression, start);
  const operator = OPERATORS.find((candidate) => expression.startsWith(candidate, start));
  if (operator)
    return {
      token: { kind: 'operator', text: operator, offset: start },
      next: start + operator.length,
    };
  throw new FhirPathCompileError(`unexpected character "${char}"`, start);
}

function readQuoted(
  expression: string,
  start: number,
  quote: string,
): { text: string; next: number } {
  let text = '';
  let index = start + 1;
  while (index < expression.length) {
    const char = expression[index] as string;
    if (char === quote) return { text, next: index + 1 };
    if (char === '\\') {
      const escaped = expression[index + 1];
      if (escaped === 'u') {
        const hex = expression.slice(index + 2, index + 6);
        if (!/^[0-9A-Fa-f]{4}$/.test(hex))
          throw new FhirPathCompileError('invalid \\u escape', index);
        text += String.fromCharCode(parseInt(hex, 16));
        index += 6;
        continue;
      }
      const replacement = escaped === undefined ? undefined : ESCAPES[escaped];
      if (replacement === undefined)
        throw new FhirPathCompileError('invalid escape sequence', index);
      text += replacement;
      index += 2;
      continue;
    }
    text += char;
    index++;
  }
  throw new FhirPathCompileError(
    quote === "'" ? 'unterminated string' : 'unterminated delimited identifier',
    start,
  );
}

/** Read `@2014-01-25`, `@2014-01-25T14:30:14.559+01:00`, `@2014T` or `@T14:30`. */
function readDateTime(expression: string, start: number): { token: Token; next: number } {
  const rest = expression.slice(start + 1);
  if (rest.startsWith('T')) {
    const time = TIME.exec(rest.slice(1));
    if (!time) throw new FhirPathCompileError('invalid time literal; expected @Thh:mm:ss', start);
    const text = time[0];
    return { token: { kind: 'time', text, offset: start }, next: start + 2 + text.length };
  }
  const date = DATE.exec(rest);
  if (!date) throw new FhirPathCompileError('invalid date literal; expected @YYYY-MM-DD', start);
  let text = date[0];
  if (rest[text.length] !== 'T')
    return { token: { kind: 'date', text, offset: start }, next: start + 1 + text.length };
  text += 'T';
  const time = TIME.exec(rest.slice(text.length));
  if (time) {
    text += time[0];
    const zone = TIMEZONE.exec(rest.slice(text.length));
    if (zone) text += zone[0];
  }
  return { token: { kind: 'datetime', text, offset: start }, next: start + 1 + text.length };
}

function readConstant(expression: string, start: number): { token: Token; next: number } {
  const next = expression[start + 1];
  if (next === '`' || next === "'") {
    const quoted = readQuoted(expression, start + 1, next);
    return { token: { kind: 'constant', text: quoted.text, offset: start }, next: quoted.next };
  }
  const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(expression.slice(start + 1));
  if (!match) throw new FhirPathCompileError('expected a constant name after %', start);
  return {
    token: { kind: 'constant', text: match[0], offset: start },
    next: start + 1 + match[0].length,
  };
}
