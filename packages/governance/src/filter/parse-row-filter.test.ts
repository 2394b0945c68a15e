// The row filter tokenizer and parser on literal filter texts; nothing is faked.
import { RowFilterSyntaxError } from '../errors';
import { parseRowFilter } from './parse-row-filter';
import type { FilterNode } from './syntax-tree';

/** Return the error a parse raises, or fail the test when it raises none. */
function syntaxError(text: string): RowFilterSyntaxError {
  try {
    parseRowFilter(text);
  } catch (error) {
    if (error instanceof RowFilterSyntaxError) return error;
    throw error;
  }
  throw new Error(`expected "${text}" to be rejected`);
}

describe('parseRowFilter', () => {
  it.each<{ case: string; text: string; tree: FilterNode }>([
    {
      case: 'string comparison',
      text: "facility = 'EAST'",
      tree: { kind: 'comparison', column: 'facility', operator: '=', value: { kind: 'string', value: 'EAST' } },
    },
    {
      case: '!= read as <>',
      text: 'year != 2018',
      tree: { kind: 'comparison', column: 'year', operator: '<>', value: { kind: 'number', text: '2018' } },
    },
    {
      case: 'negative decimal',
      text: 'score >= -1.25',
      tree: { kind: 'comparison', column: 'score', operator: '>=', value: { kind: 'number', text: '-1.25' } },
    },
    {
      case: 'doubled quote in a string',
      text: "name = 'O''Brien'",
      tree: { kind: 'comparison', column: 'name', operator: '=', value: { kind: 'string', value: "O'Brien" } },
    },
    {
      case: 'keywords in any case and names folded to lower case',
      text: 'Facility In (\'A\', \'B\') aNd Is_Deleted = FaLsE',
      tree: {
        kind: 'and',
        operands: [
          { kind: 'in', column: 'facility', values: [{ kind: 'string', value: 'A' }, { kind: 'string', value: 'B' }] },
          { kind: 'comparison', column: 'is_deleted', operator: '=', value: { kind: 'boolean', value: false } },
        ],
      },
    },
    {
      case: 'AND binds tighter than OR',
      text: "a = 1 OR b = 2 AND c = 'x'",
      tree: {
        kind: 'or',
        operands: [
          { kind: 'comparison', column: 'a', operator: '=', value: { kind: 'number', text: '1' } },
          {
            kind: 'and',
            operands: [
              { kind: 'comparison', column: 'b', operator: '=', value: { kind: 'number', text: '2' } },
              { kind: 'comparison', column: 'c', operator: '=', value: { kind: 'string', value: 'x' } },
            ],
          },
        ],
      },
    },
    {
      case: 'parentheses of the same operator flattened',
      text: '(a = 1 AND (b = 2 AND c = 3))',
      tree: {
        kind: 'and',
        operands: [
          { kind: 'comparison', column: 'a', operator: '=', value: { kind: 'number', text: '1' } },
          { kind: 'comparison', column: 'b', operator: '=', value: { kind: 'number', text: '2' } },
          { kind: 'comparison', column: 'c', operator: '=', value: { kind: 'number', text: '3' } },
        ],
      },
    },
    {
      case: 'NOT BETWEEN and IS NOT NULL',
      text: "country NOT BETWEEN 'U' AND 'Z' AND region IS NOT NULL",
      tree: {
        kind: 'and',
        operands: [
          { kind: 'not', operand: { kind: 'between', column: 'country', low: { kind: 'string', value: 'U' }, high: { kind: 'string', value: 'Z' } } },
          { kind: 'isNull', column: 'region', negated: true },
        ],
      },
    },
    {
      case: 'NOT LIKE and a quoted name',
      text: `"select" NOT LIKE 'ab%'`,
      tree: { kind: 'not', operand: { kind: 'like', column: 'select', pattern: 'ab%' } },
    },
    {
      case: 'prefix NOT on a group',
      text: 'NOT (a = 1 OR a = 2)',
      tree: {
        kind: 'not',
        operand: {
          kind: 'or',
          operands: [
            { kind: 'comparison', column: 'a', operator: '=', value: { kind: 'number', text: '1' } },
            { kind: 'comparison', column: 'a', operator: '=', value: { kind: 'number', text: '2' } },
          ],
        },
      },
    },
  ])('parses $case', ({ text, tree }) => {
    expect(parseRowFilter(text)).toEqual(tree);
  });

  it.each([
    { case: 'function call', text: "upper(facility) = 'EAST'", character: 1, message: /function calls are not allowed \(upper\)/ },
    { case: 'function on the right', text: 'a = lower(b)', character: 5, message: /function calls/ },
    { case: 'subquery', text: 'a IN (SELECT id FROM t)', character: 7, message: /subqueries/ },
    { case: 'arithmetic', text: 'a + 1 = 2', character: 3, message: /arithmetic \("\+"\)/ },
    { case: 'arithmetic after a constant', text: 'a = 1 - 2', character: 7, message: /arithmetic \("-"\)/ },
    { case: 'column compared with a column', text: 'a = 1 AND b = c', character: 15, message: /compared with a constant, found column c/ },
    { case: 'constant first', text: "'EAST' = facility", character: 1, message: /must start with a column name/ },
    { case: 'comparison with NULL', text: 'a = NULL', character: 5, message: /IS NULL/ },
    { case: 'date constant', text: "d > DATE '2024-01-01'", character: 5, message: /DATE constants are not allowed/ },
    { case: 'nested field', text: 'address.zip = 1', character: 8, message: /nested field/ },
    { case: 'unterminated string', text: "a = 'abc", character: 5, message: /unterminated string/ },
    { case: 'missing parenthesis', text: '(a = 1', character: 7, message: /expected "\)"/ },
    { case: 'trailing tokens', text: 'a = 1 b = 2', character: 7, message: /expected AND, OR or the end/ },
    { case: 'bare column', text: 'is_deleted', character: 11, message: /expected a comparison after column is_deleted/ },
    { case: 'empty', text: '   ', character: 1, message: /empty/ },
    { case: 'comment', text: 'a = 1 -- x', character: 7, message: /comments/ },
    { case: 'statement separator', text: 'a = 1; DROP TABLE t', character: 6, message: /";"/ },
    { case: 'exponent', text: 'a = 1e5', character: 6, message: /exponent/ },
    { case: 'LIKE with a number', text: 'a LIKE 5', character: 8, message: /'pattern'/ },
    { case: 'ESCAPE clause', text: "a LIKE 'x!%' ESCAPE '!'", character: 14, message: /ESCAPE/ },
  ])('rejects $case at its first unsupported token', ({ text, character, message }) => {
    const error = syntaxError(text);

    expect(error.character).toBe(character);
    expect(error.message).toMatch(message);
    expect(error.message).toContain(`at character ${character}`);
    expect(error.hint).toMatch(/compares columns with constants/);
  });

  it('accepts 2,048 characters and rejects 2,049', () => {
    const clause = "facility = 'ABCDEFGHIJ'";
    const base = Array.from({ length: 75 }, () => clause).join(' OR ');
    const exact = base + ' '.repeat(2048 - base.length);
    expect(exact).toHaveLength(2048);

    expect(() => parseRowFilter(exact)).not.toThrow();
    expect(syntaxError(`${exact} `).character).toBe(2049);
  });
});
