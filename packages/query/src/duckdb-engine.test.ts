// Real: DuckDB through the query engine over Parquet tables committed by the table store in a
// temp folder, the SQLite catalog, the file audit log and applied policy files. Nothing is faked.
import {
  analyst,
  openTempLake,
  referralsDataset,
  visitRow,
  visitsDataset,
  type TempLake,
} from './__fixtures__/temp-lake';
import type { DuckDbQueryEngine } from './duckdb-engine';
import { QueryExecutionError, QueryInterruptedError, QueryTimeoutError } from './errors';

/** A cross join DuckDB needs minutes for on one thread, so only a stop ends it in a test. */
const SLOW_SQL =
  'SELECT count(*) AS n FROM range(100000000) AS a, range(1000) AS b WHERE a.range + b.range = -1';

let lake: TempLake;
let engine: DuckDbQueryEngine;

beforeAll(async () => {
  lake = await openTempLake('carelake-engine-');
  await lake.addTable(visitsDataset, [
    visitRow('v1', 'NORTH', '2024-01-05T08:00:00Z', 2),
    visitRow('v2', 'SOUTH', '2024-02-11T09:30:00Z', 5),
    visitRow('v3', 'NORTH', '2024-03-01T10:00:00Z', 1),
  ]);
  await lake.addTable(referralsDataset, [
    { referral_key: 'r1', referred_from: 'Ward 3/B: "east" 100%' },
    { referral_key: 'r2', referred_from: null },
    { referral_key: 'r3', referred_from: 'GP' },
  ]);
  await lake.addTable(
    {
      ...visitsDataset,
      columns: { ...visitsDataset.columns, ward: { type: 'string', nullable: true } },
    },
    [{ ...visitRow('v4', 'SOUTH', '2024-02-20T07:00:00Z', 3), ward: 'W2' }],
  );
  await lake.applyPolicies({
    'analysts.policy.yaml': [
      'grants:',
      '  - group: analysts',
      '    tables: [clinical.visits, clinical.referrals]',
      '    permissions: [select]',
    ].join('\n'),
  });
  engine = await lake.openEngine();
});

afterAll(async () => {
  await engine.close();
  await lake.close();
});

/** List every Parquet file a plan read, from DuckDB's JSON profile of EXPLAIN ANALYZE. */
function filesRead(node: { extra_info?: Record<string, string>; children?: unknown[] }): string[] {
  const own =
    node.extra_info?.['Function'] === 'READ_PARQUET'
      ? (node.extra_info['Filename(s)'] ?? '').split(/[\n,]\s*/)
      : [];
  const children = (node.children ?? []) as (typeof node)[];
  return [...own, ...children.flatMap(filesRead)].filter((file) => file !== '');
}

describe('DuckDbQueryEngine', () => {
  it('reads a catalog table as database.table and records the read', async () => {
    const { rows } = await engine.queryAll(
      'SELECT visit_month, count(*) AS visits, sum(length_days) AS days FROM Clinical.Visits GROUP BY ALL ORDER BY visit_month',
      { principal: analyst },
    );

    expect(rows).toEqual([
      { visit_month: '2024-01', visits: 1n, days: 2n },
      { visit_month: '2024-02', visits: 2n, days: 8n },
      { visit_month: '2024-03', visits: 1n, days: 1n },
    ]);
    const event = (await lake.auditEvents()).at(-1);
    expect(event?.principal).toBe('analyst');
    expect(event?.resources).toEqual([
      'clinical.visits',
      'clinical.visits.visit_key',
      'clinical.visits.facility',
      'clinical.visits.admit_time',
      'clinical.visits.length_days',
      'clinical.visits.visit_month',
      'clinical.visits.ward',
    ]);
    expect(event?.outcome).toBe('success');
    expect(event?.details['rows']).toBe(3);
  });

  it('reads a column added later as NULL in older files', async () => {
    const { rows } = await engine.queryAll(
      'SELECT visit_key, ward FROM clinical.visits ORDER BY visit_key',
      { principal: analyst },
    );
    expect(rows).toEqual([
      { visit_key: 'v1', ward: null },
      { visit_key: 'v2', ward: null },
      { visit_key: 'v3', ward: null },
      { visit_key: 'v4', ward: 'W2' },
    ]);
  });

  it('reads partition values that Hive escapes, and NULL', async () => {
    const { rows } = await engine.queryAll(
      'SELECT referral_key, referred_from FROM clinical.referrals ORDER BY referral_key',
      {
        principal: analyst,
      },
    );
    expect(rows).toEqual([
      { referral_key: 'r1', referred_from: 'Ward 3/B: "east" 100%' },
      { referral_key: 'r2', referred_from: null },
      { referral_key: 'r3', referred_from: 'GP' },
    ]);
  });

  it.each([
    { case: 'nothing', where: 'true', months: ['2024-01', '2024-02', '2024-02', '2024-03'] },
    { case: 'one equal value', where: "visit_month = '2024-02'", months: ['2024-02', '2024-02'] },
    {
      case: 'a range',
      where: "visit_month >= '2024-02'",
      months: ['2024-02', '2024-02', '2024-03'],
    },
    {
      case: 'an IN list',
      where: "visit_month IN ('2024-01', '2024-03')",
      months: ['2024-01', '2024-03'],
    },
    {
      case: 'a value known only at run time',
      where: "visit_month = (SELECT '2024-03')",
      months: ['2024-03'],
    },
  ])('reads only the partitions a filter on $case keeps', async ({ where, months }) => {
    const { rows } = await engine.queryAll(
      `EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM clinical.visits WHERE ${where}`,
      {
        principal: analyst,
      },
    );
    const profile = JSON.parse(String(rows[0]?.['explain_value']));

    const folders = filesRead(profile).map((file) => /visit_month=([^/]+)\//.exec(file)?.[1]);
    expect(folders.sort()).toEqual(months);
  });

  it('stops at the limit inside a chunk', async () => {
    const result = await engine.query('SELECT range AS n FROM range(5000)', {
      principal: analyst,
      limit: 2100,
    });
    const sizes: number[] = [];
    for await (const batch of result.batches) sizes.push(batch.length);

    expect(sizes).toEqual([2048, 52]);
    expect((await lake.auditEvents()).at(-1)?.details['rows']).toBe(2100);
  });

  it('returns DECIMAL values as exact text and keeps repeated column names apart', async () => {
    const { columns, rows } = await engine.queryAll(
      'SELECT CAST(12345678901234567890.123 AS DECIMAL(38, 3)) AS n, 1.50 AS n, 9007199254740993::BIGINT AS b',
      { principal: analyst },
    );
    expect(columns.map((column) => `${column.name} ${column.type}`)).toEqual([
      'n DECIMAL(38,3)',
      'n:1 DECIMAL(3,2)',
      'b BIGINT',
    ]);
    expect(rows).toEqual([{ n: '12345678901234567890.123', 'n:1': '1.50', b: 9007199254740993n }]);
  });

  it('times out a slow query and records a failure', async () => {
    const started = Date.now();
    const error = await engine
      .queryAll(SLOW_SQL, { principal: analyst, timeoutMs: 300 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as QueryTimeoutError).message).toBe('query timed out after 0.3 s');
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await lake.auditEvents()).at(-1)?.outcome).toBe('failure');
  });

  it('stops a streamed result between chunks instead of ending it early', async () => {
    const controller = new AbortController();
    const result = await engine.query('SELECT a.range AS n FROM range(10000000) AS a', {
      principal: analyst,
      signal: controller.signal,
    });

    let rows = 0;
    const error = await (async () => {
      for await (const batch of result.batches) {
        rows += batch.length;
        controller.abort();
      }
    })().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryInterruptedError);
    expect(error).not.toBeInstanceOf(QueryTimeoutError);
    expect(rows).toBe(2048);
    expect((await lake.auditEvents()).at(-1)?.outcome).toBe('failure');
  });

  it("raises the signal's reason when it is a QueryInterruptedError", async () => {
    const controller = new AbortController();
    const reason = new QueryInterruptedError('query interrupted by Ctrl-C');
    setTimeout(() => controller.abort(reason), 200);

    const error = await engine
      .queryAll(SLOW_SQL, { principal: analyst, signal: controller.signal })
      .catch((caught: unknown) => caught);
    expect(error).toBe(reason);
  });

  it('records a stream never read when it closes', async () => {
    const other = await lake.openEngine();
    await other.stream('SELECT range AS n FROM range(10)', { principal: analyst });
    const before = (await lake.auditEvents()).length;

    await other.close();

    const events = await lake.auditEvents();
    expect(events).toHaveLength(before + 1);
    expect(events.at(-1)?.outcome).toBe('failure');
    expect(events.at(-1)?.details['rows']).toBe(0);
  });

  it('runs the next query after an interrupted one', async () => {
    const { rows } = await engine.queryAll('SELECT 42 AS answer', { principal: analyst });
    expect(rows).toEqual([{ answer: 42 }]);
  });

  it.each([
    {
      case: 'names the column of a binder error',
      sql: 'SELECT no_such_column FROM clinical.visits',
      message:
        'query failed in DuckDB: Binder Error: Referenced column "no_such_column" not found in FROM clause!',
    },
    {
      case: 'withholds the value of a conversion error',
      sql: "SELECT CAST(facility || ' Alice' AS INTEGER) FROM clinical.visits",
      message:
        'query failed in DuckDB: Conversion Error (details withheld because they can contain field values)',
    },
    {
      case: 'masks a literal in a parser error',
      sql: "SELECT 'Alice' 'Example' FROM clinical.visits",
      message: 'query failed in DuckDB: Parser Error: syntax error at or near "\'…\'"',
    },
  ])('$case', async ({ sql, message }) => {
    const error = await engine
      .queryAll(sql, { principal: analyst })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toBe(message);
  });
});
