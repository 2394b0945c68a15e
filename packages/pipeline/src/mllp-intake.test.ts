// Real: MLLP listener and client over TCP on 127.0.0.1, a local lake in a temp folder (object
// store, DuckDB, Parquet, SQLite catalog, audit log). Faked: nothing; the clock is fixed.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, ManualClock, sha256Hex } from '@carelake/core';
import { encodeMllpFrame, MllpClient, MllpFrameDecoder } from '@carelake/mllp';
import { totalRows } from '@carelake/tables';
import { loadDatasets } from './datasets';
import { openLocalLake, type Lake } from './lake';
import { IngestLedger } from './ledger';
import { landFile } from './landing';
import { MllpIntake } from './mllp-intake';
import { pipelineSchema, type LoadedPipeline } from './pipeline-file';
import { runPipeline, type RunSummary } from './runner';
import { listSourceFiles } from './source-files';

const REPO_ROOT = resolve(__dirname, '../../..');
const HL7_TESTDATA = resolve(__dirname, '../../../../shared/testdata/hl7v2');
const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));

function mllpPipeline(source: Record<string, unknown> = {}): LoadedPipeline {
  const definition = pipelineSchema.parse({
    name: 'adt-feed',
    source: { type: 'mllp', port: 0, flushSeconds: 3600, ...source },
    outputs: ['raw.hl7v2_segments'],
  });
  return { ...definition, file: join(REPO_ROOT, 'pipelines', 'adt-feed.pipeline.yaml'), baseDir: join(REPO_ROOT, 'pipelines') };
}

/** Build a synthetic ADT^A08 with its own control id, so that each one has other bytes. */
function adtUpdate(controlId: string): string {
  return `MSH|^~\\&|SEND|FAC|RECV|RFAC|20260304050607||ADT^A08^ADT_A01|${controlId}|P|2.5.1\rEVN|A08|20260304050607\rPID|1||MRN1^^^HOSP^MR||TESTPATIENT^ALEX||19800101|F\r`;
}

/** Open a bare TCP connection that counts the ACK frames coming back. */
async function rawConnection(port: number): Promise<{ write(bytes: Uint8Array): void; acks(): number; end(): void }> {
  const socket = connect({ host: '127.0.0.1', port });
  await new Promise<void>((resolveConnect, reject) => {
    socket.once('connect', resolveConnect);
    socket.once('error', reject);
  });
  const decoder = new MllpFrameDecoder();
  let acks = 0;
  socket.on('data', (chunk: Buffer) => {
    acks += decoder.push(chunk).filter((event) => event.kind === 'frame').length;
  });
  return { write: (bytes) => socket.write(bytes), acks: () => acks, end: () => socket.end() };
}

async function waitFor(condition: () => boolean, description: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 20));
  }
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

  it('lands the same bytes from four connections once', async () => {
    const intake = await MllpIntake.start({ lake, pipeline, datasets });
    const clients = await Promise.all([1, 2, 3, 4].map(() => MllpClient.connect({ port: intake.address.port })));
    const adt = await readMessage('adt_a04_classic_mcm_01.hl7');

    const responses = await Promise.all(clients.map((client) => client.sendMessage(adt)));
    for (const client of clients) await client.close();
    const summary = await intake.close();

    expect(responses.map((response) => response.applicationAck?.code)).toEqual(['AA', 'AA', 'AA', 'AA']);
    expect(await landedObjects()).toHaveLength(1);
    expect(summary?.filesIngested).toBe(1);
  });

  it('ingests content landed under two names once', async () => {
    const adt = Buffer.from(await readMessage('adt_a04_classic_mcm_01.hl7'));
    const sha256 = sha256Hex(adt);
    // Two listeners that land a resent message at the same moment leave two copies.
    const first = await landFile(lake.store, pipeline.name, '20260304T050607.000Z-conn-a-0.hl7', sha256, adt);
    await lake.store.put(`${first.landingKey.slice(0, first.landingKey.lastIndexOf('/'))}/20260304T050607.001Z-conn-b-0.hl7`, adt);

    const summary = await runPipeline({ lake, pipeline, datasets });
    const entry = await new IngestLedger(lake.store, pipeline.name).get(sha256);

    expect(summary.filesIngested).toBe(1);
    expect(summary.filesAlreadyIngested).toBe(1);
    expect(summary.recordsIn).toBe(1);
    expect(entry?.sourceNames).toEqual(['20260304T050607.000Z-conn-a-0.hl7', '20260304T050607.001Z-conn-b-0.hl7']);
  });

  it('names pipelined frames in arrival order', async () => {
    const intake = await MllpIntake.start({ lake, pipeline, datasets });
    const connection = await rawConnection(intake.address.port);
    const controlIds = Array.from({ length: 12 }, (_, index) => `UPD${index}`);

    // One write, so that the frames arrive together, in the same millisecond.
    connection.write(Buffer.concat(controlIds.map((controlId) => encodeMllpFrame(adtUpdate(controlId)))));
    await waitFor(() => connection.acks() === controlIds.length, 'every ACK');
    connection.end();
    await intake.close();

    const files = await listSourceFiles(pipeline, lake.store);
    const order = await Promise.all(files.map(async (file) => Buffer.from(await file.read()).toString('utf8').split('|')[9]));
    expect(order).toEqual(controlIds);
  });

  it('queues one run while another is going', async () => {
    const runs: RunSummary[] = [];
    const flushMessages = 5;
    const intake = await MllpIntake.start({
      lake,
      pipeline: mllpPipeline({ flushMessages }),
      datasets,
      onIngested: (summary) => runs.push(summary),
    });
    const client = await MllpClient.connect({ port: intake.address.port });

    const messageCount = 40;
    for (let index = 0; index < messageCount; index++) await client.sendMessage(adtUpdate(`RUN${index}`));
    await client.close();
    await intake.close();

    // At most one run per flushMessages landed, plus the one close() starts.
    expect(runs.length).toBeLessThanOrEqual(messageCount / flushMessages + 1);
    expect(runs.reduce((sum, run) => sum + run.filesIngested, 0)).toBe(messageCount);
  });

  it('retries a failed run at the next flush', async () => {
    const runs: RunSummary[] = [];
    const segmentsDataset = datasets.get('raw.hl7v2_segments');
    if (!segmentsDataset) throw new Error('the repository has no raw.hl7v2_segments dataset');
    const datasetsThatFail = new Map(datasets);
    const intake = await MllpIntake.start({
      lake,
      pipeline: mllpPipeline({ flushSeconds: 0.2 }),
      datasets: datasetsThatFail,
      onIngested: (summary) => runs.push(summary),
    });
    const client = await MllpClient.connect({ port: intake.address.port });

    // The run needs the dataset of raw.hl7v2_segments, so it fails until the dataset is back.
    datasetsThatFail.delete('raw.hl7v2_segments');
    await client.sendMessage(await readMessage('adt_a04_classic_mcm_01.hl7'));
    await new Promise((resolveSleep) => setTimeout(resolveSleep, 500));
    const runsWhileFailing = runs.length;
    datasetsThatFail.set('raw.hl7v2_segments', segmentsDataset);
    await waitFor(() => runs.length > 0, 'a run after the failure');
    await client.close();
    await intake.close();

    expect(runsWhileFailing).toBe(0);
    expect(runs[0]?.filesIngested).toBe(1);
  });

  it('rejects a broken mapping file before listening', async () => {
    const mappings = join(root, 'mappings');
    await mkdir(mappings);
    const patients = await readFile(join(REPO_ROOT, 'pipelines', 'mappings', 'hl7v2', 'clinical.patients.mapping.yaml'), 'utf8');
    await writeFile(join(mappings, 'clinical.patients.mapping.yaml'), patients.replace('sex: { path: PID-8 }', 'sex: { pth: PID-8 }'));
    const broken = { ...pipeline, map: [mappings], outputs: ['raw.hl7v2_segments', 'clinical.patients'] };

    const error: unknown = await MllpIntake.start({ lake, pipeline: broken, datasets }).then(
      () => undefined,
      (rejection: unknown) => rejection,
    );

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toContain('columns.sex');
  });

  it('rejects a pipeline whose source is not mllp, naming the key', async () => {
    const directory = { ...pipeline, source: { type: 'directory' as const, path: 'in', include: ['.hl7'] } };
    await expect(MllpIntake.start({ lake, pipeline: directory, datasets })).rejects.toThrow(/directory source, not mllp/);
  });
});
