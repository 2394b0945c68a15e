// Real: the runner over synthetic ADT files in a temp folder, a local lake (object store, DuckDB,
// Parquet, SQLite catalog, audit log). Faked: the clock, and a fault hook that stops the run
// between the last commit and the ledger.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock } from '@carelake/core';
import { openLocalLake, type Lake } from './lake';
import { loadPipelineFile, type LoadedPipeline } from './pipeline-file';
import { loadDatasets, requireDataset } from './datasets';
import { companionSources, runPipeline } from './runner';
import { admit } from './__fixtures__/adt-admit';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));

describe('companionSources', () => {
  it('adds tables that follow merges', () => {
    const outputs = ['clinical.patients', 'clinical.observations', 'raw.hl7v2_segments'].map((table) => requireDataset(datasets, table));

    const tables = companionSources(outputs, datasets).map((dataset) => dataset.table);

    expect(tables.slice(0, 2)).toEqual(['clinical.patients', 'clinical.observations']);
    expect(tables).toContain('clinical.conditions');
    expect(tables).toContain('clinical.procedures');
    expect(tables).not.toContain('raw.hl7v2_segments');
    expect(new Set(tables).size).toBe(tables.length);
  });

  it('adds nothing without followers', () => {
    const outputs = [requireDataset(datasets, 'clinical.observations')];

    expect(companionSources(outputs, datasets).map((dataset) => dataset.table)).toEqual(['clinical.observations']);
  });
});

describe('runPipeline _current companions', () => {
  let root: string;
  let lake: Lake;
  let pipeline: LoadedPipeline;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-current-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
    await mkdir(join(root, 'inputs'));
    for (const index of [1, 2, 3]) {
      await writeFile(join(root, 'inputs', `0${index}.hl7`), admit(`C${index}`, `P${index}`));
    }
    // One row per batch, so that the run commits three times.
    await writeFile(
      join(root, 'adt.pipeline.yaml'),
      'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients]\nbatchRows: 1\n',
    );
    pipeline = loadPipelineFile(join(root, 'adt.pipeline.yaml'));
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('rebuilds once per run', async () => {
    await runPipeline({ lake, pipeline, datasets });

    const history = await lake.tables.snapshot('clinical.patients');
    const current = await lake.tables.snapshot('clinical.patients_current');
    expect(history?.version).toBe(2);
    expect(current?.version).toBe(0);
    expect(current?.sourceVersion).toBe(2);
    expect(current?.summary.rowsAdded).toBe(3);
  });

  it('catches up after a killed run', async () => {
    const killed = new Error('stopped before the ledger');
    let batches = 0;
    await expect(
      runPipeline({
        lake,
        pipeline,
        datasets,
        onFaultPoint: (point) => {
          if (point === 'before-ledger' && ++batches === 3) throw killed;
        },
      }),
    ).rejects.toBe(killed);
    expect(await lake.tables.snapshot('clinical.patients_current')).toBeUndefined();

    const summary = await runPipeline({ lake, pipeline, datasets });

    expect(summary.filesIngested).toBe(1);
    expect(summary.rowsOut).toBe(0);
    expect(summary.rowsSkippedAsDuplicate).toBe(1);
    const current = await lake.tables.snapshot('clinical.patients_current');
    expect(current?.sourceVersion).toBe(2);
    expect(current?.summary.rowsAdded).toBe(3);
  });
});
