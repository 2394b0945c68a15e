// Real: the runner over synthetic ADT messages into a local lake in a temp folder (object store,
// DuckDB, Parquet, SQLite catalog, audit log), the repository's dataset files, HMAC from node:crypto.
// Faked: the clock, fixed, and the study-id source, a counter, so that runs can be compared.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock, RUNNER, type Principal, type Row } from '@carelake/core';
import { readAuditEvents, type AuditEvent } from '@carelake/audit';
import { loadDatasets } from '../datasets';
import { openLocalLake, type Lake } from '../lake';
import { loadPipelineFile } from '../pipeline-file';
import { runPipeline } from '../runner';
import { CROSSWALK_TABLE } from './crosswalk-table';
import { DeidRunError } from './deid-errors';
import { deidReportFolder } from './run-report';
import { runDeidProfile, type RunDeidOptions } from './run-deid-profile';
import { readSnapshotRows } from './table-rows';

const DATASETS = resolve(__dirname, '../../../../pipelines/datasets');
const datasets = loadDatasets(DATASETS);
const SECRET = 'synthetic-secret-0123456789abcdef';
const OTHER_SECRET = 'another-secret-fedcba9876543210';

// Synthetic patients: invented names, ids, birth dates and ZIP codes.
const PATIENTS = [
  { id: 'ZQ4410', family: 'Quillfeather', given: 'Marisol', birth: '19750312', zip: '02139', control: 'SYN-1' },
  { id: 'ZQ4411', family: 'Dunmarrow', given: 'Ebbe', birth: '19300101', zip: '05901', control: 'SYN-2' },
];
const IDENTIFIER_VALUES = PATIENTS.flatMap((patient) => [patient.id, patient.family, patient.given, patient.zip, `hl7v2:SYNHOSP:${patient.id}`]);

function admitMessage(patient: (typeof PATIENTS)[number]): string {
  return [
    `MSH|^~\\&|ADT|SYNHOSP|LAKE|CARELAKE|20260102100000+0000||ADT^A01|${patient.control}|P|2.5.1`,
    'EVN|A01|20260102100000+0000',
    `PID|1||${patient.id}^^^SYNHOSP^MR||${patient.family}^${patient.given}||${patient.birth}|F|||1 Synthetic Way^^Tarrowvale^MA^${patient.zip}`,
  ].join('\r');
}

const SAFE_HARBOR_PROFILE = `description: Safe Harbor patients for the test.
profile: { method: safe-harbor }
tables:
  - source: clinical.patients_current
    output: deid.patients
    drop: [record_hash, source_file]
`;
const LIMITED_PROFILE = `description: Limited patients for the test.
profile: { method: limited }
tables:
  - source: clinical.patients_current
    output: deid_limited.patients
    drop: [record_hash, source_file]
`;

describe('runDeidProfile', () => {
  let root: string;
  let lake: Lake;
  let studyIds: number;
  const options = (extra: Partial<RunDeidOptions> = {}): RunDeidOptions => ({
    principal: RUNNER,
    datasetsFolder: DATASETS,
    randomStudyId: () => `study-${String((studyIds += 1)).padStart(4, '0')}`,
    ...extra,
  });
  const profile = (name: string): string => join(root, 'policies', `${name}.deid.yaml`);
  const outputRows = async (table: string): Promise<Row[]> => {
    const snapshot = await lake.tables.snapshot(table);
    if (snapshot === undefined) throw new Error(`${table} was not written`);
    return readSnapshotRows(lake, snapshot);
  };
  const auditEvents = async (action: string): Promise<AuditEvent[]> => {
    const events: AuditEvent[] = [];
    for await (const event of readAuditEvents(join(lake.root, '_audit'), { action })) events.push(event);
    return events;
  };

  beforeEach(async () => {
    studyIds = 0;
    root = await mkdtemp(join(tmpdir(), 'carelake-deid-run-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
    await mkdir(join(root, 'inputs'));
    await mkdir(join(root, 'policies'));
    for (const [index, patient] of PATIENTS.entries()) await writeFile(join(root, 'inputs', `${index}.hl7`), admitMessage(patient));
    await writeFile(join(root, 'adt.pipeline.yaml'), 'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients]\n');
    await writeFile(profile('research'), SAFE_HARBOR_PROFILE);
    await writeFile(profile('research-limited'), LIMITED_PROFILE);
    await runPipeline({ lake, pipeline: loadPipelineFile(join(root, 'adt.pipeline.yaml')), datasets });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('writes study ids and years', async () => {
    const report = await runDeidProfile(lake, profile('research'), options());

    const rows = await outputRows('deid.patients');
    expect(rows.map((row) => row['study_id']).sort()).toEqual(['study-0001', 'study-0002']);
    expect(rows.map((row) => row['birth_date_year']).sort()).toEqual([1975, null]);
    expect(rows.map((row) => row['age_90_or_older']).sort()).toEqual([false, true]);
    expect(rows.map((row) => row['postal_code_zip3']).sort()).toEqual(['000', '021']);
    expect(report.tables[0]).toMatchObject({ rowsIn: 2, rowsOut: 2, committed: true, outputVersion: 0 });
    expect(report.crosswalk).toEqual({ table: CROSSWALK_TABLE, existing: 0, added: 2 });
  });

  it('changes nothing on a second run', async () => {
    await runDeidProfile(lake, profile('research'), options());
    const rowsBefore = await outputRows('deid.patients');
    const crosswalkBefore = await outputRows(CROSSWALK_TABLE);

    const again = await runDeidProfile(lake, profile('research'), options());

    expect(again.tables[0]).toMatchObject({ committed: false, outputVersion: 0 });
    expect(again.crosswalk).toEqual({ table: CROSSWALK_TABLE, existing: 2, added: 0 });
    expect(studyIds).toBe(2);
    expect(await outputRows('deid.patients')).toEqual(rowsBefore);
    expect(await outputRows(CROSSWALK_TABLE)).toEqual(crosswalkBefore);
    expect((await lake.tables.snapshot(CROSSWALK_TABLE))?.version).toBe(0);
  });

  it('links each study id to its patient', async () => {
    await runDeidProfile(lake, profile('research'), options());

    const crosswalk = await outputRows(CROSSWALK_TABLE);
    const output = await outputRows('deid.patients');
    expect(crosswalk.map((row) => row['patient_key']).sort()).toEqual(['hl7v2:SYNHOSP:ZQ4410', 'hl7v2:SYNHOSP:ZQ4411']);
    expect(crosswalk.map((row) => row['study_id']).sort()).toEqual(output.map((row) => row['study_id']).sort());
    expect(crosswalk.map((row) => row['profile'])).toEqual(['research', 'research']);
    // The patient born in 1930 is the one whose birth year is withheld.
    const olderStudyId = crosswalk.find((row) => row['patient_key'] === 'hl7v2:SYNHOSP:ZQ4411')?.['study_id'];
    expect(output.find((row) => row['study_id'] === olderStudyId)?.['age_90_or_older']).toBe(true);
  });

  it.each([
    { case: 'deid.patients', database: 'deid', table: 'patients', classification: 'deidentified', file: 'research' },
    { case: 'deid_limited.patients', database: 'deid_limited', table: 'patients', classification: 'limited', file: 'research-limited' },
  ])('registers $case with its classification', async ({ database, table, classification, file }) => {
    await runDeidProfile(lake, profile(file), options({ secret: SECRET }));

    const registered = await lake.catalog.getTable(database, table);
    expect(registered?.parameters['carelake.classification']).toBe(classification);
    expect(registered?.location).toBe(`deidentified/${database}/${table}/`);
    const columnClassifications = new Set(registered?.columns.map((column) => column.parameters['carelake.classification']));
    expect([...columnClassifications]).toEqual([classification]);
  });

  it('stores the crosswalk in the curated zone', async () => {
    await runDeidProfile(lake, profile('research'), options());

    const registered = await lake.catalog.getTable('restricted', 'deid_crosswalk');
    expect(registered?.location).toBe('curated/restricted/deid_crosswalk/');
    expect(registered?.parameters['carelake.classification']).toBe('phi');
  });

  it('writes a report of names and counts', async () => {
    const report = await runDeidProfile(lake, profile('research'), options());

    const folder = join(lake.root, deidReportFolder('research'));
    const [name] = await readdir(folder);
    const text = await readFile(join(folder, name as string), 'utf8');
    for (const value of IDENTIFIER_VALUES) expect(text).not.toContain(value);
    expect(JSON.parse(text)).toEqual(report);
    const birthDate = report.tables[0]?.deid.columns.find((column) => column.column === 'birth_date');
    // One birth date became a year, the other (aged 90 or older) became null.
    expect(birthDate).toMatchObject({ treatment: 'birth-year', changedValues: 1, suppressedValues: 1 });
  });

  it('audits each run with counts', async () => {
    await runDeidProfile(lake, profile('research'), options());

    const [event] = await auditEvents('deid.run');
    expect(event?.outcome).toBe('success');
    expect(event?.resources).toEqual(['clinical.patients_current', 'deid.patients', CROSSWALK_TABLE]);
    expect(event?.details).toMatchObject({ profile: 'research', rowsIn: 2, rowsOut: 2, studyIdsAdded: 2, tablesCommitted: 1 });
  });

  it('denies a principal that is not an admin', async () => {
    const analyst: Principal = { name: 'analyst', role: 'user', groups: [] };

    await expect(runDeidProfile(lake, profile('research'), options({ principal: analyst }))).rejects.toThrow(
      'principal analyst may not run de-identification profile research: it is not an admin',
    );
    const [event] = await auditEvents('deid.run');
    expect(event?.outcome).toBe('denied');
    expect(await lake.tables.snapshot('deid.patients')).toBeUndefined();
  });

  it('rejects a limited profile without keys', async () => {
    const run = runDeidProfile(lake, profile('research-limited'), options());

    await expect(run).rejects.toThrow(DeidRunError);
    await expect(run).rejects.toThrow('a limited profile needs a secret from the key provider, but carelake.yaml sets keys: provider: none');
    expect(await lake.tables.snapshot('deid_limited.patients')).toBeUndefined();
  });

  it('keeps pseudonyms and shifts under one secret', async () => {
    await runDeidProfile(lake, profile('research-limited'), options({ secret: SECRET }));
    const first = await outputRows('deid_limited.patients');
    const again = await runDeidProfile(lake, profile('research-limited'), options({ secret: SECRET }));

    expect(again.tables[0]?.committed).toBe(false);
    expect(await outputRows('deid_limited.patients')).toEqual(first);

    await runDeidProfile(lake, profile('research-limited'), options({ secret: OTHER_SECRET }));
    const other = await outputRows('deid_limited.patients');
    const byColumn = (rows: Row[], column: string): string[] => rows.map((row) => String(row[column])).sort();
    expect(byColumn(other, 'patient_key')).not.toEqual(byColumn(first, 'patient_key'));
    expect(byColumn(other, 'event_time')).not.toEqual(byColumn(first, 'event_time'));
    for (const value of IDENTIFIER_VALUES) expect(byColumn(first, 'patient_key')).not.toContain(value);
  });

  it('fails before writing when a source is missing', async () => {
    const encounters = `description: Encounters for the test.
profile: { method: safe-harbor }
tables:
  - source: clinical.encounters_current
    output: deid.encounters
`;
    await writeFile(profile('encounters'), encounters);

    await expect(runDeidProfile(lake, profile('encounters'), options())).rejects.toThrow(
      'source table(s) clinical.encounters_current have no committed rows in this lake',
    );
    expect(await lake.tables.snapshot(CROSSWALK_TABLE)).toBeUndefined();
  });
});
