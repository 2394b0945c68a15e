// Real: findJsonSyntaxError on literal JSON texts, checked against JSON.parse; nothing is faked.
import { findJsonSyntaxError, lineAndColumn } from './json-syntax';

describe('findJsonSyntaxError', () => {
  it.each([
    { case: 'object', text: '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"]}' },
    { case: 'empty containers', text: ' [ {}, [] ] ' },
    { case: 'scalar', text: '"only a string"' },
    { case: 'CRLF whitespace', text: '{\r\n"a":\t1\r\n}' },
  ])('returns undefined for valid $case', ({ text }) => {
    expect(() => JSON.parse(text)).not.toThrow();
    expect(findJsonSyntaxError(text)).toBeUndefined();
  });

  it.each([
    { case: 'empty input', text: '', offset: 0, reason: 'unexpected end of input' },
    { case: 'unclosed object', text: '{"a":1', offset: 6, reason: 'unexpected end of input' },
    { case: 'bare word', text: '{"a": x}', offset: 6, reason: 'expected a JSON value' },
    {
      case: 'missing colon',
      text: '{"a" 1}',
      offset: 5,
      reason: 'expected ":" after the property name',
    },
    { case: 'missing comma', text: '[1 2]', offset: 3, reason: 'expected "," or "]"' },
    { case: 'trailing comma', text: '[1,]', offset: 3, reason: 'expected a JSON value' },
    {
      case: 'trailing comma in object',
      text: '{"a":1,}',
      offset: 7,
      reason: 'expected a property name in double quotes',
    },
    {
      case: 'single quotes',
      text: "{'a':1}",
      offset: 1,
      reason: 'expected a property name in double quotes',
    },
    {
      case: 'text after value',
      text: '{} {}',
      offset: 3,
      reason: 'unexpected character after the end of the JSON value',
    },
    {
      case: 'raw newline in string',
      text: '"a\nb"',
      offset: 2,
      reason: 'control character in a string; it must be escaped',
    },
    { case: 'bad escape', text: '"a\\qb"', offset: 2, reason: 'invalid escape in a string' },
    {
      case: 'short unicode escape',
      text: '"\\u12"',
      offset: 1,
      reason: 'invalid \\u escape; expected four hexadecimal digits',
    },
    { case: 'unterminated string', text: '["abc', offset: 5, reason: 'unterminated string' },
    { case: 'leading zero', text: '[01]', offset: 2, reason: 'expected "," or "]"' },
    { case: 'lone minus', text: '-', offset: 0, reason: 'expected a JSON value' },
    { case: 'mismatched bracket', text: '{"a":[1}', offset: 7, reason: 'expected "," or "]"' },
  ])('locates $case', ({ text, offset, reason }) => {
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
    expect(findJsonSyntaxError(text)).toMatchObject({ offset, reason });
  });

  it('scans deep nesting without overflowing the stack', () => {
    const depth = 200_000;
    const text = `${'['.repeat(depth)}${']'.repeat(depth - 1)}`;
    expect(findJsonSyntaxError(text)).toMatchObject({
      offset: text.length,
      reason: 'unexpected end of input',
    });
  });
});

describe('lineAndColumn', () => {
  it.each([
    { case: 'first character', offset: 0, line: 1, column: 1 },
    { case: 'end of first line', offset: 2, line: 1, column: 3 },
    { case: 'start of second line', offset: 4, line: 2, column: 1 },
    { case: 'after CRLF', offset: 8, line: 3, column: 1 },
  ])('returns 1-based position at $case', ({ offset, line, column }) => {
    expect(lineAndColumn('ab\r\ncd\r\nef', offset)).toEqual({ line, column });
  });
});
