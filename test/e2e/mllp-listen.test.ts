// Real: the built `carelake mllp listen` command in a child process, TCP on 127.0.0.1, the MLLP
// client, a local lake in a temp folder. Nothing is faked. The messages carry no real person's data.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmod, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MllpClient } from '@carelake/mllp';
import { generateTestCertificates } from '../../packages/mllp/src/__fixtures__/test-certificates';
import { CLI, REPO_ROOT, runCli } from './helpers';

function oruMessage(controlId: string): string {
  return [
    `MSH|^~\\&|LAB|NORTH|LAKE|CARELAKE|20260102030405||ORU^R01|${controlId}|P|2.5.1`,
    'PID|1||MRN1^^^NORTH^MR||Synthetic^Person||19800101|U',
    'OBR|1|ORD1|FIL1|718-7^Hemoglobin^LN|||20260102030000',
    'OBX|1|NM|718-7^Hemoglobin^LN||13.1|g/dL|12-17|N|||F',
  ].join('\r');
}

/** Resolve with the port once the command prints its listening line. */
function waitForPort(child: ChildProcessWithoutNullStreams): Promise<number> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const match = /listening for MLLP on [\d.]+:(\d+)/.exec(output);
      if (match) resolve(Number(match[1]));
    });
    child.once('exit', (code) => reject(new Error(`carelake mllp listen exited with ${code} before listening`)));
  });
}

describe('carelake mllp listen', () => {
  let work: string;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-mllp-cli-'));
    await symlink(join(REPO_ROOT, 'pipelines', 'datasets'), join(work, 'datasets'));
    await writeFile(
      join(work, 'lab.pipeline.yaml'),
      'name: lab-feed\nsource: { type: mllp, port: 0, flushSeconds: 3600 }\noutputs: [raw.hl7v2_segments, clinical.observations]\n',
    );
  });

  afterEach(async () => {
    child?.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  });

  it('acknowledges messages and ingests them when stopped', async () => {
    const lake = join(work, 'lake');
    child = spawn(process.execPath, [CLI, '--lake', lake, 'mllp', 'listen', join(work, 'lab.pipeline.yaml')], {
      cwd: REPO_ROOT,
      env: { ...process.env, CARELAKE_QUERY_THREADS: '1', CARELAKE_QUERY_MEMORY_LIMIT: '512MB', CARELAKE_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    const port = await waitForPort(child);

    const client = await MllpClient.connect({ port });
    const first = await client.sendMessage(oruMessage('LAB-1'));
    const second = await client.sendMessage(oruMessage('LAB-2'));
    await client.close();
    const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
    child.kill('SIGINT');

    expect(await exited).toBe(0);
    expect(first.applicationAck?.code).toBe('AA');
    expect(second.applicationAck?.acknowledgedControlId).toBe('LAB-2');
    expect(stdout).toContain('2 ingested');
    const counted = runCli(['query', 'SELECT count(*) AS n FROM clinical.observations', '--format', 'csv'], lake);
    expect(counted.stdout.trim().split('\n')).toEqual(['n', '2']);
  });

  it('accepts only TLS clients when the pipeline sets tls', async () => {
    const certificates = generateTestCertificates();
    try {
      await chmod(certificates.serverKey, 0o600);
      await writeFile(
        join(work, 'tls.pipeline.yaml'),
        `name: tls-feed\nsource: { type: mllp, port: 0, flushSeconds: 3600, tls: { cert: ${certificates.serverCert}, key: "file:${certificates.serverKey}" } }\noutputs: [raw.hl7v2_segments, clinical.observations]\n`,
      );
      const lake = join(work, 'lake');
      child = spawn(process.execPath, [CLI, '--lake', lake, 'mllp', 'listen', join(work, 'tls.pipeline.yaml')], {
        cwd: REPO_ROOT,
        env: { ...process.env, CARELAKE_QUERY_THREADS: '1', CARELAKE_QUERY_MEMORY_LIMIT: '512MB', CARELAKE_LOG_LEVEL: 'warn' },
      });
      const port = await waitForPort(child);

      const plain = await MllpClient.connect({ port, responseTimeoutMs: 1500 });
      await expect(plain.sendMessage(oruMessage('PLAIN-1'))).rejects.toThrow();
      await plain.close().catch(() => undefined);
      const client = await MllpClient.connect({ port, tls: { ca: certificates.caCert, servername: 'localhost' } });
      const acknowledged = await client.sendMessage(oruMessage('TLS-1'));
      await client.close();
      const exited = new Promise<number | null>((resolve) => child?.once('exit', (code) => resolve(code)));
      child.kill('SIGINT');

      expect(await exited).toBe(0);
      expect(acknowledged.applicationAck?.acknowledgedControlId).toBe('TLS-1');
      const counted = runCli(['query', 'SELECT count(*) AS n FROM clinical.observations', '--format', 'csv'], lake);
      expect(counted.stdout.trim().split('\n')).toEqual(['n', '1']);
    } finally {
      certificates.remove();
    }
  });
});
