/** Position and reason of the first grammar error in a JSON text, in words that quote none of the text. */
export interface JsonSyntaxError {
  /** 0-based offset in UTF-16 code units. */
  offset: number;
  /** 1-based line. */
  line: number;
  /** 1-based column in UTF-16 code units. */
  column: number;
  reason: string;
}

type Expectation =
  'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const SIMPLE_ESCAPES = new Set(['"', '\\', '/', 'b', 'f', 'n', 'r', 't']);
const HEX_DIGITS = /^[0-9a-fA-F]{4}$/;

/**
 * Finds the first syntax error in a JSON text (RFC 8259), or returns undefined
 * when the text is valid. `JSON.parse` remains the parser, and this scan runs
 * only after it fails. V8's messages quote the input, which may contain health
 * data, and often give no position. The scan keeps an explicit stack, so deep nesting
 * cannot overflow the call stack.
 */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const stack: Array<'object' | 'array'> = [];
  let expectation: Expectation = 'value';
  let offset = 0;

  const fail = (at: number, reason: string): JsonSyntaxError => ({
    offset: at,
    ...lineAndColumn(text, at),
    reason,
  });
  const afterValue = (): Expectation => (stack.length === 0 ? 'end' : 'comma-or-close');

  for (;;) {
    offset = skipWhitespace(text, offset);
    if (offset >= text.length) {
      return expectation === 'end' ? undefined : fail(text.length, 'unexpected end of input');
    }
    const char = text[offset];

    switch (expectation) {
      case 'end':
        return fail(offset, 'unexpected character after the end of the JSON value');

      case 'colon':
        if (char !== ':') return fail(offset, 'expected ":" after the property name');
        offset += 1;
        expectation = 'value';
        continue;

      case 'comma-or-close': {
        const container = stack[stack.length - 1];
        const close = container === 'object' ? '}' : ']';
        if (char === ',') {
          offset += 1;
          expectation = container === 'object' ? 'key' : 'value';
        } else if (char === close) {
          offset += 1;
          stack.pop();
          expectation = afterValue();
        } else {
          return fail(offset, `expected "," or "${close}"`);
        }
        continue;
      }

      case 'key-or-close':
      case 'key': {
        if (char === '}' && expectation === 'key-or-close') {
          offset += 1;
          stack.pop();
          expectation = afterValue();
          continue;
        }
        if (char !== '"') return fail(offset, 'expected a property name in double quotes');
        const scanned = scanString(text, offset);
        if (typeof scanned !== 'number') return fail(scanned.offset, scanned.reason);
        offset = scanned;
        expectation = 'colon';
        continue;
      }

      case 'value-or-close':
      case 'value': {
        if (char === ']' && expectation === 'value-or-close') {
          offset += 1;
          stack.pop();
          expectation = afterValue();
          continue;
        }
        const scanned = scanValue(text, offset);
        if (typeof scanned !== 'number') return fail(scanned.offset, scanned.reason);
        if (char === '{') {
          stack.push('object');
          expectation = 'key-or-close';
        } else if (char === '[') {
          stack.push('array');
          expectation = 'value-or-close';
        } else {
          expectation = afterValue();
        }
        offset = scanned;
        continue;
      }
    }
  }
}

/** Returns the 1-based line and column of a UTF-16 offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (
    let index = text.indexOf('\n');
    index !== -1 && index < offset;
    index = text.indexOf('\n', index + 1)
  ) {
    line += 1;
    lineStart = index + 1;
  }
  return { line, column: offset - lineStart + 1 };
}

interface ScanFailure {
  offset: number;
  reason: string;
}

/** Scans the start of a value: a whole scalar, or the opening bracket of a container. */
function scanValue(text: string, offset: number): number | ScanFailure {
  const char = text[offset];
  if (char === '{' || char === '[') return offset + 1;
  if (char === '"') return scanString(text, offset);
  for (const literal of ['true', 'false', 'null']) {
    if (text.startsWith(literal, offset)) return offset + literal.length;
  }
  NUMBER.lastIndex = offset;
  if (NUMBER.test(text)) return NUMBER.lastIndex;
  return { offset, reason: 'expected a JSON value' };
}

/** Scans a string from its opening quote; returns the offset after the closing quote. */
function scanString(text: string, offset: number): number | ScanFailure {
  let index = offset + 1;
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (code === 0x22) return index + 1;
    if (code < 0x20)
      return { offset: index, reason: 'control character in a string; it must be escaped' };
    if (code === 0x5c) {
      const escape = text[index + 1];
      if (escape === 'u') {
        if (!HEX_DIGITS.test(text.slice(index + 2, index + 6))) {
          return { offset: index, reason: 'invalid \\u escape; expected four hexadecimal digits' };
        }
        index += 6;
        continue;
      }
      if (escape === undefined || !SIMPLE_ESCAPES.has(escape)) {
        return { offset: index, reason: 'invalid escape in a string' };
      }
      index += 2;
      continue;
    }
    index += 1;
  }
  return { offset: text.length, reason: 'unterminated string' };
}

function skipWhitespace(text: string, offset: number): number {
  let index = offset;
  for (;;) {
    const char = text[index];
    if (char !== ' ' && char !== '\t' && char !== '\n' && char !== '\r') return index;
    index += 1;
  }
}
