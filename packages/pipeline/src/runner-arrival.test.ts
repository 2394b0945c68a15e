// Real: the runner over synthetic ADT files in a temp folder, a local lake (object store, DuckDB,
// Parquet, SQLite catalog, audit log). Faked: the clock, fixed so that every file reads the same time.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock } from '@carelake/core';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { loadDatasets } from './datasets';
import { openLocalLake, type Lake } from './lake';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline } from './runner';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));

/** Build an A08 for patient P1 at one fixed MSH-7. Only PID-8 differs between versions. */
function update(controlId: string, sex: string): string {
  return [
    `MSH|^~\\&|ADT|HOSP|LAKE|CARELAKE|20260101100000+0000||ADT^A08|${controlId}|P|2.5.1`,
    'EVN|A08|20260101100000+0000',
    `PID|1||P1^^^HOSP^MR||Synthetic^Person||19800101|${sex}`,
  ].join('\r');
}

describe('runPipeline arrival order', () => {
  let root: string;
  let lake: Lake;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-arrival-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  it('keeps the later file when versions share an event time', async () => {
    await mkdir(join(root, 'inputs'));
    await writeFile(join(root, 'inputs', '01.hl7'), update('C1', 'F'));
    await writeFile(join(root, 'inputs', '02.hl7'), update('C2', 'M'));
    await writeFile(join(root, 'adt.pipeline.yaml'), 'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients]\n');

    await runPipeline({ lake, pipeline: loadPipelineFile(join(root, 'adt.pipeline.yaml')), datasets });

    const snapshot = await lake.tables.snapshot('clinical.patients_current');
    if (!snapshot) throw new Error('clinical.patients_current was not written');
    const duck = await openDuckDb({ threads: 1 });
    try {
      const rows = await lake.tables.withMaterialized(snapshot, async (pathOf) =>
        (await duck.connection.runAndReadAll(`SELECT sex, source_id FROM (${snapshotSourceSql(snapshot, pathOf)})`)).getRowObjectsJS(),
      );
      expect(rows).toEqual([{ sex: 'M', source_id: 'C2' }]);
    } finally {
      closeDuckDb(duck);
    }
  });
});
