// Pure mapping of DuckDB type names to catalog types, and the widening order: nothing faked.
import { catalogTypeOf, compareWidth, readDuckDbType } from './file-types';

describe('readDuckDbType', () => {
  it.each([
    { case: 'VARCHAR', expected: 'string' },
    { case: 'BOOLEAN', expected: 'boolean' },
    { case: 'TINYINT', expected: 'tinyint' },
    { case: 'SMALLINT', expected: 'smallint' },
    { case: 'INTEGER', expected: 'int' },
    { case: 'BIGINT', expected: 'bigint' },
    { case: 'FLOAT', expected: 'float' },
    { case: 'DOUBLE', expected: 'double' },
    { case: 'DATE', expected: 'date' },
    { case: 'TIMESTAMP', expected: 'timestamp' },
    { case: 'TIMESTAMP_NS', expected: 'timestamp' },
    { case: 'TIMESTAMP WITH TIME ZONE', expected: 'timestamp' },
  ])('reads $case as $expected', ({ case: duckDbType, expected }) => {
    expect(readDuckDbType(duckDbType)).toEqual({ type: expected });
  });

  it.each([
    { case: 'DECIMAL(10,2)', reason: 'a decimal' },
    { case: 'UUID', reason: 'a UUID' },
    { case: 'TIME', reason: 'a time of day' },
    { case: 'BLOB', reason: 'binary' },
    { case: 'UINTEGER', reason: 'an unsigned integer' },
    { case: 'INTERVAL', reason: 'an interval' },
    { case: 'INTEGER[]', reason: 'a nested type' },
    { case: 'VARCHAR[3]', reason: 'a nested type' },
    { case: 'STRUCT(x INTEGER)', reason: 'a nested type' },
    { case: 'MAP(VARCHAR, INTEGER)', reason: 'a nested type' },
    { case: 'GEOMETRY', reason: 'a type the catalog does not know' },
  ])('rejects $case', ({ case: duckDbType, reason }) => {
    expect(readDuckDbType(duckDbType)).toEqual({
      unsupported: expect.stringMatching(new RegExp(`^${reason}`)),
    });
  });
});

describe('compareWidth', () => {
  it.each([
    { case: 'int narrower than bigint', left: 'int', right: 'bigint', sign: -1 },
    { case: 'tinyint narrower than int', left: 'tinyint', right: 'int', sign: -1 },
    { case: 'double wider than float', left: 'double', right: 'float', sign: 1 },
    { case: 'equal types', left: 'date', right: 'date', sign: 0 },
  ] as const)('orders $case', ({ left, right, sign }) => {
    expect(Math.sign(compareWidth(left, right) ?? Number.NaN)).toBe(sign);
  });

  it.each([
    { case: 'int and double', left: 'int', right: 'double' },
    { case: 'string and int', left: 'string', right: 'int' },
    { case: 'date and timestamp', left: 'date', right: 'timestamp' },
  ] as const)('leaves $case unordered', ({ left, right }) => {
    expect(compareWidth(left, right)).toBeUndefined();
  });
});

describe('catalogTypeOf', () => {
  it.each([
    { case: 'tinyint', expected: 'int' },
    { case: 'smallint', expected: 'int' },
    { case: 'float', expected: 'double' },
    { case: 'bigint', expected: 'bigint' },
  ] as const)('registers $case as $expected', ({ case: type, expected }) => {
    expect(catalogTypeOf(type)).toBe(expected);
  });
});
