// Real: the pipeline runner over the public HL7 v2 and Synthea FHIR samples, a local lake in a
// temp folder, DuckDB, SQLite and Parquet. Nothing is faked; the clock is fixed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, resolvePrincipal } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type Lake, type RunSummary } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { fingerprintFolder, REPO_ROOT, SHARED_TESTDATA } from './helpers';

const OUTPUTS = ['raw.hl7v2_segments', 'raw.fhir_resources', 'clinical.patients', 'clinical.observations'];

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

  const run = async (name: string, source: string): Promise<RunSummary> => {
    const pipeline = loadPipelineFile(await writePipeline(work, name, source));
    const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
    return runPipeline({ lake, pipeline, datasets });
  };

  const count = async (sql: string): Promise<number> => {
    const engine = await DuckDbQueryEngine.open({ catalog: lake.catalog, tables: lake.tables, limits: { threads: 1 } });
    try {
      const config = loadConfig({ cwd: REPO_ROOT, env: {} });
      const { rows } = await engine.queryAll(sql, { principal: resolvePrincipal(config, 'admin') });
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

  it('stores the messages the two batch samples share once', () => {
    // Two of the batch samples carry the same ADT message, so its 66 rows are stored once.
    expect(summaries['hl7']?.rowsSkippedAsDuplicate).toBe(66);
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

  it('changes nothing on a second run', async () => {
    const before = fingerprintFolder(join(work, 'lake', '_state', 'tables'));
    const again = await run('samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea'));
    expect(again.filesAlreadyIngested).toBe(12);
    expect(again.rowsOut).toBe(0);
    expect(fingerprintFolder(join(work, 'lake', '_state', 'tables'))).toEqual(before);
  });
});
