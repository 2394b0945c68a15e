// Real: the pipeline runner over the public HL7 v2 and Synthea FHIR samples, a local lake in a
// temp folder, DuckDB, SQLite and Parquet. Nothing is faked; the clock is fixed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, resolvePrincipal, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type Lake, type RunSummary } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { fingerprintFolder, REPO_ROOT, SHARED_TESTDATA } from './helpers';

const CLINICAL = ['patients', 'encounters', 'observations', 'orders', 'immunizations', 'appointments', 'documents'];
const OUTPUTS = ['raw.hl7v2_segments', 'raw.fhir_resources', ...CLINICAL.map((table) => `clinical.${table}`)];

async function writePipeline(folder: string, name: string, source: string): Promise<string> {
  const file = join(folder, `${name}.pipeline.yaml`);
  const yaml = [`name: ${name}`, 'source:', '  type: directory', `  path: ${source}`, `outputs: [${OUTPUTS.join(', ')}]`];
  await writeFile(file, `${yaml.join('\n')}\n`);
  return file;
}

describe('pipeline over the shared samples', () => {
  let work: string;
  let lake: Lake;
  const summaries: Record<string, RunSummary> = {};

  const warningCodes: Record<string, number> = {};
  const logger = {
    child: () => logger,
    debug: (fields: { code?: string }) => {
      if (fields.code) warningCodes[fields.code] = (warningCodes[fields.code] ?? 0) + 1;
    },
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
  } as unknown as Logger;

  const run = async (name: string, source: string): Promise<RunSummary> => {
    const pipeline = loadPipelineFile(await writePipeline(work, name, source));
    const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
    return runPipeline({ lake, pipeline, datasets, logger });
  };

  const count = async (sql: string): Promise<number> => {
    const principal = resolvePrincipal(loadConfig({ cwd: REPO_ROOT, env: {} }), 'admin');
    const engine = await DuckDbQueryEngine.open({ catalog: lake.catalog, tables: lake.tables, principal, limits: { threads: 1 } });
    try {
      const { rows } = await engine.queryAll(sql, { principal });
      return Number(rows[0]?.['n']);
    } finally {
      await engine.close();
    }
  };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-samples-'));
    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(work, 'lake') } });
    lake = await openLocalLake({ ...config, query: { threads: 1, memoryLimit: '512MB' } }, {
      clock: new ManualClock('2026-03-04T05:06:07.000Z'),
    });
    summaries['hl7'] = await run('samples-hl7v2', join(SHARED_TESTDATA, 'hl7v2'));
    summaries['fhir'] = await run('samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea'));
  });

  afterAll(async () => {
    await lake.close();
    await rm(work, { recursive: true, force: true });
  });

  it('reads every HL7 v2 sample file', () => {
    expect(summaries['hl7']?.filesSeen).toBe(41);
    expect(summaries['hl7']?.filesIngested).toBe(41);
    expect(summaries['hl7']?.recordsIn).toBe(46);
    expect(summaries['hl7']?.rowsByTable['raw.hl7v2_segments']).toBe(447);
  });

  it('quarantines the two invalid HL7 v2 envelopes', () => {
    expect(summaries['hl7']?.quarantined).toBe(2);
    const items = Object.keys(fingerprintFolder(join(work, 'lake', 'quarantine', 'samples-hl7v2')));
    expect(items).toHaveLength(2);
  });

  it('stores the messages the batch samples share once', () => {
    // Batch samples repeat the same ADT messages: their 66 segment rows and the 9 clinical rows
    // mapped from them are stored once.
    expect(summaries['hl7']?.rowsSkippedAsDuplicate).toBe(66 + 9);
  });

  it.each([
    // Every OBX outside MDM messages, whose OBX segments are the document's text.
    { table: 'clinical.observations', rows: 135 },
    // One RXA in each of two VXU samples, three in the NIST one.
    { table: 'clinical.immunizations', rows: 5 },
    { table: 'clinical.appointments', rows: 1 },
    // The TXA of each MDM sample.
    { table: 'clinical.documents', rows: 2 },
    // The ORC of the one ORM sample.
    { table: 'clinical.orders', rows: 1 },
    { table: 'clinical.encounters', rows: 11 },
    { table: 'clinical.patients', rows: 28 },
  ])('maps the HL7 v2 samples to $rows rows of $table', ({ table, rows }) => {
    expect(summaries['hl7']?.rowsByTable[table]).toBe(rows);
  });

  it('warns about each control id reused for other content', () => {
    expect(warningCodes['control-id-reused']).toBe(3);
  });

  it('builds the HL7 v2 current tables', async () => {
    expect(await count("SELECT count(*) AS n FROM clinical.encounters_current WHERE source_format = 'hl7v2'")).toBe(10);
    expect(await count("SELECT count(*) AS n FROM clinical.patients_current WHERE source_format = 'hl7v2'")).toBe(23);
  });

  it('reads every Synthea resource', () => {
    expect(summaries['fhir']?.filesSeen).toBe(12);
    expect(summaries['fhir']?.recordsIn).toBe(1000);
    expect(summaries['fhir']?.quarantined).toBe(0);
  });

  it('stores repeated resources once', async () => {
    expect(await count("SELECT count(*) AS n FROM raw.fhir_resources")).toBe(996);
  });

  it('builds one current row per Synthea patient', async () => {
    expect(await count("SELECT count(*) AS n FROM clinical.patients_current WHERE source_format = 'fhir'")).toBe(10);
    expect(await count("SELECT count(*) AS n FROM clinical.observations WHERE source_format = 'fhir'")).toBe(153);
  });

  it('changes nothing on a second HL7 v2 run', async () => {
    const before = fingerprintFolder(join(work, 'lake', '_state', 'tables'));
    const again = await run('samples-hl7v2', join(SHARED_TESTDATA, 'hl7v2'));
    expect(again.filesAlreadyIngested).toBe(41);
    expect(again.rowsOut).toBe(0);
    expect(fingerprintFolder(join(work, 'lake', '_state', 'tables'))).toEqual(before);
  });

  it('changes nothing on a second run', async () => {
    const before = fingerprintFolder(join(work, 'lake', '_state', 'tables'));
    const again = await run('samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea'));
    expect(again.filesAlreadyIngested).toBe(12);
    expect(again.rowsOut).toBe(0);
    expect(fingerprintFolder(join(work, 'lake', '_state', 'tables'))).toEqual(before);
  });
});
