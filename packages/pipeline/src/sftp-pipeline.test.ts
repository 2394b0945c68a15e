// Real: OpenSSH's sshd on loopback, the runner and a local lake (object store, DuckDB, Parquet,
// SQLite catalog, audit log). Faked: the clock, and the SFTP source's backoff sleep and randomness.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig, ManualClock } from '@carelake/core';
import { seededRandom, SftpHostKeyError, startLoopbackSshd, type LoopbackSshd } from '@carelake/sftp';
import { loadDatasets } from './datasets';
import { openLocalLake, type Lake } from './lake';
import { IngestLedger } from './ledger';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline, type RunSummary } from './runner';
import { admit } from './__fixtures__/adt-admit';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));
const OTHER_HOST_KEY = 'SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU';

describe('runPipeline with an sftp source', () => {
  let sshd: LoopbackSshd;
  let root: string;
  let lake: Lake;
  let outbound: string;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
  });

  afterAll(async () => {
    await sshd.stop();
  });

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-sftp-pipeline-'));
    outbound = await mkdtemp(join(sshd.root, 'outbound-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
    await rm(outbound, { recursive: true, force: true });
  });

  async function writePipeline(hostKey: string, postAction: string): Promise<string> {
    const file = join(root, 'partner.pipeline.yaml');
    const yaml = [
      'name: partner-adt',
      'source:',
      '  type: sftp',
      `  host: ${sshd.host}`,
      `  port: ${sshd.port}`,
      `  username: ${sshd.username}`,
      `  path: ${outbound}`,
      '  patterns: ["*.hl7"]',
      `  hostKey: "${hostKey}"`,
      `  privateKey: "file:${sshd.privateKeyPath}"`,
      '  stableSeconds: 0',
      `  postAction: ${postAction}`,
      'decode: { format: hl7v2 }',
      'outputs: [clinical.patients]',
    ].join('\n');
    await writeFile(file, yaml);
    return file;
  }

  async function run(pipelineFile: string): Promise<RunSummary> {
    return runPipeline({
      lake,
      pipeline: loadPipelineFile(pipelineFile),
      datasets,
      sftpOverrides: { sleep: async () => undefined, random: seededRandom(11) },
    });
  }

  async function landedFiles(): Promise<string[]> {
    const keys: string[] = [];
    for await (const object of lake.store.list({ prefix: 'landing/partner-adt/' })) keys.push(object.key.split('/').at(-1) ?? '');
    return keys.sort();
  }

  it('lands, ingests and archives each file once', async () => {
    await writeFile(join(outbound, 'adt-1.hl7'), admit('C1', 'P1'));
    await writeFile(join(outbound, 'adt-2.hl7'), admit('C2', 'P2'));
    const pipeline = await writePipeline(sshd.hostKeyFingerprint, '{ archive: archive }');

    const first = await run(pipeline);
    const second = await run(pipeline);

    expect(first.sftp).toMatchObject({ downloaded: 2, skipped: 0, failed: 0, postActionFailures: 0 });
    expect(first.filesIngested).toBe(2);
    expect(first.rowsByTable['clinical.patients']).toBe(2);
    expect(await landedFiles()).toEqual(['adt-1.hl7', 'adt-2.hl7']);
    expect((await readdir(join(outbound, 'archive'))).sort()).toEqual(['adt-1.hl7', 'adt-2.hl7']);
    expect(second.sftp).toMatchObject({ downloaded: 0, skipped: 0 });
    expect(second.filesIngested).toBe(0);
  });

  it('records known content under its new name', async () => {
    const pipeline = await writePipeline(sshd.hostKeyFingerprint, 'leave');
    await writeFile(join(outbound, 'adt-1.hl7'), admit('C1', 'P1'));
    await run(pipeline);

    await writeFile(join(outbound, 'adt-1-resent.hl7'), admit('C1', 'P1'));
    const second = await run(pipeline);
    const third = await run(pipeline);

    const [landed] = await landedFiles();
    const hashes = await ledgerHashes();
    const entry = await new IngestLedger(lake.store, 'partner-adt').get(hashes[0] ?? '');
    expect(hashes).toHaveLength(1);
    expect(second.sftp).toMatchObject({ downloaded: 1, knownContent: 1, skipped: 1 });
    expect(second.filesIngested).toBe(0);
    expect(landed).toBe('adt-1.hl7');
    expect(entry?.sourceNames).toEqual(['adt-1-resent.hl7', 'adt-1.hl7']);
    expect(third.sftp).toMatchObject({ downloaded: 0, skipped: 2 });
  });

  it('rejects a changed host key and lands nothing', async () => {
    await writeFile(join(outbound, 'adt-1.hl7'), admit('C1', 'P1'));
    const pipeline = await writePipeline(OTHER_HOST_KEY, 'leave');

    const error = await run(pipeline).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SftpHostKeyError);
    expect((error as SftpHostKeyError).message).toContain(sshd.hostKeyFingerprint);
    expect(await landedFiles()).toEqual([]);
  });

  it('retries a failed archive without a second download', async () => {
    await writeFile(join(outbound, 'adt-1.hl7'), admit('C1', 'P1'));
    // A file where the archive folder should be makes every archive attempt fail.
    await writeFile(join(outbound, 'archive'), 'not a folder');
    const pipeline = await writePipeline(sshd.hostKeyFingerprint, '{ archive: archive }');

    const failed = await run(pipeline);
    await rm(join(outbound, 'archive'));
    await mkdir(join(outbound, 'archive'));
    const retried = await run(pipeline);

    expect(failed.sftp).toMatchObject({ downloaded: 1, postActionFailures: 1 });
    expect(failed.filesIngested).toBe(1);
    expect(retried.sftp).toMatchObject({ downloaded: 0, skipped: 1, postActionFailures: 0 });
    expect(retried.filesIngested).toBe(0);
    expect(existsSync(join(outbound, 'archive', 'adt-1.hl7'))).toBe(true);
  });

  async function ledgerHashes(): Promise<string[]> {
    const hashes: string[] = [];
    for await (const object of lake.store.list({ prefix: '_state/ingest/partner-adt/' })) {
      hashes.push(object.key.split('/').at(-1)?.replace(/\.json$/, '') ?? '');
    }
    return hashes;
  }
});
