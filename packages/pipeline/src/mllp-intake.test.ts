// Real: MLLP listener and client over TCP on 127.0.0.1, a local lake in a temp folder (object
// store, DuckDB, Parquet, SQLite catalog, audit log). Faked: nothing; the clock is fixed.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock, sha256Hex } from '@carelake/core';
import { MllpClient } from '@carelake/mllp';
import { totalRows } from '@carelake/tables';
import { loadDatasets } from './datasets';
import { openLocalLake, type Lake } from './lake';
import { landFile } from './landing';
import { MllpIntake } from './mllp-intake';
import { pipelineSchema, type LoadedPipeline } from './pipeline-file';
import { runPipeline } from './runner';

const REPO_ROOT = resolve(__dirname, '../../..');
const HL7_TESTDATA = resolve(__dirname, '../../../../shared/testdata/hl7v2');
const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

function mllpPipeline(): LoadedPipeline {
  const definition = pipelineSchema.parse({
    name: 'adt-feed',
    source: { type: 'mllp', port: 0, flushSeconds: 3600 },
    outputs: ['raw.hl7v2_segments'],
  });
  return { ...definition, file: join(REPO_ROOT, 'pipelines', 'adt-feed.pipeline.yaml'), baseDir: join(REPO_ROOT, 'pipelines') };
}

async function readMessage(name: string): Promise<string> {
  // The sample files end segments with CR or LF; MLLP senders use CR, so normalise to CR.
  return (await readFile(join(HL7_TESTDATA, name), 'utf8')).replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r');
}

describe('MllpIntake', () => {
  let root: string;
  let lake: Lake;
  const pipeline = mllpPipeline();

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-mllp-intake-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: root, CARELAKE_QUERY_THREADS: '1', CARELAKE_QUERY_MEMORY_LIMIT: '256MB' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  async function segmentRows(): Promise<number> {
    return totalRows(await lake.tables.snapshot('raw.hl7v2_segments'));
  }

  async function landedObjects(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of lake.store.list({ prefix: `landing/${pipeline.name}/` })) keys.push(object.key);
    return keys;
  }

  it('acknowledges each message with its control id, then ingests it on close', async () => {
    const intake = await MllpIntake.start({ lake, pipeline, datasets });
    const client = await MllpClient.connect({ port: intake.address.port });
    const adt = await readMessage('adt_a04_classic_mcm_01.hl7');
    const oru = await readMessage('oru_r01_priorityhealth_cr_01.hl7');

    const first = await client.sendMessage(adt);
    const second = await client.sendMessage(oru);
    await client.close();
    const summary = await intake.close();

    expect(first.applicationAck?.code).toBe('AA');
    expect(first.applicationAck?.acknowledgedControlId).toBe(adt.split('\r')[0]?.split('|')[9]);
    expect(second.applicationAck?.code).toBe('AA');
    expect(summary?.filesIngested).toBe(2);
    expect(await segmentRows()).toBe(adt.split('\r').filter(Boolean).length + oru.split('\r').filter(Boolean).length);
  });

  it('lands a resent message once and ingests it once', async () => {
    const intake = await MllpIntake.start({ lake, pipeline, datasets });
    const client = await MllpClient.connect({ port: intake.address.port });
    const adt = await readMessage('adt_a04_classic_mcm_01.hl7');

    await client.sendMessage(adt);
    await intake.ingest();
    const rowsAfterFirst = await segmentRows();
    const resend = await client.sendMessage(adt);
    await client.close();
    const summary = await intake.close();

    expect(resend.applicationAck?.code).toBe('AA');
    expect(await landedObjects()).toHaveLength(1);
    expect(summary?.filesIngested).toBe(0);
    expect(await segmentRows()).toBe(rowsAfterFirst);
  });

  it('ingests messages landed before a crash on the next run', async () => {
    const adt = Buffer.from(await readMessage('adt_a04_classic_mcm_01.hl7'));
    await landFile(lake.store, pipeline.name, '20260304T050607.000Z-conn-0.hl7', sha256Hex(adt), adt);

    const summary = await runPipeline({ lake, pipeline, datasets });
    const again = await runPipeline({ lake, pipeline, datasets });

    expect(summary.filesIngested).toBe(1);
    expect(again.filesIngested).toBe(0);
    expect(again.filesAlreadyIngested).toBe(1);
    expect(await segmentRows()).toBeGreaterThan(0);
  });

  it('rejects a pipeline whose source is not mllp, naming the key', async () => {
    const directory = { ...pipeline, source: { type: 'directory' as const, path: 'in', include: ['.hl7'] } };
    await expect(MllpIntake.start({ lake, pipeline: directory, datasets })).rejects.toThrow(/directory source, not mllp/);
  });
});
