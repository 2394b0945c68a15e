// Real: the pipeline runner with the shipped views and SQL transforms over the public HL7 v2 and
// Synthea FHIR samples, a local lake in a temp folder, DuckDB, SQLite and Parquet. Faked: the
// clock, fixed; each file still gets its own ingestion time.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, resolvePrincipal } from '@carelake/core';
import {
  loadDatasets,
  loadPipelineFile,
  openLocalLake,
  runPipeline,
  type Lake,
  type RunSummary,
} from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { fingerprintFolder, REPO_ROOT, SHARED_TESTDATA } from './helpers';

const CLINICAL = [
  'patients',
  'encounters',
  'observations',
  'conditions',
  'procedures',
  'immunizations',
  'medications',
].map((table) => `clinical.${table}`);
// No fhir.* table is listed: the run writes the view tables its transforms read.
const OUTPUTS = ['raw.hl7v2_segments', 'raw.fhir_resources', ...CLINICAL];
const DATASETS = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
// Bibi254's Patient, and a blood pressure Observation from her bundle.
const BIBI = '475d72ca-91c7-7211-97e3-f000af33fc04';
const BLOOD_PRESSURE = '4eec3a72-563d-917a-b569-ef53381031f9';

describe('SQL transforms over the HL7 v2 and Synthea samples', () => {
  let work: string;
  let lake: Lake;
  const summaries: Record<string, RunSummary> = {};

  const run = async (name: string, source: string): Promise<RunSummary> => {
    const file = join(work, `${name}.pipeline.yaml`);
    await writeFile(
      file,
      [
        `name: ${name}`,
        `source: { type: directory, path: ${source} }`,
        `outputs: [${OUTPUTS.join(', ')}]`,
        '',
      ].join('\n'),
    );
    return runPipeline({ lake, pipeline: loadPipelineFile(file), datasets: DATASETS });
  };

  // One engine over the tables as the two runs left them; the second run at the end adds nothing.
  let engine: DuckDbQueryEngine;
  const admin = resolvePrincipal(loadConfig({ cwd: REPO_ROOT, env: {} }), 'admin');
  const query = async (sql: string): Promise<Record<string, unknown>[]> =>
    (await engine.queryAll(sql, { principal: admin })).rows;

  const count = async (sql: string): Promise<number> => Number((await query(sql))[0]?.['n']);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-fhir-transforms-'));
    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(work, 'lake') } });
    lake = await openLocalLake(
      { ...config, query: { threads: 1, memoryLimit: '512MB' } },
      {
        clock: new ManualClock('2026-03-04T05:06:07.000Z'),
      },
    );
    summaries['hl7'] = await run('samples-hl7v2', join(SHARED_TESTDATA, 'hl7v2'));
    summaries['fhir'] = await run('samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea'));
    engine = await DuckDbQueryEngine.open({
      catalog: lake.catalog,
      tables: lake.tables,
      principal: admin,
      limits: { threads: 1 },
    });
  });

  afterAll(async () => {
    await engine.close();
    await lake.close();
    await rm(work, { recursive: true, force: true });
  });

  it.each([
    { table: 'clinical.patients', view: 'fhir.patient', rows: 10 },
    { table: 'clinical.encounters', view: 'fhir.encounter', rows: 139 },
    { table: 'clinical.conditions', view: 'fhir.condition', rows: 54 },
    { table: 'clinical.procedures', view: 'fhir.procedure', rows: 9 },
    { table: 'clinical.immunizations', view: 'fhir.immunization', rows: 242 },
  ])('writes one $table row per $view row', async ({ table, view, rows }) => {
    expect(summaries['fhir']?.rowsByTable[table]).toBe(rows);
    expect(await count(`SELECT count(*) AS n FROM ${view}`)).toBe(rows);
    expect(await count(`SELECT count(*) AS n FROM ${table} WHERE source_format = 'fhir'`)).toBe(
      rows,
    );
    // No Synthea resource has a second version, so every row is current.
    expect(
      await count(`SELECT count(*) AS n FROM ${table}_current WHERE source_format = 'fhir'`),
    ).toBe(rows);
  });

  it('writes a row per Observation, or per component of a blood pressure', async () => {
    expect(
      await count('SELECT count(*) AS n FROM fhir.observation WHERE component_count = 0'),
    ).toBe(135);
    expect(
      await count('SELECT count(*) AS n FROM fhir.observation_component WHERE NOT is_deleted'),
    ).toBe(9 * 2);
    expect(summaries['fhir']?.rowsByTable['clinical.observations']).toBe(135 + 9 * 2);
    expect(
      await count(
        "SELECT count(*) AS n FROM clinical.observations WHERE source_format = 'fhir' AND observation_key LIKE '%#%'",
      ),
    ).toBe(18);
  });

  it('writes no medication rows, because the samples have no MedicationRequest', () => {
    expect(summaries['fhir']?.rowsByTable['fhir.medication_request']).toBe(0);
    expect(summaries['fhir']?.rowsByTable['clinical.medications']).toBe(0);
  });

  it('runs no transform over the HL7 v2 files', () => {
    expect(summaries['hl7']?.rowsByTable['fhir.patient']).toBe(0);
    expect(summaries['hl7']?.rowsByTable['clinical.patients']).toBe(28);
    expect(summaries['hl7']?.rowsByTable['clinical.conditions']).toBe(0);
  });

  it('maps a Patient to its demographics and lineage', async () => {
    const rows = await query(`
      SELECT patient_id, given_name, birth_date, sex, source_id, source_position, assigning_authority
      FROM clinical.patients_current WHERE patient_key = 'fhir:Patient/${BIBI}'`);
    expect(rows).toEqual([
      {
        patient_id: BIBI,
        given_name: 'Bibi254',
        birth_date: new Date('2009-04-29T00:00:00Z'),
        sex: 'female',
        source_id: `Patient/${BIBI}`,
        source_position: 0n,
        assigning_authority: null,
      },
    ]);
  });

  it('maps a blood pressure to one row per component', async () => {
    const rows = await query(`
      SELECT observation_key, code, value_number, value_text, unit, patient_key, effective_time, effective_month
      FROM clinical.observations WHERE observation_key LIKE 'fhir:Observation/${BLOOD_PRESSURE}%' ORDER BY observation_key`);
    const shared = {
      unit: 'mm[Hg]',
      patient_key: `fhir:Patient/${BIBI}`,
      // 2020-03-06T20:20:23-08:00 is the next day in UTC.
      effective_time: new Date('2020-03-07T04:20:23Z'),
      effective_month: '2020-03',
    };
    expect(rows).toEqual([
      {
        observation_key: `fhir:Observation/${BLOOD_PRESSURE}#0`,
        code: '8462-4',
        value_number: 72,
        value_text: '72',
        ...shared,
      },
      {
        observation_key: `fhir:Observation/${BLOOD_PRESSURE}#1`,
        code: '8480-6',
        value_number: 116,
        value_text: '116',
        ...shared,
      },
    ]);
  });

  it('maps the class and period of an ambulatory Encounter', async () => {
    expect(
      await query(
        "SELECT DISTINCT patient_class, class_code FROM clinical.encounters WHERE source_format = 'fhir'",
      ),
    ).toEqual([{ patient_class: 'O', class_code: 'AMB' }]);
    expect(
      await count(
        "SELECT count(*) AS n FROM clinical.encounters WHERE source_format = 'fhir' AND (admit_time IS NULL OR facility NOT LIKE 'Organization/%')",
      ),
    ).toBe(0);
  });

  it('links clinical rows by their keys', async () => {
    // Each procedure names the condition it treats, and each encounter its patient.
    expect(
      await count(
        'SELECT count(*) AS n FROM clinical.procedures AS p JOIN clinical.conditions AS c ON c.condition_key = p.reason_key',
      ),
    ).toBe(9);
    expect(
      await count(
        "SELECT count(*) AS n FROM clinical.encounters_current AS e JOIN clinical.patients_current AS p ON p.patient_key = e.patient_key WHERE e.source_format = 'fhir'",
      ),
    ).toBe(139);
  });

  it('joins HL7 v2 and FHIR observations to their patients in one model', async () => {
    expect(
      await query(
        'SELECT source_format, count(*) AS n FROM clinical.patients_current GROUP BY source_format ORDER BY source_format',
      ),
    ).toEqual([
      { source_format: 'fhir', n: 10n },
      { source_format: 'hl7v2', n: 23n },
    ]);
    const rows = await query(`
      SELECT p.source_format, count(DISTINCT p.patient_key) AS patients, count(*) AS observations
      FROM clinical.observations_current AS o
      JOIN clinical.patients_current AS p ON p.patient_key = o.patient_key
      GROUP BY p.source_format
      ORDER BY p.source_format`);
    // One Synthea patient has no Observation.
    expect(rows).toEqual([
      { source_format: 'fhir', patients: 9n, observations: 153n },
      { source_format: 'hl7v2', patients: 12n, observations: 134n },
    ]);
  });

  it('changes nothing on a second run', async () => {
    const before = fingerprintFolder(join(work, 'lake', '_state', 'tables'));
    const again = await run('samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea'));

    expect(again.filesAlreadyIngested).toBe(12);
    expect(again.rowsOut).toBe(0);
    expect(fingerprintFolder(join(work, 'lake', '_state', 'tables'))).toEqual(before);
  });
});
