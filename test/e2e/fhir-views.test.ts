// Real: the pipeline runner with the shipped SQL-on-FHIR views over the Synthea samples and over
// bundles written in the test, a local lake in a temp folder, DuckDB, SQLite and Parquet. Faked:
// the clock, fixed; each file still gets its own ingestion time.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, ManualClock, resolvePrincipal, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type Lake, type RunSummary } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { fingerprintFolder, REPO_ROOT, SHARED_TESTDATA } from './helpers';

const SYNTHEA = join(SHARED_TESTDATA, 'fhir', 'synthea');
const SHIPPED_VIEWS = join(REPO_ROOT, 'pipelines', 'views', 'fhir');
const DATASETS = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
const SHIPPED_TABLES = [
  'patient',
  'encounter',
  'condition',
  'observation',
  'observation_component',
  'medication_request',
  'procedure',
  'immunization',
  'allergy_intolerance',
  'diagnostic_report',
  'claim',
  'explanation_of_benefit',
].map((name) => `fhir.${name}`);
const UTILIZATION = 'http://synthetichealth.github.io/synthea/utilization-encounters-extension';

/** Views a user adds beside the shipped ones: the Synthea utilization extension is on the shared bundles' copies only. */
const USER_VIEWS: Record<string, unknown> = {
  organization: {
    resourceType: 'ViewDefinition',
    name: 'organization',
    resource: 'Organization',
    select: [
      {
        column: [
          { name: 'id', path: 'id' },
          { name: 'org_name', path: 'name' },
          { name: 'utilization_encounters', path: `extension('${UTILIZATION}').value.ofType(integer).first()` },
        ],
      },
    ],
  },
  practitioner: {
    resourceType: 'ViewDefinition',
    name: 'practitioner',
    resource: 'Practitioner',
    select: [
      {
        column: [
          { name: 'id', path: 'id' },
          { name: 'utilization_encounters', path: `extension('${UTILIZATION}').value.ofType(integer).first()` },
        ],
      },
    ],
  },
  active_patient: {
    resourceType: 'ViewDefinition',
    name: 'active_patient',
    resource: 'Patient',
    where: [{ path: 'active = true' }],
    select: [{ column: [{ name: 'id', path: 'id' }, { name: 'gender', path: 'gender' }] }],
  },
};

/** Resource counts by type, summed over the files of PROVENANCE.tsv that `include` selects. */
function provenanceCounts(include: (file: string) => boolean): Map<string, number> {
  const [header, ...lines] = readFileSync(join(SYNTHEA, 'PROVENANCE.tsv'), 'utf8').trim().split('\n');
  const columns = (header ?? '').split('\t');
  const counts = new Map<string, number>();
  for (const line of lines) {
    const fields = line.split('\t');
    if (!include(fields[columns.indexOf('file')] ?? '')) continue;
    for (const pair of (fields[columns.indexOf('resource_counts')] ?? '').split(';')) {
      const [type, count] = pair.split('=');
      counts.set(type ?? '', (counts.get(type ?? '') ?? 0) + Number(count));
    }
  }
  return counts;
}

/** A local lake in its own temp folder, with pipelines written beside it. */
class TestLake {
  private constructor(
    readonly work: string,
    readonly lake: Lake,
  ) {}

  static async open(prefix: string): Promise<TestLake> {
    const work = await mkdtemp(join(tmpdir(), prefix));
    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(work, 'lake') } });
    const lake = await openLocalLake({ ...config, query: { threads: 1, memoryLimit: '512MB' } }, {
      clock: new ManualClock('2026-03-04T05:06:07.000Z'),
    });
    return new TestLake(work, lake);
  }

  async close(): Promise<void> {
    await this.lake.close();
    await rm(this.work, { recursive: true, force: true });
  }

  /** Write the user views into `views/` and the given files into `inputs/<name>/`. */
  async writeInputs(name: string, files: Record<string, unknown>): Promise<string> {
    await mkdir(join(this.work, 'views'), { recursive: true });
    for (const [view, definition] of Object.entries(USER_VIEWS)) {
      await writeFile(join(this.work, 'views', `${view}.view.json`), JSON.stringify(definition, null, 2));
    }
    const folder = join(this.work, 'inputs', name);
    await mkdir(folder, { recursive: true });
    for (const [file, content] of Object.entries(files)) await writeFile(join(folder, file), JSON.stringify(content));
    return folder;
  }

  async run(name: string, source: string, outputs: string[], extra: string[] = [], logger?: Logger): Promise<RunSummary> {
    const file = join(this.work, `${name}.pipeline.yaml`);
    const yaml = [
      `name: ${name}`,
      `source: { type: directory, path: ${source} }`,
      `views: [${SHIPPED_VIEWS}, views]`,
      `outputs: [${outputs.join(', ')}]`,
      ...extra,
    ];
    await writeFile(file, `${yaml.join('\n')}\n`);
    return runPipeline({ lake: this.lake, pipeline: loadPipelineFile(file), datasets: DATASETS, ...(logger ? { logger } : {}) });
  }

  async query(sql: string): Promise<Record<string, unknown>[]> {
    const principal = resolvePrincipal(loadConfig({ cwd: REPO_ROOT, env: {} }), 'admin');
    const engine = await DuckDbQueryEngine.open({ catalog: this.lake.catalog, tables: this.lake.tables, principal, limits: { threads: 1 } });
    try {
      return (await engine.queryAll(sql, { principal })).rows;
    } finally {
      await engine.close();
    }
  }

  async count(sql: string): Promise<number> {
    const [row] = await this.query(sql);
    return Number(row?.['n']);
  }
}

function patient(id: string, meta: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { resourceType: 'Patient', id, meta, ...extra };
}

function transaction(entries: unknown[], timestamp?: string): Record<string, unknown> {
  return { resourceType: 'Bundle', type: 'transaction', ...(timestamp ? { timestamp } : {}), entry: entries };
}

describe('FHIR views over the Synthea samples', () => {
  const outputs = ['raw.fhir_resources', ...SHIPPED_TABLES, 'fhir.organization', 'fhir.practitioner'];
  let test: TestLake;
  let summary: RunSummary;

  beforeAll(async () => {
    test = await TestLake.open('carelake-fhir-views-');
    await test.writeInputs('none', {});
    summary = await test.run('synthea', SYNTHEA, outputs);
  });

  afterAll(async () => {
    await test.close();
  });

  it('reads every resource and quarantines none', () => {
    expect(summary.recordsIn).toBe(1000);
    expect(summary.quarantined).toBe(0);
    expect(summary.warnings).toBe(0);
  });

  const everyFile = provenanceCounts(() => true);
  const sharedBundles = provenanceCounts((file) => /^(hospital|practitioner)Information/.test(file));
  it.each([
    { table: 'fhir.patient', type: 'Patient' },
    { table: 'fhir.encounter', type: 'Encounter' },
    { table: 'fhir.condition', type: 'Condition' },
    { table: 'fhir.observation', type: 'Observation' },
    { table: 'fhir.procedure', type: 'Procedure' },
    { table: 'fhir.immunization', type: 'Immunization' },
    { table: 'fhir.diagnostic_report', type: 'DiagnosticReport' },
    { table: 'fhir.claim', type: 'Claim' },
    { table: 'fhir.explanation_of_benefit', type: 'ExplanationOfBenefit' },
  ])('keeps one current row per $type in $table', async ({ table, type }) => {
    const expected = everyFile.get(type);
    expect(expected).toBeGreaterThan(0);
    expect(await test.count(`SELECT count(*) AS n FROM ${table}_current`)).toBe(expected);
    expect(await test.count(`SELECT count(DISTINCT resource_key) AS n FROM ${table}_current`)).toBe(expected);
  });

  it.each([
    { table: 'fhir.organization', type: 'Organization' },
    { table: 'fhir.practitioner', type: 'Practitioner' },
  ])('keeps each $type once, as the version of the shared bundle', async ({ table, type }) => {
    const expected = sharedBundles.get(type);
    expect(expected).toBe(17);
    expect(await test.count(`SELECT count(*) AS n FROM ${table}_current`)).toBe(expected);
    // The shared bundles arrive last (their names sort after the patient bundles'), so their
    // copies, with the utilization extension, are the newest versions.
    expect(await test.count(`SELECT count(*) AS n FROM ${table}_current WHERE utilization_encounters IS NOT NULL`)).toBe(expected);
    // Every copy in a patient bundle is an older version; one Organization and its Practitioner
    // arrive identically in three patient bundles and are stored once.
    expect(await test.count(`SELECT count(*) AS n FROM ${table}`)).toBe(34);
  });

  it('writes no rows for resource types the samples lack', () => {
    expect(everyFile.get('MedicationRequest')).toBeUndefined();
    expect(summary.rowsByTable['fhir.medication_request']).toBe(0);
    expect(summary.rowsByTable['fhir.allergy_intolerance']).toBe(0);
  });

  it('keeps the components of the nine blood pressures', async () => {
    const rows = await test.query(
      'SELECT code, count(*) AS n FROM fhir.observation_component_current GROUP BY code ORDER BY code',
    );
    expect(rows.map((row) => [row['code'], Number(row['n'])])).toEqual([
      ['8462-4', 9],
      ['8480-6', 9],
    ]);
    // Each Observation without components has one marker row, which _current drops.
    expect(await test.count('SELECT count(*) AS n FROM fhir.observation_component WHERE is_deleted')).toBe(144 - 9);
  });

  it('changes nothing on a second run', async () => {
    const before = fingerprintFolder(join(test.work, 'lake', '_state', 'tables'));
    const again = await test.run('synthea', SYNTHEA, outputs);

    expect(again.filesAlreadyIngested).toBe(12);
    expect(again.rowsOut).toBe(0);
    expect(fingerprintFolder(join(test.work, 'lake', '_state', 'tables'))).toEqual(before);
  });

  describe('after a transaction bundle with DELETE entries', () => {
    // Bibi254's Patient and a blood pressure Observation from her bundle.
    const patientId = '475d72ca-91c7-7211-97e3-f000af33fc04';
    const bloodPressureId = '4eec3a72-563d-917a-b569-ef53381031f9';

    beforeAll(async () => {
      const folder = await test.writeInputs('deletes', {
        'delete.json': transaction([
          { request: { method: 'DELETE', url: `Patient/${patientId}` } },
          { request: { method: 'DELETE', url: `Observation/${bloodPressureId}` } },
        ]),
      });
      await test.run('synthea-deletes', folder, outputs);
    });

    it.each([
      { table: 'fhir.patient', key: `Patient/${patientId}`, remaining: 10 - 1 },
      { table: 'fhir.observation', key: `Observation/${bloodPressureId}`, remaining: 144 - 1 },
      // A blood pressure has two component rows.
      { table: 'fhir.observation_component', key: `Observation/${bloodPressureId}`, remaining: 18 - 2 },
    ])('removes the resource from $table', async ({ table, key, remaining }) => {
      expect(await test.count(`SELECT count(*) AS n FROM ${table}_current WHERE resource_key = '${key}'`)).toBe(0);
      expect(await test.count(`SELECT count(*) AS n FROM ${table}_current`)).toBe(remaining);
    });

    it('keeps the deleted versions in the history and in raw', async () => {
      expect(await test.count(`SELECT count(*) AS n FROM fhir.patient WHERE resource_key = 'Patient/${patientId}'`)).toBe(2);
      expect(await test.count(`SELECT count(*) AS n FROM raw.fhir_resources WHERE resource_id = '${patientId}'`)).toBe(2);
    });
  });
});

describe('FHIR view versions', () => {
  let test: TestLake;

  beforeEach(async () => {
    test = await TestLake.open('carelake-fhir-versions-');
  });

  afterEach(async () => {
    await test.close();
  });

  const first = patient('p1', { versionId: '1', lastUpdated: '2026-01-01T00:00:00Z' }, { gender: 'female', active: true });
  const second = patient('p1', { versionId: '2', lastUpdated: '2026-02-01T00:00:00Z' }, { gender: 'male', active: true });

  it.each([
    { case: 'arrives after it', files: { '01.json': first, '02.json': second } },
    { case: 'arrives before it', files: { '01.json': second, '02.json': first } },
  ])('keeps the higher version when it $case', async ({ files }) => {
    const folder = await test.writeInputs('updates', files);
    await test.run('updates', folder, ['fhir.patient']);

    expect(await test.query('SELECT version_id, gender FROM fhir.patient_current')).toEqual([{ version_id: '2', gender: 'male' }]);
    expect(await test.count('SELECT count(*) AS n FROM fhir.patient')).toBe(2);
  });

  it('applies a dated DELETE between two dated versions', async () => {
    const third = patient('p1', { versionId: '3', lastUpdated: '2026-03-01T00:00:00Z' }, { gender: 'other' });
    const folder = await test.writeInputs('delete-dated', {
      '01.json': first,
      '02.json': transaction([{ request: { method: 'DELETE', url: 'Patient/p1' } }], '2026-02-01T00:00:00Z'),
    });
    await test.run('delete-dated', folder, ['fhir.patient']);
    expect(await test.count('SELECT count(*) AS n FROM fhir.patient_current')).toBe(0);

    await writeFile(join(folder, '03.json'), JSON.stringify(third));
    await test.run('delete-dated', folder, ['fhir.patient']);
    expect(await test.query('SELECT version_id, gender FROM fhir.patient_current')).toEqual([{ version_id: '3', gender: 'other' }]);
  });

  it('lets a version the view filters out supersede the one before', async () => {
    const inactive = patient('p1', { versionId: '2', lastUpdated: '2026-02-01T00:00:00Z' }, { gender: 'male', active: false });
    const folder = await test.writeInputs('filtered', { '01.json': first, '02.json': inactive });
    await test.run('filtered', folder, ['fhir.active_patient']);

    expect(await test.count('SELECT count(*) AS n FROM fhir.active_patient_current')).toBe(0);
    expect(await test.query('SELECT version_id, is_deleted, gender FROM fhir.active_patient ORDER BY version_id')).toEqual([
      { version_id: '1', is_deleted: false, gender: 'female' },
      { version_id: '2', is_deleted: true, gender: null },
    ]);
  });
});

describe('decode.conformance in a pipeline', () => {
  let test: TestLake;

  beforeEach(async () => {
    test = await TestLake.open('carelake-fhir-conformance-');
  });

  afterEach(async () => {
    await test.close();
  });

  const bundle = {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: 'good', gender: 'female' } },
      { resource: { resourceType: 'Patient', id: 'odd', gender: 'male', favouriteColour: 'Secret-Blue' } },
      { resource: { resourceType: 'Observation', id: 'no-status', code: { text: 'Secret-Code' } } },
    ],
  };
  const outputs = ['raw.fhir_resources', 'clinical.patients', 'fhir.patient', 'fhir.observation'];

  it.each([
    { case: 'reject', setting: 'reject', quarantined: 2, warnings: 0, patients: 1, observations: 0 },
    { case: 'warn', setting: 'warn', quarantined: 0, warnings: 2, patients: 2, observations: 1 },
    { case: 'off', setting: 'off', quarantined: 0, warnings: 0, patients: 2, observations: 1 },
  ])('handles bad resources with $case', async ({ setting, quarantined, warnings, patients, observations }) => {
    const folder = await test.writeInputs('conformance', { 'bundle.json': bundle });
    const summary = await test.run('conformance', folder, outputs, [`decode: { conformance: ${setting} }`]);

    expect(summary.quarantined).toBe(quarantined);
    expect(summary.warnings).toBe(warnings);
    expect(summary.rowsByTable['raw.fhir_resources']).toBe(3);
    expect(summary.rowsByTable['clinical.patients']).toBe(patients);
    expect(summary.rowsByTable['fhir.patient']).toBe(patients);
    expect(summary.rowsByTable['fhir.observation']).toBe(observations);
  });

  it('quarantines a rejected resource with codes and paths only', async () => {
    const folder = await test.writeInputs('conformance', { 'bundle.json': bundle });
    await test.run('conformance', folder, outputs);

    const keys: string[] = [];
    for await (const object of test.lake.store.list({ prefix: 'quarantine/conformance/' })) keys.push(object.key);
    const items = await Promise.all(
      keys.map(async (key) => JSON.parse(Buffer.from(await test.lake.store.get(key)).toString('utf8')) as Record<string, unknown>),
    );
    const byReason = items.sort((left, right) => String(left['reason']).localeCompare(String(right['reason'])));
    expect(byReason.map((item) => [item['position'], item['reason']])).toEqual([
      [
        expect.objectContaining({ record: 2, field: 'Observation.status' }),
        'conformance: 1 error(s): required-missing at Observation.status',
      ],
      [
        expect.objectContaining({ record: 1, field: 'Patient.favouriteColour' }),
        'conformance: 1 error(s): unknown-element at Patient.favouriteColour',
      ],
    ]);
    expect(JSON.stringify(items)).not.toMatch(/Secret/);
  });
});

describe('a pipeline with a broken view file', () => {
  let test: TestLake;

  beforeEach(async () => {
    test = await TestLake.open('carelake-fhir-broken-view-');
  });

  afterEach(async () => {
    await test.close();
  });

  it('stops before landing and names the file and key path', async () => {
    const folder = await test.writeInputs('broken', { 'bundle.json': transaction([]) });
    const file = join(test.work, 'views', 'organization.view.json');
    const broken = { ...(USER_VIEWS['organization'] as object), select: [{ column: [{ name: 'id', path: 'id.(' }] }] };
    await writeFile(file, JSON.stringify(broken));

    const error = await test.run('broken', folder, ['fhir.organization']).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toBe(`FHIR view file ${file} is invalid`);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual([`${file}: select[0].column[0].path`]);
    expect(fingerprintFolder(join(test.work, 'lake', 'landing'))).toEqual({});
  });
});
