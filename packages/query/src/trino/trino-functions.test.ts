// Real: DuckDB through the query engine, with its Trino macros and settings, over an empty
// lake in a temp folder (SQLite catalog, local object store, file audit log). Nothing is faked.
import { analyst, openTempLake, type TempLake } from '../__fixtures__/temp-lake';
import type { DuckDbQueryEngine } from '../duckdb-engine';
import { QueryExecutionError } from '../errors';
import type { QueryValue } from '../query-engine';

let lake: TempLake;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  lake = await openTempLake('carelake-trino-');
  engine = await lake.openEngine();
});

afterAll(async () => {
  await engine.close();
  await lake.close();
});

async function value(expression: string): Promise<QueryValue | undefined> {
  const { rows } = await engine.queryAll(`SELECT ${expression} AS v`, { principal: analyst });
  return rows[0]?.['v'];
}

const day = (iso: string): Date => new Date(`${iso}T00:00:00.000Z`);
const instant = (iso: string): Date => new Date(iso);

const JSON_DOC = `'{"code": {"coding": [{"code": "8480-6"}]}, "value": 71.4, "final": true, "note": null, "tags": ["a", "b"], "two words": "spaced"}'`;

describe('Trino functions on DuckDB', () => {
  it.each([
    {
      case: 'date_add days to a DATE stays a DATE',
      sql: "date_add('day', 3, DATE '2024-01-30')",
      expected: day('2024-02-02'),
    },
    {
      case: 'date_add months clamps to the month end',
      sql: "date_add('month', 1, TIMESTAMP '2024-01-31 10:00:00')",
      expected: instant('2024-02-29T10:00:00Z'),
    },
    {
      case: 'date_add a quarter',
      sql: "date_add('quarter', 1, DATE '2024-11-30')",
      expected: day('2025-02-28'),
    },
    {
      case: 'date_add negative hours',
      sql: "date_add('hour', -2, TIMESTAMP '2024-01-01 01:00:00')",
      expected: instant('2023-12-31T23:00:00Z'),
    },
    {
      case: 'date_add milliseconds',
      sql: "date_add('millisecond', 1500, TIMESTAMP '2024-01-01 00:00:00')",
      expected: instant('2024-01-01T00:00:01.500Z'),
    },
    {
      case: "DuckDB's own date_add(date, interval)",
      sql: "date_add(DATE '2024-01-01', INTERVAL 1 DAY)",
      expected: instant('2024-01-02T00:00:00Z'),
    },
    {
      case: 'date_diff counts whole days elapsed',
      sql: "date_diff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')",
      expected: 0n,
    },
    {
      case: 'date_diff counts whole months elapsed',
      sql: "date_diff('month', DATE '2024-01-15', DATE '2024-03-14')",
      expected: 1n,
    },
    {
      case: 'date_diff is negative backwards',
      sql: "date_diff('day', DATE '2024-03-10', DATE '2024-03-01')",
      expected: -9n,
    },
    {
      case: "DuckDB's boundary count stays as datediff",
      sql: "datediff('day', TIMESTAMP '2024-01-01 23:00:00', TIMESTAMP '2024-01-02 01:00:00')",
      expected: 1n,
    },
    {
      case: 'date_trunc of a DATE is a DATE',
      sql: "typeof(date_trunc('month', DATE '2024-03-15'))",
      expected: 'DATE',
    },
    {
      case: 'date_trunc of a TIMESTAMP',
      sql: "date_trunc('hour', TIMESTAMP '2024-03-15 10:45:00')",
      expected: instant('2024-03-15T10:00:00Z'),
    },
    {
      case: 'date_format with MySQL codes',
      sql: "date_format(TIMESTAMP '2024-03-04 09:05:07', '%Y-%m-%d %H:%i:%s')",
      expected: '2024-03-04 09:05:07',
    },
    {
      case: 'date_format month and day names',
      sql: "date_format(DATE '2024-03-04', '%W %e %M %Y')",
      expected: 'Monday 4 March 2024',
    },
    {
      case: 'date_format unpadded and 12-hour codes',
      sql: "date_format(TIMESTAMP '2024-03-04 13:05:07', '%c/%e/%y %r %%')",
      expected: '3/4/24 01:05:07 PM %',
    },
    {
      case: 'date_format ISO week and year',
      sql: "date_format(DATE '2021-01-01', '%x-W%v')",
      expected: '2020-W53',
    },
    {
      case: 'from_iso8601_timestamp with an offset',
      sql: "from_iso8601_timestamp('2024-03-01T09:45:00+02:00')",
      expected: instant('2024-03-01T07:45:00Z'),
    },
    {
      case: 'from_iso8601_date',
      sql: "from_iso8601_date('2024-03-01')",
      expected: day('2024-03-01'),
    },
    { case: 'to_iso8601 of a DATE', sql: "to_iso8601(DATE '2024-03-01')", expected: '2024-03-01' },
    {
      case: 'to_iso8601 of a TIMESTAMP in milliseconds',
      sql: "to_iso8601(TIMESTAMP '2024-03-01 09:45:00.123456')",
      expected: '2024-03-01T09:45:00.123',
    },
    {
      case: 'to_iso8601 of a TIMESTAMP WITH TIME ZONE in UTC',
      sql: "to_iso8601(from_iso8601_timestamp('2024-03-01T09:45:00Z'))",
      expected: '2024-03-01T09:45:00.000Z',
    },
    {
      case: 'from_unixtime',
      sql: 'from_unixtime(1700000000)',
      expected: instant('2023-11-14T22:13:20Z'),
    },
    {
      case: 'to_unixtime',
      sql: "to_unixtime(TIMESTAMP '2023-11-14 22:13:20')",
      expected: 1700000000,
    },
    {
      case: 'with_timezone reads wall time in the zone',
      sql: "with_timezone(TIMESTAMP '2024-01-01 00:00:00', 'America/New_York')",
      expected: instant('2024-01-01T05:00:00Z'),
    },
    { case: 'date', sql: "date('2024-01-05')", expected: day('2024-01-05') },
    { case: 'day_of_week is ISO, Sunday 7', sql: "day_of_week(DATE '2024-03-17')", expected: 7n },
    { case: 'dow of a Monday', sql: "dow(DATE '2024-03-18')", expected: 1n },
    { case: 'day_of_year', sql: "day_of_year(DATE '2024-02-01')", expected: 32n },
    { case: 'year_of_week', sql: "year_of_week(DATE '2021-01-01')", expected: 2020n },
    {
      case: 'last_day_of_month in a leap year',
      sql: "last_day_of_month(DATE '2024-02-10')",
      expected: day('2024-02-29'),
    },
    {
      case: 'json_extract_scalar of a nested string',
      sql: `json_extract_scalar(${JSON_DOC}, '$.code.coding[0].code')`,
      expected: '8480-6',
    },
    {
      case: 'json_extract_scalar of a number',
      sql: `json_extract_scalar(${JSON_DOC}, '$.value')`,
      expected: '71.4',
    },
    {
      case: 'json_extract_scalar of a boolean',
      sql: `json_extract_scalar(${JSON_DOC}, '$.final')`,
      expected: 'true',
    },
    {
      case: 'json_extract_scalar of an object is NULL',
      sql: `json_extract_scalar(${JSON_DOC}, '$.code')`,
      expected: null,
    },
    {
      case: 'json_extract_scalar of an array is NULL',
      sql: `json_extract_scalar(${JSON_DOC}, '$.tags')`,
      expected: null,
    },
    {
      case: 'json_extract_scalar of JSON null is NULL',
      sql: `json_extract_scalar(${JSON_DOC}, '$.note')`,
      expected: null,
    },
    {
      case: 'json_extract_scalar of a missing path is NULL',
      sql: `json_extract_scalar(${JSON_DOC}, '$.absent')`,
      expected: null,
    },
    {
      case: 'json_extract_scalar with a bracketed key',
      sql: `json_extract_scalar(${JSON_DOC}, '$["two words"]')`,
      expected: 'spaced',
    },
    { case: 'json_size of an array', sql: `json_size(${JSON_DOC}, '$.tags')`, expected: 2n },
    { case: 'json_size of an object', sql: `json_size(${JSON_DOC}, '$.code')`, expected: 1n },
    { case: 'json_size of a scalar is 0', sql: `json_size(${JSON_DOC}, '$.value')`, expected: 0n },
    {
      case: 'json_parse then json_format',
      sql: `json_format(json_parse('{"a": [1, 2]}'))`,
      expected: '{"a":[1,2]}',
    },
    { case: 'cardinality of a list', sql: "cardinality(['a', 'b', 'c'])", expected: 3n },
    { case: 'cardinality of a map', sql: "cardinality(MAP {'a': 1, 'b': 2})", expected: 2n },
    { case: 'cardinality of a nested list', sql: 'cardinality([[1], [2, 3]])', expected: 2n },
    { case: 'element_at of a list is 1-based', sql: 'element_at([10, 20, 30], 2)', expected: 20 },
    { case: 'element_at counts back from -1', sql: 'element_at([10, 20, 30], -1)', expected: 30 },
    { case: 'element_at past the end is NULL', sql: 'element_at([10, 20, 30], 4)', expected: null },
    { case: 'element_at of a map key', sql: "element_at(MAP {'a': 1}, 'a')", expected: 1 },
    {
      case: 'element_at of a missing map key is NULL',
      sql: "element_at(MAP {'a': 1}, 'z')",
      expected: null,
    },
    { case: 'array_join skips NULL', sql: "array_join(['a', NULL, 'b'], ',')", expected: 'a,b' },
    {
      case: 'array_join replaces NULL',
      sql: "array_join(['a', NULL, 'b'], ',', 'n/a')",
      expected: 'a,n/a,b',
    },
    { case: 'sequence of integers with a step', sql: 'sequence(1, 10, 4)', expected: [1n, 5n, 9n] },
    {
      case: 'sequence of dates',
      sql: "sequence(DATE '2024-02-28', DATE '2024-03-01')",
      expected: [day('2024-02-28'), day('2024-02-29'), day('2024-03-01')],
    },
    {
      case: 'regexp_like finds a match anywhere',
      sql: "regexp_like('LOINC 8480-6', '\\d{4}-\\d')",
      expected: true,
    },
    {
      case: 'regexp_replace removes every match',
      sql: "regexp_replace('a-b-c', '-')",
      expected: 'abc',
    },
    {
      case: 'regexp_replace replaces every match with $1 groups',
      sql: "regexp_replace('a-b-c', '(\\w)-', '$1+')",
      expected: 'a+b+c',
    },
    {
      case: 'regexp_extract without a match is NULL',
      sql: "regexp_extract('abc', '\\d+')",
      expected: null,
    },
    {
      case: 'regexp_extract of a group',
      sql: "regexp_extract('abc123', '[a-z]+(\\d+)', 1)",
      expected: '123',
    },
    {
      case: 'replace with two arguments removes',
      sql: "replace('8480-6', '-')",
      expected: '84806',
    },
    { case: 'is_nan', sql: "is_nan(CAST('NaN' AS DOUBLE))", expected: true },
    { case: 'integer division truncates', sql: '7 / 2', expected: 3 },
    { case: 'integer division truncates toward zero', sql: '-7 / 2', expected: -3 },
    { case: 'decimal division stays exact', sql: '7.0 / 2', expected: 3.5 },
    { case: 'single-arrow lambdas', sql: 'filter([1, 2, 3], x -> x > 1)', expected: [2, 3] },
    {
      case: 'the JSON arrow operator still works',
      sql: `${JSON_DOC}::JSON ->> '$.value'`,
      expected: '71.4',
    },
  ])('$case', async ({ sql, expected }) => {
    expect(await value(sql)).toEqual(expected);
  });

  it.each([
    { case: 'approx_distinct', sql: 'approx_distinct(code)', expected: 3n },
    {
      case: 'approx_distinct with an error bound',
      sql: 'approx_distinct(code, 0.01)',
      expected: 3n,
    },
    { case: 'approx_percentile', sql: 'approx_percentile(reading, 0.5)', expected: 20 },
    { case: 'arbitrary skips NULL', sql: 'arbitrary(note)', expected: 'x' },
  ])('aggregate $case', async ({ sql, expected }) => {
    const { rows } = await engine.queryAll(
      `SELECT ${sql} AS v FROM (VALUES ('a', 10, NULL), ('b', 20, 'x'), ('c', 30, NULL), ('a', 20, NULL)) AS t(code, reading, note)`,
      { principal: analyst },
    );
    expect(rows).toEqual([{ v: expected }]);
  });

  it.each([
    {
      case: 'date_add of hours to a DATE',
      sql: "date_add('hour', 1, DATE '2024-01-01')",
      message: 'date_add: a DATE takes the units day, week, month, quarter, year',
    },
    {
      case: 'date_add with an unknown unit',
      sql: "date_add('fortnight', 1, TIMESTAMP '2024-01-01 00:00:00')",
      message: 'date_add: the unit must be one of',
    },
  ])('rejects $case with a message naming the function', async ({ sql, message }) => {
    const error = await value(sql).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toContain(message);
  });
});
