// Real: the SQL tokenizer and construct rules, and DuckDB through the query engine over an
// empty lake in a temp folder for the cases that must run. Nothing is faked.
import { analyst, openTempLake, type TempLake } from '../__fixtures__/temp-lake';
import type { DuckDbQueryEngine } from '../duckdb-engine';
import { QueryUnsupportedConstructError } from '../errors';
import { findUnsupportedConstructs } from './unsupported-constructs';

describe('findUnsupportedConstructs', () => {
  it.each([
    {
      case: 'AT TIME ZONE',
      sql: "SELECT admit_time AT TIME ZONE 'America/New_York' FROM t",
      construct: 'AT TIME ZONE',
    },
    {
      case: 'format_datetime',
      sql: "SELECT format_datetime(admit_time, 'yyyy-MM-dd') FROM t",
      construct: 'format_datetime',
    },
    {
      case: 'parse_datetime',
      sql: "SELECT parse_datetime('2024-01-01', 'yyyy-MM-dd')",
      construct: 'parse_datetime',
    },
    {
      case: 'date_parse',
      sql: "SELECT date_parse('2024-01-01 10:00', '%Y-%m-%d %H:%i')",
      construct: 'date_parse',
    },
    { case: 'at_timezone', sql: "SELECT at_timezone(ts, 'UTC') FROM t", construct: 'at_timezone' },
    {
      case: 'transform with a lambda',
      sql: 'SELECT transform(codes, c -> upper(c)) FROM t',
      construct: 'transform',
    },
    {
      case: 'transform_values',
      sql: 'SELECT transform_values(m, (k, v) -> v + 1) FROM t',
      construct: 'transform_values',
    },
    {
      case: 'map_filter',
      sql: 'SELECT map_filter(m, (k, v) -> v > 0) FROM t',
      construct: 'map_filter',
    },
    {
      case: 'zip_with',
      sql: 'SELECT zip_with(a, b, (x, y) -> x + y) FROM t',
      construct: 'zip_with',
    },
    {
      case: 'any_match',
      sql: "SELECT any_match(codes, c -> c = 'A') FROM t",
      construct: 'any_match',
    },
    {
      case: 'all_match',
      sql: 'SELECT all_match(codes, c -> c IS NOT NULL) FROM t',
      construct: 'all_match',
    },
    {
      case: "Trino's four-argument reduce",
      sql: 'SELECT reduce(values, 0, (s, x) -> s + x, s -> s) FROM t',
      construct: 'reduce with four arguments',
    },
    {
      case: 'listagg WITHIN GROUP',
      sql: "SELECT listagg(code, ',') WITHIN GROUP (ORDER BY code) FROM t",
      construct: 'listagg ... WITHIN GROUP',
    },
    {
      case: 'TABLESAMPLE BERNOULLI',
      sql: 'SELECT * FROM t TABLESAMPLE BERNOULLI (10)',
      construct: 'TABLESAMPLE BERNOULLI',
    },
    {
      case: 'TABLESAMPLE SYSTEM',
      sql: 'SELECT * FROM t TABLESAMPLE SYSTEM (5)',
      construct: 'TABLESAMPLE SYSTEM',
    },
    {
      case: 'UNNEST of two arrays',
      sql: 'SELECT x, y FROM t CROSS JOIN UNNEST(a, b) AS u(x, y)',
      construct: 'UNNEST of several arrays',
    },
    {
      case: 'UNNEST of rows into columns',
      sql: 'SELECT code, value FROM t CROSS JOIN UNNEST(items) AS u(code, value)',
      construct: 'UNNEST of rows or a map into several columns',
    },
    {
      case: 'UNNEST of a map with ordinality',
      sql: 'SELECT * FROM t CROSS JOIN UNNEST(m) WITH ORDINALITY AS u(k, v, n)',
      construct: 'UNNEST of rows or a map into several columns',
    },
    {
      case: 'ARRAY(type) in a cast',
      sql: 'SELECT CAST(j AS ARRAY(VARCHAR)) FROM t',
      construct: 'ARRAY(type)',
    },
    {
      case: 'ROW(name type) in a cast',
      sql: 'SELECT CAST(j AS ROW(code VARCHAR, value DOUBLE)) FROM t',
      construct: 'ROW(name type, ...)',
    },
    {
      case: 'date_format with a code Trino rejects',
      sql: "SELECT date_format(admit_time, '%Y week %U') FROM t",
      construct: 'date_format code %U',
    },
  ])('finds $case', ({ sql, construct }) => {
    const found = findUnsupportedConstructs(sql);
    expect(found.map((item) => item.construct)).toEqual([construct]);
    expect(found[0]?.alternative).toMatch(/^write |^Trino rejects/);
  });

  it.each([
    {
      case: 'words inside string literals',
      sql: "SELECT 'AT TIME ZONE format_datetime(x)' AS note",
    },
    { case: 'words inside comments', sql: 'SELECT 1 -- AT TIME ZONE\n/* transform(x, y -> y) */' },
    { case: 'a quoted identifier', sql: 'SELECT "transform" FROM t' },
    { case: 'TIMESTAMP WITH TIME ZONE', sql: 'SELECT CAST(x AS TIMESTAMP WITH TIME ZONE) FROM t' },
    { case: 'an UNNEST with one column name', sql: 'SELECT x FROM t CROSS JOIN UNNEST(a) AS u(x)' },
    {
      case: 'an UNNEST with ordinality',
      sql: 'SELECT x, n FROM t CROSS JOIN UNNEST(a) WITH ORDINALITY AS u(x, n)',
    },
    { case: 'unnest in the select list', sql: 'SELECT unnest(a) AS x FROM t' },
    { case: 'the ROW constructor', sql: "SELECT ROW(1, 'a') AS r" },
    { case: 'an ARRAY subquery', sql: 'SELECT ARRAY(SELECT 1) AS a' },
    { case: "DuckDB's two-argument reduce", sql: 'SELECT reduce([1, 2], (s, x) -> s + x)' },
    {
      case: 'date_format with accepted codes',
      sql: "SELECT date_format(admit_time, '%Y-%m-%d %H:%i') FROM t",
    },
    { case: 'DuckDB sampling', sql: 'SELECT * FROM t USING SAMPLE 10 PERCENT (bernoulli)' },
  ])('ignores $case', ({ sql }) => {
    expect(findUnsupportedConstructs(sql)).toEqual([]);
  });

  it('reports every construct with its line', () => {
    const sql =
      "SELECT\n  format_datetime(ts, 'yyyy'),\n  ts AT TIME ZONE 'UTC'\nFROM t TABLESAMPLE BERNOULLI (1)";
    expect(
      findUnsupportedConstructs(sql).map(({ construct, line }) => ({ construct, line })),
    ).toEqual([
      { construct: 'format_datetime', line: 2 },
      { construct: 'AT TIME ZONE', line: 3 },
      { construct: 'TABLESAMPLE BERNOULLI', line: 4 },
    ]);
  });
});

describe('DuckDbQueryEngine with Trino constructs', () => {
  let lake: TempLake;
  let engine: DuckDbQueryEngine;

  beforeAll(async () => {
    lake = await openTempLake('carelake-constructs-');
    engine = await lake.openEngine();
  });

  afterAll(async () => {
    await engine.close();
    await lake.close();
  });

  it('rejects without the SQL text in the error', async () => {
    const sql = "SELECT format_datetime(TIMESTAMP '2024-01-01 00:00:00', 'Alice Example') AS v";
    const error = await engine
      .query(sql, { principal: analyst })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryUnsupportedConstructError);
    const described = (error as QueryUnsupportedConstructError).describe();
    expect(described).toContain('format_datetime (line 1)');
    expect(described).toContain('write date_format(value, format) with MySQL format codes');
    expect(described).not.toContain('Alice');
    expect(described).not.toContain('2024-01-01');
  });

  it('records a rejected query as a failure', async () => {
    await engine
      .query("SELECT x AT TIME ZONE 'UTC' FROM (SELECT 1 AS x)", { principal: analyst })
      .catch(() => undefined);
    const events = await lake.auditEvents();
    expect(events.at(-1)?.outcome).toBe('failure');
  });

  it('runs the constructs it leaves alone', async () => {
    const { rows } = await engine.queryAll(
      'SELECT x, n FROM (SELECT [10, 20] AS a) AS s CROSS JOIN UNNEST(s.a) WITH ORDINALITY AS u(x, n) ORDER BY n',
      { principal: analyst },
    );
    expect(rows).toEqual([
      { x: 10, n: 1n },
      { x: 20, n: 2n },
    ]);
  });
});
