// Real: the runner with the shipped views and transforms over FHIR files written in a temp folder,
// a local lake (object store, DuckDB, Parquet, SQLite catalog, audit log). Faked: the clock, fixed.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { loadConfig, ManualClock } from '@carelake/core';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { loadDatasets } from './datasets';
import { SqlTransformError } from './errors';
import { openLocalLake, type Lake } from './lake';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline, type RunSummary } from './runner';
import { BUILT_IN_FHIR_TRANSFORMS_DIR } from './transform-files';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));

function patient(
  id: string,
  versionId: string,
  lastUpdated: string,
  gender: string,
): Record<string, unknown> {
  return {
    resourceType: 'Patient',
    id,
    meta: { versionId, lastUpdated },
    gender,
    name: [{ family: 'Example', given: ['Sam', 'Lee'] }],
  };
}

describe('SQL transforms in a pipeline run', () => {
  let root: string;
  let lake: Lake;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-transform-run-test-'));
    const config = loadConfig({
      cwd: root,
      env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' },
    });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  /** Write `files` into `inputs/<folder>` and run a pipeline named `name` over that folder. */
  async function run(
    name: string,
    folder: string,
    files: Record<string, unknown>,
    lines: string[],
  ): Promise<RunSummary> {
    await mkdir(join(root, 'inputs', folder), { recursive: true });
    for (const [file, content] of Object.entries(files))
      await writeFile(join(root, 'inputs', folder, file), JSON.stringify(content));
    const pipelineFile = join(root, `${name}.pipeline.yaml`);
    await writeFile(
      pipelineFile,
      [`name: ${name}`, `source: { type: directory, path: inputs/${folder} }`, ...lines, ''].join(
        '\n',
      ),
    );
    return runPipeline({ lake, pipeline: loadPipelineFile(pipelineFile), datasets });
  }

  async function rowsOf(table: string, columns: string): Promise<Record<string, unknown>[]> {
    const snapshot = await lake.tables.snapshot(table);
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await lake.tables.withMaterialized(snapshot, async (pathOf) => {
        const sql = `SELECT ${columns} FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY ALL`;
        return (await duck.connection.runAndReadAll(sql)).getRowObjectsJS();
      });
    } finally {
      closeDuckDb(duck);
    }
  }

  it('writes the view tables its transforms read when the outputs leave them out', async () => {
    const summary = await run(
      'clinical',
      'one',
      { '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female') },
      ['outputs: [clinical.patients]'],
    );

    expect(summary.rowsByTable).toEqual({ 'clinical.patients': 1, 'fhir.patient': 1 });
    expect(
      await rowsOf('clinical.patients', 'patient_key, given_name, sex, source_id, event_time'),
    ).toEqual([
      {
        patient_key: 'fhir:Patient/p1',
        given_name: 'Sam',
        sex: 'female',
        source_id: 'Patient/p1/_history/1',
        event_time: new Date('2026-01-01T00:00:00Z'),
      },
    ]);
  });

  it('turns every version and a DELETE into clinical versions', async () => {
    const files = {
      '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female'),
      '02.json': patient('p1', '2', '2026-02-01T00:00:00Z', 'male'),
      '03.json': patient('p2', '1', '2026-01-01T00:00:00Z', 'other'),
      '04.json': {
        resourceType: 'Bundle',
        type: 'transaction',
        timestamp: '2026-03-01T00:00:00Z',
        entry: [{ request: { method: 'DELETE', url: 'Patient/p2' } }],
      },
    };
    await run('clinical', 'versions', files, ['outputs: [clinical.patients]']);

    expect(await rowsOf('clinical.patients', 'patient_key, sex, is_deleted')).toEqual([
      { patient_key: 'fhir:Patient/p1', sex: 'female', is_deleted: false },
      { patient_key: 'fhir:Patient/p1', sex: 'male', is_deleted: false },
      { patient_key: 'fhir:Patient/p2', sex: 'other', is_deleted: false },
      { patient_key: 'fhir:Patient/p2', sex: null, is_deleted: true },
    ]);
    expect(await rowsOf('clinical.patients_current', 'patient_key, sex')).toEqual([
      { patient_key: 'fhir:Patient/p1', sex: 'male' },
    ]);
  });

  it('reads only the view rows its batch added', async () => {
    // Another pipeline stored p1 in the view table without transforming it.
    await run(
      'views',
      'first',
      { '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female') },
      ['outputs: [fhir.patient]'],
    );
    const summary = await run(
      'clinical',
      'second',
      { '02.json': patient('p2', '1', '2026-01-01T00:00:00Z', 'male') },
      ['outputs: [clinical.patients]'],
    );

    expect(summary.rowsByTable['clinical.patients']).toBe(1);
    expect(await rowsOf('clinical.patients', 'patient_key')).toEqual([
      { patient_key: 'fhir:Patient/p2' },
    ]);
  });

  it('reads the whole view history when its batch resent stored rows', async () => {
    // As after a run that committed the view rows and stopped before its transforms ran.
    const first = { '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female') };
    await run('views', 'first', first, ['outputs: [fhir.patient]']);
    await run(
      'views',
      'second',
      { '02.json': patient('p2', '1', '2026-01-01T00:00:00Z', 'male') },
      ['outputs: [fhir.patient]'],
    );
    const summary = await run('clinical', 'first', first, ['outputs: [clinical.patients]']);

    expect(summary.rowsByTable['fhir.patient']).toBe(0);
    expect(summary.rowsByTable['clinical.patients']).toBe(2);
    expect(await rowsOf('clinical.patients', 'patient_key')).toEqual([
      { patient_key: 'fhir:Patient/p1' },
      { patient_key: 'fhir:Patient/p2' },
    ]);
  });

  it('changes nothing on a second run', async () => {
    const files = { '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female') };
    await run('clinical', 'again', files, ['outputs: [clinical.patients]']);
    const again = await run('clinical', 'again', files, ['outputs: [clinical.patients]']);

    expect(again.rowsOut).toBe(0);
    expect(await rowsOf('clinical.patients', 'count(*) AS n')).toEqual([{ n: 1n }]);
  });

  it('quarantines a transform row its table cannot take, by the view row', async () => {
    const shipped = await readFile(join(BUILT_IN_FHIR_TRANSFORMS_DIR, 'patients.sql'), 'utf8');
    const keyless =
      "CASE WHEN p.gender = 'other' THEN NULL ELSE 'fhir:' || p.resource_key END AS patient_key";
    await mkdir(join(root, 'mine'));
    await writeFile(
      join(root, 'mine', 'patients.sql'),
      shipped.replace("'fhir:' || p.resource_key AS patient_key", keyless),
    );
    const files = {
      '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female'),
      '02.json': patient('p2', '1', '2026-01-01T00:00:00Z', 'other'),
    };
    const summary = await run('clinical', 'keyless', files, [
      'transforms: [mine]',
      'outputs: [clinical.patients]',
    ]);

    expect(summary.quarantined).toBe(1);
    expect(summary.rowsByTable['clinical.patients']).toBe(1);
    const folder = join(root, 'lake', 'quarantine', 'clinical');
    const [hashFolder] = await readdir(folder);
    const [itemFile] = await readdir(join(folder, hashFolder as string));
    const item = JSON.parse(
      await readFile(join(folder, hashFolder as string, itemFile as string), 'utf8'),
    ) as Record<string, unknown>;
    expect(item['stage']).toBe('validate');
    expect(item['position']).toEqual({
      file: expect.stringMatching(/02\.json$/),
      record: 0,
      field: 'patient_key',
      keyPath: 'patients.sql',
    });
    expect(item['reason']).toBe(
      'clinical.patients: row 1 has no value for patient_key, which clinical.patients declares not null',
    );
    expect(hashFolder).toMatch(/^[0-9a-f]{64}$/);
  });

  it('names the failed transform without the value DuckDB could not read', async () => {
    const shipped = await readFile(join(BUILT_IN_FHIR_TRANSFORMS_DIR, 'patients.sql'), 'utf8');
    await mkdir(join(root, 'mine'));
    await writeFile(
      join(root, 'mine', 'patients.sql'),
      shipped.replace('p.gender AS sex', 'CAST(CAST(p.gender AS INTEGER) AS VARCHAR) AS sex'),
    );
    const files = { '01.json': patient('p1', '1', '2026-01-01T00:00:00Z', 'female') };

    const error = await run('clinical', 'failing', files, [
      'transforms: [mine]',
      'outputs: [clinical.patients]',
    ]).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SqlTransformError);
    expect((error as SqlTransformError).message).toBe(
      `SQL transform ${join(root, 'mine', 'patients.sql')} failed in DuckDB with a Conversion Error`,
    );
    expect(
      JSON.stringify({
        message: (error as Error).message,
        hint: (error as SqlTransformError).hint,
      }),
    ).not.toMatch(/female/);
  });
});
