// Real: the pipeline runner over a synthetic ORU^R01 with an ED value, a local lake in a temp
// folder, DuckDB, SQLite and Parquet. Nothing is faked; the clock is fixed.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, resolvePrincipal, sha256Hex } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type Lake } from '@carelake/pipeline';
import { DuckDbQueryEngine } from '@carelake/query';
import { REPO_ROOT } from './helpers';

/** Bytes that stand in for a PDF report: a header and a fixed pattern, no real document. */
const DOCUMENT = Buffer.concat([Buffer.from('%PDF-1.4\n'), Buffer.alloc(2048, 'synthetic report ')]);

const MESSAGE = [
  'MSH|^~\\&|LAB|NORTH|LAKE|CARELAKE|20260102030405+0000||ORU^R01|ED-1|P|2.5.1',
  'PID|1||MRN1^^^NORTH^MR||Synthetic^Person||19800101|U',
  'OBR|1|ORD1|FIL1|11502-2^Laboratory report^LN|||20260102030000+0000',
  `OBX|1|ED|11502-2^Laboratory report^LN||^application^pdf^Base64^${DOCUMENT.toString('base64')}||||||F`,
].join('\r');

describe('HL7 v2 encapsulated data', () => {
  let work: string;
  let lake: Lake;
  let pipelineFile: string;
  const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-ed-'));
    await mkdir(join(work, 'inputs'));
    await writeFile(join(work, 'inputs', 'report.hl7'), `${MESSAGE}\r`);
    pipelineFile = join(work, 'lab.pipeline.yaml');
    await writeFile(pipelineFile, 'name: lab\nsource: { type: directory, path: inputs }\noutputs: [clinical.observations]\n');
    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(work, 'lake') } });
    lake = await openLocalLake({ ...config, query: { threads: 1, memoryLimit: '512MB' } }, {
      clock: new ManualClock('2026-03-04T05:06:07.000Z'),
    });
    await runPipeline({ lake, pipeline: loadPipelineFile(pipelineFile), datasets });
  });

  afterAll(async () => {
    await lake.close();
    await rm(work, { recursive: true, force: true });
  });

  it('stores ED data as an attachment', async () => {
    const principal = resolvePrincipal(loadConfig({ cwd: REPO_ROOT, env: {} }), 'admin');
    const engine = await DuckDbQueryEngine.open({ catalog: lake.catalog, tables: lake.tables, principal, limits: { threads: 1 } });
    const { rows } = await engine.queryAll('SELECT value_ref, value_size, value_media_type, value_text FROM clinical.observations', {
      principal,
    });
    await engine.close();

    const sha256 = sha256Hex(DOCUMENT);
    expect(rows).toEqual([
      {
        value_ref: `raw/hl7v2_attachments/${sha256.slice(0, 2)}/${sha256}`,
        value_size: BigInt(DOCUMENT.length),
        value_media_type: 'application/pdf',
        value_text: null,
      },
    ]);
    expect(Buffer.from(await lake.store.get(String(rows[0]?.['value_ref']))).equals(DOCUMENT)).toBe(true);
  });

  it('keeps an attachment sent again', async () => {
    await writeFile(join(work, 'inputs', 'report-again.hl7'), `${MESSAGE.replace('ED-1', 'ED-2')}\r`);
    const again = await runPipeline({ lake, pipeline: loadPipelineFile(pipelineFile), datasets });
    expect(again.filesIngested).toBe(1);
    expect(again.rowsOut).toBe(1);
  });
});
