// Real: DuckDB's parser (json_serialize_sql in an in-memory DuckDB) and the gate over its parse
// trees. Faked: the readable tables, a fixed list instead of a lake.
import { closeDuckDb, openDuckDb } from '@carelake/tables';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { parseStatement } from './parse-statement';
import { checkStatementTree } from './statement-gate';

const READABLE = new Set(['clinical.visits', 'deid.visits']);
const whyUnreadable = (table: string): string | undefined => (READABLE.has(table) ? undefined : `table ${table} is not granted`);

let duck: { instance: DuckDBInstance; connection: DuckDBConnection };

beforeAll(async () => {
  duck = await openDuckDb({ threads: 1 });
});

afterAll(() => {
  closeDuckDb(duck);
});

/** Parse and check a statement; returns what runs, or the denials, or the parser's message. */
async function gate(sql: string): Promise<{ runs?: string; tables?: string[]; denials?: string[]; invalid?: string }> {
  const parsed = await parseStatement(duck.connection, sql);
  if (parsed.kind === 'invalid') return { invalid: parsed.message };
  if (parsed.kind === 'denied') return { denials: parsed.denials };
  const check = checkStatementTree(parsed.statements, whyUnreadable);
  return check.denials.length > 0 ? { denials: check.denials } : { runs: parsed.sql, tables: check.tables };
}

describe('statement gate', () => {
  it.each([
    { case: 'read_parquet', sql: "SELECT * FROM read_parquet('/lake/curated/clinical/visits/part-0.parquet')", denial: 'table function read_parquet' },
    { case: 'read_csv', sql: "SELECT * FROM read_csv('/etc/passwd')", denial: 'table function read_csv' },
    { case: 'read_json', sql: "SELECT * FROM read_json('/lake/_state/governance/applied.json')", denial: 'table function read_json' },
    { case: 'read_text', sql: "SELECT content FROM read_text('/lake/keys/key')", denial: 'table function read_text' },
    { case: 'glob', sql: "SELECT * FROM glob('/lake/**')", denial: 'table function glob' },
    { case: 'parquet_scan', sql: "FROM parquet_scan('x.parquet')", denial: 'table function parquet_scan' },
    { case: 'query()', sql: "SELECT * FROM query('SELECT * FROM clinical.patients')", denial: 'table function query' },
    { case: 'query_table()', sql: "SELECT * FROM query_table('clinical.patients')", denial: 'table function query_table' },
    { case: 'duckdb_views()', sql: 'SELECT sql FROM duckdb_views()', denial: 'table function duckdb_views' },
    { case: 'duckdb_settings()', sql: 'SELECT * FROM duckdb_settings()', denial: 'table function duckdb_settings' },
    { case: 'json_execute_serialized_sql', sql: "SELECT * FROM json_execute_serialized_sql('{}')", denial: 'table function json_execute_serialized_sql' },
    { case: 'a schema-qualified range', sql: 'SELECT * FROM main.range(3)', denial: 'table function range; only' },
    { case: 'a replacement scan of a path', sql: "SELECT * FROM '/lake/curated/clinical/visits/part-0.parquet'", denial: 'a table named by a path or quoted text' },
    { case: 'a quoted file name', sql: 'SELECT * FROM "visits.parquet"', denial: 'a table named by a path or quoted text' },
    { case: 'DESCRIBE of a file', sql: "DESCRIBE 'x.parquet'", denial: 'a table named by a path or quoted text' },
    { case: 'a hidden table', sql: 'SELECT * FROM clinical.patients', denial: 'table clinical.patients is not granted' },
    { case: 'a hidden table by catalog', sql: 'SELECT * FROM memory.clinical.patients', denial: 'a table named with a catalog' },
    { case: 'a table without its database', sql: 'SELECT * FROM visits', denial: 'table visits without a database' },
    { case: 'the information schema', sql: 'SELECT * FROM information_schema.tables', denial: 'table information_schema.tables is not granted' },
    { case: 'a CTE named like a hidden table', sql: 'WITH patients AS (SELECT 1 AS n) SELECT * FROM clinical.patients', denial: 'table clinical.patients is not granted' },
    { case: 'a CTE that reads a file', sql: "WITH v AS (SELECT * FROM read_parquet('x.parquet')) SELECT * FROM v", denial: 'table function read_parquet' },
    { case: 'a CTE used before it is defined', sql: "WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS n) SELECT * FROM a", denial: 'table b without a database' },
    { case: 'a CTE out of its scope', sql: 'SELECT * FROM (WITH v AS (SELECT 1 AS n) SELECT * FROM v), v', denial: 'table v without a database' },
    { case: 'a file read in a WHERE subquery', sql: "SELECT * FROM clinical.visits WHERE facility IN (SELECT facility FROM read_csv('f.csv'))", denial: 'table function read_csv' },
    { case: 'a file read in EXISTS', sql: "SELECT 1 FROM clinical.visits WHERE EXISTS (SELECT 1 FROM 'f.parquet')", denial: 'a table named by a path or quoted text' },
    { case: 'a file read in the select list', sql: "SELECT (SELECT count(*) FROM read_blob('/lake/x')) AS n", denial: 'table function read_blob' },
    { case: 'a file read in a lateral join', sql: "SELECT * FROM clinical.visits v, LATERAL (SELECT * FROM read_parquet(v.facility))", denial: 'table function read_parquet' },
    { case: 'UNION with a file read', sql: "SELECT facility FROM clinical.visits UNION ALL SELECT * FROM read_csv('/lake/x.csv')", denial: 'table function read_csv' },
    { case: 'a file read in a function argument', sql: "SELECT list_transform([1], x -> (SELECT count(*) FROM glob('*'))) AS n", denial: 'table function glob' },
    { case: 'current_setting', sql: "SELECT current_setting('allowed_paths') AS p", denial: 'function current_setting' },
    { case: 'a time-travel clause', sql: 'SELECT * FROM clinical.visits AT (VERSION => 1)', denial: 'AT (a table version)' },
    { case: 'SHOW TABLES', sql: 'SHOW TABLES', denial: 'SHOW (lists the engine catalog)' },
    { case: 'two queries', sql: 'SELECT 1; SELECT 2', denial: '2 statements (run one at a time)' },
    { case: 'a query, then COPY', sql: "SELECT 1; COPY clinical.visits TO '/tmp/out.csv'", denial: 'COPY statement' },
    { case: 'an empty statement', sql: '  -- nothing\n', denial: 'an empty statement' },
  ])('denies $case', async ({ sql, denial }) => {
    const result = await gate(sql);

    expect(result.runs).toBeUndefined();
    expect(result.denials?.join('\n')).toContain(denial);
  });

  it.each([
    { case: 'COPY', sql: "COPY (SELECT * FROM clinical.visits) TO '/lake/curated/x.parquet'", denial: 'COPY statement' },
    { case: 'ATTACH', sql: "ATTACH '/lake/_state/catalog.sqlite' AS catalog", denial: 'ATTACH statement' },
    { case: 'DETACH', sql: 'DETACH memory', denial: 'DETACH statement' },
    { case: 'INSTALL', sql: 'INSTALL httpfs', denial: 'INSTALL statement' },
    { case: 'LOAD', sql: 'LOAD httpfs', denial: 'LOAD statement' },
    { case: 'SET', sql: 'SET enable_external_access = true', denial: 'SET statement' },
    { case: 'RESET', sql: 'RESET allowed_paths', denial: 'RESET statement' },
    { case: 'PRAGMA', sql: 'PRAGMA show_tables', denial: 'PRAGMA statement' },
    { case: 'CALL', sql: 'CALL duckdb_views()', denial: 'CALL statement' },
    { case: 'CREATE', sql: "CREATE VIEW clinical.mine AS SELECT * FROM read_parquet('x')", denial: 'CREATE statement' },
    { case: 'CREATE MACRO', sql: 'CREATE MACRO leak(x) AS x', denial: 'CREATE statement' },
    { case: 'INSERT', sql: 'INSERT INTO clinical.visits VALUES (1)', denial: 'INSERT statement' },
    { case: 'UPDATE', sql: "UPDATE clinical.visits SET facility = 'x'", denial: 'UPDATE statement' },
    { case: 'DELETE', sql: 'DELETE FROM clinical.visits', denial: 'DELETE statement' },
    { case: 'DROP', sql: 'DROP VIEW clinical.visits', denial: 'DROP statement' },
    { case: 'ALTER', sql: 'ALTER VIEW clinical.visits RENAME TO v', denial: 'ALTER statement' },
    { case: 'EXPORT', sql: "EXPORT DATABASE '/tmp/out'", denial: 'EXPORT statement' },
    { case: 'IMPORT', sql: "IMPORT DATABASE '/tmp/in'", denial: 'IMPORT statement' },
    { case: 'USE', sql: 'USE clinical', denial: 'USE statement' },
    { case: 'CHECKPOINT', sql: 'CHECKPOINT', denial: 'CHECKPOINT statement' },
    { case: 'VACUUM', sql: 'VACUUM', denial: 'VACUUM statement' },
    { case: 'a top-level PIVOT', sql: 'PIVOT clinical.visits ON facility USING count(*)', denial: 'PIVOT statement' },
    { case: 'WITH before INSERT', sql: 'WITH v AS (SELECT 1) INSERT INTO clinical.visits SELECT * FROM v', denial: 'a statement other than a query (only SELECT runs)' },
    { case: 'EXPLAIN after a comment', sql: '/* plan */ EXPLAIN SELECT 1', denial: 'EXPLAIN other than EXPLAIN [ANALYZE] or EXPLAIN (ANALYZE, FORMAT ...) at the start' },
    { case: 'EXPLAIN of COPY', sql: "EXPLAIN COPY clinical.visits TO 'x.csv'", denial: 'COPY statement' },
  ])('denies the statement $case', async ({ sql, denial }) => {
    const result = await gate(sql);

    expect(result.runs).toBeUndefined();
    expect(result.denials).toContain(denial);
  });

  it.each([
    { case: 'a join of granted tables', sql: 'SELECT * FROM clinical.visits a JOIN deid.visits b USING (facility)', tables: ['clinical.visits', 'deid.visits'] },
    { case: 'names in any case', sql: 'SELECT * FROM Clinical.VISITS', tables: ['clinical.visits'] },
    { case: 'a CTE over a granted table', sql: 'WITH v AS (SELECT * FROM clinical.visits), w AS (SELECT * FROM v) SELECT * FROM w', tables: ['clinical.visits'] },
    { case: 'a recursive CTE', sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r', tables: [] },
    { case: 'an IN subquery', sql: 'SELECT 1 FROM clinical.visits WHERE facility IN (SELECT facility FROM deid.visits)', tables: ['clinical.visits', 'deid.visits'] },
    { case: 'range and unnest', sql: 'SELECT * FROM range(3) r, UNNEST([1, 2]) AS u(x)', tables: [] },
    { case: 'generate_series', sql: 'SELECT * FROM generate_series(1, 3)', tables: [] },
    { case: 'VALUES', sql: "SELECT * FROM (VALUES (1, 'a')) AS t(n, s)", tables: [] },
    { case: 'PIVOT in FROM', sql: "SELECT * FROM clinical.visits PIVOT (count(*) FOR facility IN ('N', 'S'))", tables: ['clinical.visits'] },
    { case: 'DESCRIBE', sql: 'DESCRIBE clinical.visits', tables: ['clinical.visits'] },
    { case: 'SUMMARIZE', sql: 'SUMMARIZE SELECT * FROM clinical.visits', tables: ['clinical.visits'] },
    { case: 'FROM first', sql: 'FROM clinical.visits SELECT facility', tables: ['clinical.visits'] },
    { case: 'a string that names a file', sql: "SELECT 'read_parquet(''x.parquet'')' AS s FROM clinical.visits", tables: ['clinical.visits'] },
  ])('runs $case', async ({ sql, tables }) => {
    const result = await gate(sql);

    expect(result.denials).toBeUndefined();
    expect(result.runs).toBe(sql);
    expect(result.tables).toEqual(tables);
  });

  it.each([
    { case: 'EXPLAIN', sql: 'EXPLAIN SELECT * FROM clinical.visits', runs: 'EXPLAIN SELECT * FROM clinical.visits' },
    { case: 'EXPLAIN ANALYZE', sql: 'explain analyze SELECT 1', runs: 'EXPLAIN ANALYZE SELECT 1' },
    { case: 'EXPLAIN with options', sql: 'EXPLAIN (analyze, format json) FROM clinical.visits', runs: 'EXPLAIN (ANALYZE, FORMAT JSON) FROM clinical.visits' },
    { case: 'EXPLAIN of a query in parentheses', sql: 'EXPLAIN (FROM clinical.visits)', runs: 'EXPLAIN (FROM clinical.visits)' },
  ])('runs $case of a query it checked', async ({ sql, runs }) => {
    expect((await gate(sql)).runs).toBe(runs);
  });

  it.each([
    { case: 'EXPLAIN of a file read', sql: "EXPLAIN SELECT * FROM read_parquet('x')", denial: 'table function read_parquet' },
    { case: 'EXPLAIN with a query in its options', sql: "EXPLAIN (FORMAT JSON) SELECT 1; COPY clinical.visits TO 'x'", denial: 'COPY statement' },
  ])('denies $case', async ({ sql, denial }) => {
    expect((await gate(sql)).denials?.join('\n')).toContain(denial);
  });

  it('reports a syntax error without the statement', async () => {
    const result = await gate("SELEC name FROM clinical.visits WHERE name = 'Alice Example'");

    expect(result.invalid).toBe('Parser Error: syntax error at or near "SELEC"');
  });

  it('lists every denied construct once', async () => {
    const result = await gate(
      "SELECT * FROM read_csv('a') UNION ALL SELECT * FROM read_csv('b') UNION ALL SELECT * FROM clinical.patients",
    );

    expect(result.denials).toEqual([
      'table function read_csv; only range, generate_series, unnest may be called in FROM',
      'table clinical.patients is not granted',
    ]);
  });
});
