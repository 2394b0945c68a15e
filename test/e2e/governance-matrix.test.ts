// Real: the built carelake CLI in child processes, the demo pipeline and a CSV pipeline over
// synthetic files into a local lake in a temp folder, the repository's policy files checked,
// planned and applied, DuckDB and the audit log. Nothing is faked.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditEvents, type AuditEvent } from '@carelake/audit';
import { fingerprintFolder, runCli, type CliRun } from './helpers';

// A table classified deidentified, which the researcher's LF-tag grant reaches, until the
// de-identification step writes such tables itself. Synthetic counts, no person's data.
const RESEARCH_PIPELINE = `name: research-visits
description: Synthetic de-identified visit counts by month, facility and age band.
source: { type: directory, path: inputs }
decode:
  format: csv
  schema:
    columns:
      - { name: visit_month, header: Month, type: string, required: true }
      - { name: facility, header: Facility, type: string }
      - { name: age_band, header: Age band, type: string }
      - { name: visit_count, header: Visits, type: integer }
outputs: [research.visits]
`;
const RESEARCH_DATASET = `table: research.visits
description: Synthetic de-identified visit counts, one row per month, facility and age band.
owner: research-team
steward: research-steward
classification: deidentified
retention: none
columns:
  visit_month: { type: string, nullable: false }
  facility: { type: string }
  age_band: { type: string }
  visit_count: { type: bigint }
  source_file: { type: string }
  source_position: { type: bigint }
  ingested_at: { type: timestamp }
`;
const RESEARCH_CSV = ['Month,Facility,Age band,Visits', '2024-01,NORTH_CLINIC,40-49,3', '2024-02,SOUTH_CLINIC,60-69,1', '2024-03,EAST_CLINIC,20-29,2'].join('\n');

// What each principal reads. The demo has patients at NORTH_CLINIC (DEMO1001, admitted and with
// two lab results), SOUTH_CLINIC (DEMO2002) and EAST_CLINIC (a FHIR patient with three results).
// Analysts read NORTH_CLINIC rows without PHI or record identifiers; the researcher reads tables
// classified deidentified; the steward describes tables and reads no rows.
const READS = [
  {
    case: 'analyst: the columns of clinical.patients',
    principal: 'analyst',
    sql: 'SELECT column_name FROM (DESCRIBE clinical.patients)',
    csv: [
      'column_name',
      ...['assigning_authority', 'sex', 'state', 'country', 'primary_facility', 'primary_care_provider_id', 'event_type', 'is_deleted'],
      ...['event_time', 'record_hash', 'source_format', 'source_system', 'source_id', 'source_file', 'source_position', 'ingested_at', 'facility'],
    ],
  },
  {
    case: 'analyst: NORTH_CLINIC patient rows',
    principal: 'analyst',
    sql: 'SELECT source_id, facility, sex, state, event_type FROM clinical.patients ORDER BY source_id',
    csv: ['source_id,facility,sex,state,event_type', 'DEMO-ADT-0001,NORTH_CLINIC,F,IL,A01', 'DEMO-LAB-0001,NORTH_CLINIC,F,,R01'],
  },
  {
    case: 'analyst: NORTH_CLINIC observations',
    principal: 'analyst',
    sql: 'SELECT facility, code, value_number FROM clinical.observations ORDER BY code',
    csv: ['facility,code,value_number', 'NORTH_CLINIC,2093-3,182', 'NORTH_CLINIC,2571-8,141'],
  },
  {
    case: 'analyst: a join of two filtered tables',
    principal: 'analyst',
    sql: `SELECT e.location_point_of_care AS ward, count(*) AS results
          FROM clinical.encounters AS e JOIN clinical.observations AS o ON o.facility = e.facility
          GROUP BY ALL`,
    csv: ['ward,results', 'WARD1,2'],
  },
  {
    case: 'researcher: the columns of research.visits',
    principal: 'researcher',
    sql: 'SELECT column_name FROM (DESCRIBE research.visits)',
    csv: ['column_name', 'visit_month', 'facility', 'age_band', 'visit_count', 'source_file', 'source_position', 'ingested_at'],
  },
  {
    case: 'researcher: every research.visits row',
    principal: 'researcher',
    sql: 'SELECT visit_month, facility, age_band, visit_count FROM research.visits ORDER BY visit_month',
    csv: ['visit_month,facility,age_band,visit_count', '2024-01,NORTH_CLINIC,40-49,3', '2024-02,SOUTH_CLINIC,60-69,1', '2024-03,EAST_CLINIC,20-29,2'],
  },
  {
    case: 'steward: values that read no table',
    principal: 'steward',
    sql: 'SELECT count(*) AS n FROM range(3)',
    csv: ['n', '3'],
  },
  {
    case: 'admin: every patient row',
    principal: 'admin',
    sql: 'SELECT facility, count(*) AS patients FROM clinical.patients GROUP BY facility ORDER BY facility',
    csv: ['facility,patients', 'NORTH_CLINIC,2', 'Organization/demo-east,1', 'SOUTH_CLINIC,1'],
  },
];

/** Tables and columns each principal may not read; the error names the table or column, never a value. */
const HIDDEN = [
  { case: 'analyst: PHI column', principal: 'analyst', sql: 'SELECT family_name FROM clinical.patients', error: 'Referenced column "family_name" not found' },
  { case: 'analyst: record identifier', principal: 'analyst', sql: 'SELECT patient_key FROM clinical.observations', error: 'Referenced column "patient_key" not found' },
  { case: 'analyst: a _current table', principal: 'analyst', sql: 'SELECT * FROM clinical.patients_current', error: 'table clinical.patients_current is not granted to you' },
  { case: 'analyst: a raw table', principal: 'analyst', sql: 'SELECT * FROM raw.fhir_resources', error: 'table raw.fhir_resources is not granted to you' },
  { case: 'analyst: a deidentified table', principal: 'analyst', sql: 'SELECT * FROM research.visits', error: 'table research.visits is not granted to you' },
  { case: 'researcher: clinical.patients', principal: 'researcher', sql: 'SELECT * FROM clinical.patients', error: 'table clinical.patients is not granted to you' },
  { case: 'researcher: clinical.patients_current', principal: 'researcher', sql: 'SELECT count(*) FROM clinical.patients_current', error: 'table clinical.patients_current is not granted to you' },
  { case: 'steward: clinical.patients', principal: 'steward', sql: 'SELECT count(*) FROM clinical.patients', error: 'table clinical.patients is not granted to you' },
  { case: 'steward: research.visits', principal: 'steward', sql: 'SELECT count(*) FROM research.visits', error: 'table research.visits is not granted to you' },
];

describe('governance matrix over the demo lake', () => {
  let work: string;
  let lake: string;
  let patientsFile: string;
  let researchFile: string;

  const query = (principal: string, sql: string): CliRun => runCli(['query', sql, '--as', principal, '--format', 'csv'], lake);

  const auditEvents = async (filter: { action?: string }): Promise<AuditEvent[]> => {
    const events: AuditEvent[] = [];
    for await (const event of readAuditEvents(join(lake, '_audit'), filter)) events.push(event);
    return events;
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-governance-'));
    lake = join(work, 'lake');
    const research = join(work, 'research');
    await mkdir(join(research, 'inputs'), { recursive: true });
    await mkdir(join(research, 'datasets'));
    await writeFile(join(research, 'research-visits.pipeline.yaml'), RESEARCH_PIPELINE);
    await writeFile(join(research, 'datasets', 'research.visits.dataset.yaml'), RESEARCH_DATASET);
    await writeFile(join(research, 'inputs', 'visits.csv'), RESEARCH_CSV);

    expect(runCli(['pipeline', 'run', 'pipelines/demo.pipeline.yaml'], lake).status).toBe(0);
    expect(runCli(['pipeline', 'run', join(research, 'research-visits.pipeline.yaml')], lake).status).toBe(0);

    const dataFile = (prefix: string): string => {
      const key = Object.keys(fingerprintFolder(join(lake, prefix))).find((name) => name.endsWith('.parquet'));
      return join(lake, prefix, key as string);
    };
    patientsFile = dataFile('curated/clinical/patients');
    researchFile = dataFile('curated/research/visits');
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  describe('before the policies are applied', () => {
    it('denies every table to a non-admin', () => {
      const run = query('analyst', 'SELECT count(*) FROM clinical.patients');

      expect(run.status).toBe(1);
      expect(run.stderr).toContain('no governance policies are applied, so only admins read tables (run carelake grants apply)');
    });

    it('shows that a principal reads nothing', () => {
      const run = runCli(['grants', 'show', '--principal', 'analyst'], lake);

      expect(run.status).toBe(0);
      expect(run.stdout).toContain('principal analyst: no policies are applied to this lake, so it reads no table');
    });
  });

  describe('checking, planning and applying the repository policies', () => {
    it('checks them without errors', () => {
      const run = runCli(['grants', 'check'], lake);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/0 error\(s\), \d+ warning\(s\) in 4 policy file\(s\)/);
    });

    it('plans the grants, filters and tags', () => {
      const run = runCli(['grants', 'plan'], lake);

      expect(run.status).toBe(0);
      expect(run.stdout).toContain("+ data cells filter clinical.patients/north_clinic_limited: rows facility = 'NORTH_CLINIC'");
      expect(run.stdout).toContain('+ grant SELECT on filter:clinical.patients/north_clinic_limited to group:analysts');
      expect(run.stdout).toContain('+ grant DESCRIBE, SELECT on tags:TABLE:classification=deidentified to principal:researcher');
      expect(run.stdout).toContain('+ tags classification=deidentified on research.visits');
      expect(run.stdout).toMatch(/^plan: 1 new LF-tag\(s\), \d+ tag assignment\(s\), 10 new data cells filter\(s\), 20 grant\(s\); run carelake grants apply/m);
    });

    it('refuses an apply by a non-admin and records it', async () => {
      const run = runCli(['grants', 'apply', '--as', 'analyst'], lake);

      expect(run.status).toBe(1);
      expect(run.stderr).toContain('principal analyst may not apply policies: it is not an admin');
      const [denied] = await auditEvents({ action: 'governance.apply' });
      expect(denied?.principal).toBe('analyst');
      expect(denied?.outcome).toBe('denied');
    });

    it('applies them with an audit event per grant', async () => {
      const run = runCli(['grants', 'apply', '--as', 'admin'], lake);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(/^applied policies [0-9a-f]{12}: /m);
      const grants = await auditEvents({ action: 'permission.grant' });
      expect(grants).toHaveLength(20);
      const analysts = grants.find((event) => event.resources[0] === 'clinical.patients' && event.details['grantee'] === 'group:analysts');
      expect(analysts?.principal).toBe('admin');
      expect(analysts?.details['rowFilter']).toBe("facility = 'NORTH_CLINIC'");
      expect(analysts?.resources).toContain('clinical.patients.sex');
      expect(analysts?.resources).not.toContain('clinical.patients.family_name');
      expect((await auditEvents({ action: 'data_cells_filter.create' })).length).toBe(10);
    });

    it('plans nothing once applied', () => {
      const run = runCli(['grants', 'plan'], lake);

      expect(run.stdout).toMatch(/^no changes: the policies in force match /);
    });

    it('shows what the analyst reads, down to columns and rows', () => {
      const run = runCli(['grants', 'show', '--principal', 'analyst'], lake);

      expect(run.status).toBe(0);
      expect(run.stdout).toContain('clinical.patients  select, describe  (1 grant(s))');
      expect(run.stdout).toContain("  rows: facility = 'NORTH_CLINIC'");
      expect(run.stdout).toContain('  columns (17 of 25): assigning_authority, sex, state,');
    });
  });

  describe('after the policies are applied', () => {
    it.each(READS)('reads $case', ({ principal, sql, csv }) => {
      const run = query(principal, sql);

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trimEnd().split('\n')).toEqual(csv);
    });

    it.each(HIDDEN)('hides $case', ({ principal, sql, error }) => {
      const run = query(principal, sql);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(error);
    });

    it('records the tables, columns and row filter of a query', async () => {
      query('analyst', 'SELECT count(*) AS n FROM clinical.patients');

      const event = (await auditEvents({ action: 'query.run' })).at(-1);
      expect(event?.principal).toBe('analyst');
      expect(event?.outcome).toBe('success');
      expect(event?.resources.slice(0, 3)).toEqual(['clinical.patients', 'clinical.patients.assigning_authority', 'clinical.patients.sex']);
      expect(event?.resources).toHaveLength(18);
      expect(event?.details['rowFilter1']).toBe("facility = 'NORTH_CLINIC'");
    });
  });

  describe('bypass attempts', () => {
    const BYPASSES = [
      { case: 'read_parquet of a lake file', principal: 'analyst', sql: () => `SELECT * FROM read_parquet('${patientsFile}')`, denial: 'table function read_parquet' },
      { case: 'read_parquet of a file its view reads', principal: 'researcher', sql: () => `SELECT * FROM read_parquet('${researchFile}')`, denial: 'table function read_parquet' },
      { case: 'a replacement scan', principal: 'analyst', sql: () => `SELECT * FROM '${patientsFile}'`, denial: 'a table named by a path or quoted text' },
      { case: 'read_csv', principal: 'analyst', sql: () => `SELECT * FROM read_csv('${join(work, 'research', 'inputs', 'visits.csv')}')`, denial: 'table function read_csv' },
      { case: 'read_json', principal: 'analyst', sql: () => `SELECT * FROM read_json('${join(lake, '_state', 'governance', 'applied.json')}')`, denial: 'table function read_json' },
      { case: 'glob', principal: 'analyst', sql: () => `SELECT * FROM glob('${lake}/**')`, denial: 'table function glob' },
      { case: 'duckdb_views()', principal: 'analyst', sql: () => 'SELECT sql FROM duckdb_views()', denial: 'table function duckdb_views' },
      { case: 'a CTE named like a hidden table', principal: 'analyst', sql: () => 'WITH patients_current AS (SELECT 1 AS n) SELECT * FROM clinical.patients_current', denial: 'table clinical.patients_current is not granted' },
      { case: 'a file read in a WHERE subquery', principal: 'analyst', sql: () => `SELECT count(*) FROM clinical.patients WHERE facility IN (SELECT facility FROM read_parquet('${patientsFile}'))`, denial: 'table function read_parquet' },
      { case: 'UNION with a file read', principal: 'analyst', sql: () => `SELECT sex FROM clinical.patients UNION ALL SELECT family_name FROM read_parquet('${patientsFile}')`, denial: 'table function read_parquet' },
      { case: 'COPY over a lake file', principal: 'researcher', sql: () => `COPY (SELECT 1 AS n) TO '${researchFile}' (FORMAT parquet)`, denial: 'COPY statement' },
      { case: 'ATTACH of the catalog', principal: 'analyst', sql: () => `ATTACH '${join(lake, '_state', 'catalog.sqlite')}' AS catalog`, denial: 'ATTACH statement' },
      { case: 'INSTALL', principal: 'analyst', sql: () => 'INSTALL httpfs', denial: 'INSTALL statement' },
      { case: 'LOAD', principal: 'analyst', sql: () => 'LOAD httpfs', denial: 'LOAD statement' },
      { case: 'SET', principal: 'analyst', sql: () => 'SET enable_external_access = true', denial: 'SET statement' },
      { case: 'PRAGMA', principal: 'analyst', sql: () => 'PRAGMA database_list', denial: 'PRAGMA statement' },
      { case: 'CREATE', principal: 'analyst', sql: () => `CREATE VIEW clinical.all_patients AS SELECT * FROM read_parquet('${patientsFile}')`, denial: 'CREATE statement' },
      { case: 'INSERT', principal: 'analyst', sql: () => "INSERT INTO clinical.patients (sex) VALUES ('F')", denial: 'INSERT statement' },
      { case: 'a second statement', principal: 'analyst', sql: () => "SELECT 1; SET allowed_paths = ['/']", denial: 'SET statement' },
      { case: 'EXPLAIN of a filtered table', principal: 'analyst', sql: () => 'EXPLAIN ANALYZE SELECT * FROM clinical.patients', denial: 'EXPLAIN of row-filtered table(s) clinical.patients' },
    ];

    it.each(BYPASSES)('denies $case and records it', async ({ principal, sql, denial }) => {
      const zones = ['curated', '_state/tables', '_state/governance'];
      const before = zones.map((zone) => fingerprintFolder(join(lake, zone)));

      const run = query(principal, sql());

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`query denied for principal ${principal}: `);
      expect(run.stderr).toContain(denial);
      expect(run.stderr).not.toContain(lake);
      expect(zones.map((zone) => fingerprintFolder(join(lake, zone)))).toEqual(before);
      const event = (await auditEvents({ action: 'query.run' })).at(-1);
      expect(event?.principal).toBe(principal);
      expect(event?.outcome).toBe('denied');
    });
  });
});
