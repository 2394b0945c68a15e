// Real: DuckDB through the query engine over Parquet files committed by the table store in a temp
// folder, the SQLite catalog, the file audit log, and policy files applied as the governance
// snapshot. Nothing is faked.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { datasetSchema, type Principal } from '@carelake/core';
import { admin, analyst, openTempLake, type TempLake } from './__fixtures__/temp-lake';
import type { DuckDbQueryEngine } from './duckdb-engine';
import { QueryDeniedError, QueryError, QueryExecutionError } from './errors';

/** Synthetic visits at two facilities, with a PHI column that no analyst may read. */
const wardVisits = datasetSchema.parse({
  table: 'clinical.ward_visits',
  description: 'Synthetic ward visits for governed engine tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'limited',
  retention: 'none',
  kind: 'append',
  columns: {
    visit_key: { type: 'string', nullable: false, identifier: 'other_unique' },
    patient_name: { type: 'string', classification: 'phi', identifier: 'name' },
    facility: { type: 'string', classification: 'public' },
    length_days: { type: 'int', classification: 'public' },
  },
});

/** A table granted to no one. */
const notes = datasetSchema.parse({
  table: 'clinical.notes',
  description: 'Synthetic notes nobody is granted.',
  owner: 'tests',
  steward: 'tests',
  classification: 'limited',
  retention: 'none',
  kind: 'append',
  columns: { note_key: { type: 'string', nullable: false }, facility: { type: 'string' } },
});

/** A table whose dataset gained a column, `unit`, that no committed file has yet. */
const wards = datasetSchema.parse({
  table: 'clinical.wards',
  description: 'Synthetic wards.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'append',
  columns: { ward_key: { type: 'string', nullable: false }, facility: { type: 'string' } },
});
const wardsWithUnit = datasetSchema.parse({ ...wards, columns: { ...wards.columns, unit: { type: 'string' } } });

const ROWS = [
  { visit_key: 'w1', patient_name: 'Example One', facility: 'NORTH', length_days: 2 },
  { visit_key: 'w2', patient_name: 'Example Two', facility: 'SOUTH', length_days: 5 },
  { visit_key: 'w3', patient_name: 'Example Three', facility: 'NORTH', length_days: 1 },
  { visit_key: 'w4', patient_name: 'Example Four', facility: 'SOUTH', length_days: 7 },
];

/**
 * Analysts read NORTH rows without PHI. The auditor reads NORTH rows through one filter
 * and only the facility and length of SOUTH rows through another, so visit_key shows on NORTH
 * rows only.
 */
const POLICIES = {
  'analysts.policy.yaml': `
groups:
  analysts: { limitedAllowed: true }
principals:
  auditor: { limitedAllowed: true }
dataCellsFilters:
  - name: north
    table: clinical.ward_visits
    rows: "facility = 'NORTH'"
    columns: { excludeClassifications: [phi] }
  - name: south_counts
    table: clinical.ward_visits
    rows: "facility = 'SOUTH'"
    columns: { include: [facility, length_days] }
grants:
  - group: analysts
    table: clinical.ward_visits
    permissions: [select]
    filters: [north]
  - principal: auditor
    table: clinical.ward_visits
    permissions: [select]
    filters: [north, south_counts]
  - group: analysts
    table: clinical.wards
    permissions: [select]
    filters: [unit_a]
`,
  'wards.policy.yaml': `
dataCellsFilters:
  - name: unit_a
    table: clinical.wards
    rows: "unit = 'A'"
`,
};

const auditor: Principal = { name: 'auditor', role: 'user', groups: [] };

let lake: TempLake;
let ungoverned: DuckDbQueryEngine;
let engine: DuckDbQueryEngine;
let dataFile: string;

beforeAll(async () => {
  lake = await openTempLake('carelake-governed-');
  await lake.addTable(wardVisits, ROWS);
  await lake.addTable(notes, [{ note_key: 'n1', facility: 'NORTH' }]);
  await lake.addTable(wards, [{ ward_key: 'k1', facility: 'NORTH' }]);
  await lake.addTable(wardsWithUnit, []);
  [dataFile] = (await lake.dataFilePaths('clinical.ward_visits')) as [string];
  ungoverned = await lake.openEngine(analyst);
  await lake.applyPolicies(POLICIES);
  engine = await lake.openEngine(analyst);
});

afterAll(async () => {
  await engine.close();
  await ungoverned.close();
  await lake.close();
});

async function denial(sql: string, on: DuckDbQueryEngine = engine, principal: Principal = analyst): Promise<QueryDeniedError> {
  const error = await on.queryAll(sql, { principal }).catch((caught: unknown) => caught);
  if (!(error instanceof QueryDeniedError)) throw new Error(`expected a denial, got ${String(error)}`);
  return error;
}

async function sha256Of(file: string): Promise<string> {
  return createHash('sha256').update(await readFile(file)).digest('hex');
}

describe('DuckDbQueryEngine under governance', () => {
  it('shows an analyst the granted columns of NORTH rows only', async () => {
    const { columns, rows } = await engine.queryAll('SELECT * FROM clinical.ward_visits ORDER BY visit_key', { principal: analyst });

    expect(columns.map((column) => column.name)).toEqual(['visit_key', 'facility', 'length_days']);
    expect(rows).toEqual([
      { visit_key: 'w1', facility: 'NORTH', length_days: 2 },
      { visit_key: 'w3', facility: 'NORTH', length_days: 1 },
    ]);
  });

  it('has no column for what is not granted', async () => {
    const error = await engine
      .queryAll('SELECT patient_name FROM clinical.ward_visits', { principal: analyst })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryExecutionError);
    expect((error as Error).message).toContain('Referenced column "patient_name" not found');
    expect((error as QueryExecutionError).hint).toBe(
      'Check the SQL against the tables and columns that `carelake grants show --principal analyst` lists: policies may hide columns the catalog has.',
    );
  });

  it('shows a column only on the rows whose filter includes it', async () => {
    const reader = await lake.openEngine(auditor);
    try {
      const { rows } = await reader.queryAll('SELECT visit_key, facility, length_days FROM clinical.ward_visits ORDER BY length_days', {
        principal: auditor,
      });
      expect(rows).toEqual([
        { visit_key: 'w3', facility: 'NORTH', length_days: 1 },
        { visit_key: 'w1', facility: 'NORTH', length_days: 2 },
        { visit_key: null, facility: 'SOUTH', length_days: 5 },
        { visit_key: null, facility: 'SOUTH', length_days: 7 },
      ]);
    } finally {
      await reader.close();
    }
  });

  it('shows an admin every row and column', async () => {
    const owner = await lake.openEngine(admin);
    try {
      const { rows } = await owner.queryAll('SELECT visit_key, patient_name FROM clinical.ward_visits ORDER BY visit_key', { principal: admin });
      expect(rows.map((row) => row['patient_name'])).toEqual(['Example One', 'Example Two', 'Example Three', 'Example Four']);
      expect(owner.tableNames).toEqual(['clinical.notes', 'clinical.ward_visits', 'clinical.wards']);
    } finally {
      await owner.close();
    }
  });

  it('prepares only the tables the first statement names when asked to', async () => {
    const owner = await lake.openEngine(admin, { prepareOnFirstStatement: true });
    try {
      expect(owner.tableNames).toEqual([]);

      const { rows } = await owner.queryAll('SELECT count(*) AS visits FROM clinical.ward_visits', { principal: admin });

      expect(rows).toEqual([{ visits: 4n }]);
      expect(owner.tableNames).toEqual(['clinical.ward_visits']);
      await expect(owner.queryAll('SELECT * FROM clinical.notes', { principal: admin })).rejects.toThrow(
        'table clinical.notes was not named by the first statement of this engine, which exposes only those',
      );
    } finally {
      await owner.close();
    }
  });

  it('shows the owner of a table every row and column', async () => {
    const owner: Principal = { name: 'tests', role: 'user', groups: [] };
    const engineOfOwner = await lake.openEngine(owner);
    try {
      const { rows } = await engineOfOwner.queryAll('SELECT count(patient_name) AS names FROM clinical.ward_visits', { principal: owner });
      expect(rows).toEqual([{ names: 4n }]);
    } finally {
      await engineOfOwner.close();
    }
  });

  it('withholds a table whose row filter reads a column its files lack', async () => {
    const error = await denial('SELECT * FROM clinical.wards');

    expect(engine.withheld).toEqual([
      { table: 'clinical.wards', reason: 'the row filter on clinical.wards reads column(s) unit, which its data files lack' },
    ]);
    expect(error.denials).toEqual([
      'table clinical.wards is withheld: the row filter on clinical.wards reads column(s) unit, which its data files lack',
    ]);
  });

  it('denies every table to a non-admin when no policies are applied', async () => {
    const error = await denial('SELECT count(*) FROM clinical.ward_visits', ungoverned);

    expect(ungoverned.tableNames).toEqual([]);
    expect(error.denials).toEqual([
      'table clinical.ward_visits is not granted to you: no governance policies are applied, so only admins read tables (run carelake grants apply)',
    ]);
  });

  it('denies a table granted to no one', async () => {
    const error = await denial('SELECT * FROM clinical.notes');

    expect(error.denials).toEqual(['table clinical.notes is not granted to you, or has no committed data']);
  });

  it.each([
    { case: 'read_parquet of a lake file', sql: () => `SELECT * FROM read_parquet('${dataFile}')`, denial: 'table function read_parquet' },
    { case: 'a replacement scan of a lake file', sql: () => `SELECT * FROM '${dataFile}'`, denial: 'a table named by a path or quoted text' },
    { case: 'read_csv', sql: () => `SELECT * FROM read_csv('${dataFile}')`, denial: 'table function read_csv' },
    { case: 'read_json of the policy snapshot', sql: () => `SELECT * FROM read_json('${join(lake.root, '_state/governance/applied.json')}')`, denial: 'table function read_json' },
    { case: 'glob', sql: () => `SELECT * FROM glob('${lake.root}/**')`, denial: 'table function glob' },
    { case: 'duckdb_views()', sql: () => 'SELECT sql FROM duckdb_views()', denial: 'table function duckdb_views' },
    { case: 'a subquery that reads a file', sql: () => `SELECT * FROM clinical.ward_visits WHERE facility IN (SELECT facility FROM read_parquet('${dataFile}'))`, denial: 'table function read_parquet' },
    { case: 'UNION with a file read', sql: () => `SELECT visit_key FROM clinical.ward_visits UNION ALL SELECT patient_name FROM read_parquet('${dataFile}')`, denial: 'table function read_parquet' },
    { case: 'COPY over a lake file', sql: () => `COPY (SELECT 1 AS n) TO '${dataFile}' (FORMAT parquet)`, denial: 'COPY statement' },
    { case: 'ATTACH of the catalog', sql: () => `ATTACH '${join(lake.root, '_state/catalog.sqlite')}' AS stolen`, denial: 'ATTACH statement' },
    { case: 'INSTALL', sql: () => 'INSTALL httpfs', denial: 'INSTALL statement' },
    { case: 'LOAD', sql: () => 'LOAD httpfs', denial: 'LOAD statement' },
    { case: 'SET', sql: () => "SET allowed_paths = ['/']", denial: 'SET statement' },
    { case: 'PRAGMA', sql: () => 'PRAGMA show_tables', denial: 'PRAGMA statement' },
    { case: 'CREATE', sql: () => `CREATE VIEW clinical.copy AS SELECT * FROM read_parquet('${dataFile}')`, denial: 'CREATE statement' },
    { case: 'INSERT', sql: () => "INSERT INTO clinical.ward_visits VALUES ('x', 'NORTH', 1)", denial: 'INSERT statement' },
    { case: 'a second statement', sql: () => `SELECT 1; COPY (SELECT 1) TO '${dataFile}'`, denial: 'COPY statement' },
    { case: 'EXPLAIN of a row-filtered table', sql: () => 'EXPLAIN ANALYZE SELECT * FROM clinical.ward_visits', denial: 'EXPLAIN of row-filtered table(s) clinical.ward_visits' },
  ])('denies $case and records the denial', async ({ sql, denial: expected }) => {
    const before = await sha256Of(dataFile);
    const error = await denial(sql());

    expect(error.denials.join('\n')).toContain(expected);
    expect(error.describe()).not.toContain(lake.root);
    expect(await sha256Of(dataFile)).toBe(before);
    const event = (await lake.auditEvents()).at(-1);
    expect(event?.outcome).toBe('denied');
    expect(event?.principal).toBe('analyst');
    expect(String(event?.details['denied'])).toContain(expected);
  });

  it('records the tables, columns and row filter of a query', async () => {
    await engine.queryAll("SELECT count(*) AS n FROM clinical.ward_visits WHERE facility = 'NORTH'", { principal: analyst });

    const event = (await lake.auditEvents()).at(-1);
    expect(event?.outcome).toBe('success');
    expect(event?.resources).toEqual([
      'clinical.ward_visits',
      'clinical.ward_visits.visit_key',
      'clinical.ward_visits.facility',
      'clinical.ward_visits.length_days',
    ]);
    expect(event?.details['rowFilter1']).toBe("facility = 'NORTH'");
    expect(event?.details['policySha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(event?.details['rows']).toBe(1);
  });

  it('does not fail on hidden rows that would make the predicate fail', async () => {
    // SOUTH rows would overflow BIGINT; if DuckDB evaluated the predicate before the row filter,
    // the query would fail and so tell the analyst that SOUTH rows exist.
    const { rows } = await engine.queryAll(
      "SELECT count(*) AS n FROM clinical.ward_visits WHERE (CASE WHEN facility = 'SOUTH' THEN 9223372036854775807 ELSE 0 END) + length_days > 0",
      { principal: analyst },
    );

    expect(rows).toEqual([{ n: 2n }]);
  });

  it('runs EXPLAIN for a principal without row filters', async () => {
    const owner = await lake.openEngine(admin);
    try {
      const { rows } = await owner.queryAll('EXPLAIN SELECT count(*) FROM clinical.ward_visits', { principal: admin });
      expect(rows).toHaveLength(1);
    } finally {
      await owner.close();
    }
  });

  it('rejects a query of another principal', async () => {
    const error = await engine.queryAll('SELECT 1', { principal: admin }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryError);
    expect((error as Error).message).toBe('this engine runs the queries of principal analyst, not admin');
  });
});
