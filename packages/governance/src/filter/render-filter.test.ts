// Row filter renderers: fast-check generates filter trees; each rendering is parsed back with the real parser and run in a real in-memory DuckDB.
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import fc from 'fast-check';
import { filterTree, generatedColumnType, FILTER_COLUMNS } from './__fixtures__/filter-arbitraries';
import { parseRowFilter } from './parse-row-filter';
import { duckDbIdentifier, renderDuckDbFilter } from './render-duckdb';
import { renderLakeFormationFilter } from './render-lake-formation';
import type { FilterLiteral, FilterNode } from './syntax-tree';

describe('renderLakeFormationFilter', () => {
  it('parses back to the same tree', () => {
    fc.assert(
      fc.property(filterTree, (tree) => {
        const text = renderLakeFormationFilter(tree);
        expect(parseRowFilter(text)).toEqual(tree);
      }),
      { numRuns: 300 },
    );
  });

  it('is stable through render, parse, render', () => {
    fc.assert(
      fc.property(filterTree, (tree) => {
        const text = renderLakeFormationFilter(tree);
        expect(renderLakeFormationFilter(parseRowFilter(text))).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    { case: 'quote doubled', text: "name = 'O''Brien'", rendered: "name = 'O''Brien'" },
    { case: 'reserved name quoted', text: '"select" = \'x\'', rendered: '"select" = \'x\'' },
    { case: 'prefix NOT form', text: "a NOT IN ('x', 'y')", rendered: "NOT (a IN ('x', 'y'))" },
    { case: 'AND groups inside OR', text: 'a = 1 AND b = 2 OR c = 3', rendered: '(a = 1 AND b = 2) OR c = 3' },
    { case: 'OR group inside AND', text: '(a = 1 OR b = 2) AND c = 3', rendered: '(a = 1 OR b = 2) AND c = 3' },
  ])('writes $case', ({ text, rendered }) => {
    expect(renderLakeFormationFilter(parseRowFilter(text))).toBe(rendered);
  });
});

describe('renderDuckDbFilter', () => {
  it('agrees with the reparsed tree', () => {
    fc.assert(
      fc.property(filterTree, (tree) => {
        const reparsed = parseRowFilter(renderLakeFormationFilter(tree));
        expect(renderDuckDbFilter(reparsed, generatedColumnType)).toBe(renderDuckDbFilter(tree, generatedColumnType));
      }),
      { numRuns: 200 },
    );
  });

  it('quotes names and casts constants to the column type', () => {
    const tree = parseRowFilter(`"Source ""System""" = 'it''s' AND source_position > 9223372036854775807 AND NOT (score BETWEEN -1.5 AND 2)`);

    expect(renderDuckDbFilter(tree, generatedColumnType)).toBe(
      `("Source ""System""" = 'it''s') AND ("source_position" > CAST(9223372036854775807 AS BIGINT)) AND (NOT ("score" BETWEEN CAST(-1.5 AS DOUBLE) AND CAST(2 AS DOUBLE)))`,
    );
  });

  it('rejects a column the table lacks', () => {
    expect(() => renderDuckDbFilter(parseRowFilter("nope = 'x'"), generatedColumnType)).toThrow(/"nope" is not a column/);
  });

  describe('in DuckDB', () => {
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;

    /** Rows with quotes, backslashes, wildcards, NULLs and the integer limits. */
    const ROWS: Array<Record<string, string | number | bigint | boolean | null>> = [
      { facility: 'EAST', select: "O'Brien", 'Source "System"': 'a\\b', visit_count: 1, source_position: 0n, score: 1.5, is_deleted: false },
      { facility: "it's", select: '%', 'Source "System"': "'", visit_count: -2147483648, source_position: 9223372036854775807n, score: -1, is_deleted: true },
      { facility: 'east', select: '_', 'Source "System"': '', visit_count: 2147483647, source_position: -9223372036854775808n, score: 0, is_deleted: false },
      { facility: null, select: null, 'Source "System"': null, visit_count: null, source_position: null, score: null, is_deleted: null },
      { facility: "a'; DROP TABLE t; --", select: 'ÄÖ✓', 'Source "System"': '"', visit_count: 7, source_position: 42n, score: 2.25, is_deleted: true },
    ];

    beforeAll(async () => {
      instance = await DuckDBInstance.create(':memory:');
      connection = await instance.connect();
      const columns = FILTER_COLUMNS.map(({ name, type }) => `${duckDbIdentifier(name)} ${SQL_TYPES[type] as string}`).join(', ');
      await connection.run(`CREATE TABLE t (row_id INTEGER, ${columns})`);
      for (const [index, row] of ROWS.entries()) {
        const values = FILTER_COLUMNS.map(({ name }) => sqlValue(row[name] ?? null));
        await connection.run(`INSERT INTO t VALUES (${index}, ${values.join(', ')})`);
      }
    });

    afterAll(() => {
      connection.closeSync();
      instance.closeSync();
    });

    async function selectedRows(tree: FilterNode): Promise<number[]> {
      const result = await connection.runAndReadAll(`SELECT row_id FROM t WHERE ${renderDuckDbFilter(tree, generatedColumnType)} ORDER BY row_id`);
      return result.getRowObjects().map((row) => Number(row['row_id']));
    }

    it.each([
      { case: 'string with a quote', text: `facility = 'it''s'`, rows: [1] },
      { case: 'case-sensitive compare', text: `facility = 'EAST'`, rows: [0] },
      { case: 'injection text stays a constant', text: `facility = 'a''; DROP TABLE t; --'`, rows: [4] },
      { case: 'LIKE wildcard', text: `facility LIKE 'e%'`, rows: [2] },
      { case: 'backslash is literal in LIKE', text: `"Source ""System""" LIKE 'a\\b'`, rows: [0] },
      { case: 'NULL is neither equal nor unequal', text: `facility <> 'EAST'`, rows: [1, 2, 4] },
      { case: 'IS NULL', text: 'visit_count IS NULL', rows: [3] },
      { case: 'integer limits', text: 'visit_count IN (-2147483648, 2147483647)', rows: [1, 2] },
      { case: 'bigint limits', text: 'source_position BETWEEN -9223372036854775808 AND -1 OR source_position = 9223372036854775807', rows: [1, 2] },
      { case: 'boolean and double', text: 'is_deleted = TRUE AND score > 0', rows: [4] },
      { case: 'NOT of a group', text: `NOT (facility = 'EAST' OR facility IS NULL)`, rows: [1, 2, 4] },
    ])('keeps the rows of $case', async ({ text, rows }) => {
      expect(await selectedRows(parseRowFilter(text))).toEqual(rows);
    });

    it('keeps the same rows as the filter evaluated in SQL three-valued logic', async () => {
      await fc.assert(
        fc.asyncProperty(filterTree, async (tree) => {
          const expected = ROWS.flatMap((row, index) => (evaluate(tree, row) === true ? [index] : []));
          expect(await selectedRows(tree)).toEqual(expected);
        }),
        { numRuns: 150 },
      );
    });
  });
});

const SQL_TYPES: Record<string, string> = { string: 'VARCHAR', int: 'INTEGER', bigint: 'BIGINT', double: 'DOUBLE', boolean: 'BOOLEAN' };

function sqlValue(value: string | number | bigint | boolean | null): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return `'${value.replaceAll("'", "''")}'`;
  return String(value).toUpperCase();
}

type Value = string | number | bigint | boolean | null;

/** Evaluate a filter on a row to true, false or null (unknown), as SQL defines AND, OR, NOT and comparisons with NULL. */
function evaluate(node: FilterNode, row: Record<string, Value>): boolean | null {
  switch (node.kind) {
    case 'and': {
      const values = node.operands.map((operand) => evaluate(operand, row));
      if (values.includes(false)) return false;
      return values.includes(null) ? null : true;
    }
    case 'or': {
      const values = node.operands.map((operand) => evaluate(operand, row));
      if (values.includes(true)) return true;
      return values.includes(null) ? null : false;
    }
    case 'not': {
      const value = evaluate(node.operand, row);
      return value === null ? null : !value;
    }
    case 'isNull':
      return (row[node.column] === null) !== node.negated;
    default:
      break;
  }
  const cell = row[node.column] ?? null;
  if (cell === null) return null;
  switch (node.kind) {
    case 'comparison':
      return compareWith(node.operator, order(cell, literalValue(node.value, cell)));
    case 'in': {
      return node.values.some((value) => order(cell, literalValue(value, cell)) === 0);
    }
    case 'between':
      return order(cell, literalValue(node.low, cell)) >= 0 && order(cell, literalValue(node.high, cell)) <= 0;
    case 'like':
      return likePattern(node.pattern).test(String(cell));
  }
}

function literalValue(literal: FilterLiteral, like: Value): Value {
  if (literal.kind === 'string') return literal.value;
  if (literal.kind === 'boolean') return literal.value;
  return typeof like === 'bigint' ? BigInt(literal.text) : Number(literal.text);
}

/** Compare like DuckDB: strings by UTF-8 bytes, FALSE before TRUE. */
function order(a: Value, b: Value): number {
  if (typeof a === 'string' && typeof b === 'string') return Buffer.compare(Buffer.from(a), Buffer.from(b));
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  if (typeof a === 'bigint' && typeof b === 'bigint') return Number(a - b > 0n) - Number(a - b < 0n);
  return Math.sign((a as number) - (b as number));
}

function compareWith(operator: string, difference: number): boolean {
  switch (operator) {
    case '=':
      return difference === 0;
    case '<>':
      return difference !== 0;
    case '<':
      return difference < 0;
    case '<=':
      return difference <= 0;
    case '>':
      return difference > 0;
    default:
      return difference >= 0;
  }
}

function likePattern(pattern: string): RegExp {
  const source = [...pattern].map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 's');
}
