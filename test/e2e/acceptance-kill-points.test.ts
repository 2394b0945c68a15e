// Real: the acceptance pipeline set in child processes (sshd on loopback, MLLP, the lake's local
// stream, DuckDB, SQLite, Parquet), each killed with SIGKILL at a named fault point and then run
// again to the end. Faked: the clock, fixed; the kill is the process's own SIGKILL at the hook.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLoopbackSshd, type LoopbackSshd } from '@carelake/sftp';
import {
  bundleAcceptanceChild,
  childEnvironment,
  digestTables,
  HL7V2_SAMPLES,
  openAcceptanceLake,
  writeNdjsonFromBundles,
  type AcceptanceFaultPoint,
  type AcceptanceInputs,
  type TableDigest,
} from './acceptance-fixtures';
import type { AcceptanceChildSettings } from './acceptance-child';
import { REPO_ROOT } from './helpers';

interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

describe('acceptance set killed at a fault point', () => {
  let sshd: LoopbackSshd;
  let work: string;
  let script: string;
  let inputs: AcceptanceInputs;
  let sftpKey: string;
  let uninterrupted: Record<string, TableDigest>;

  const runChild = (settings: AcceptanceChildSettings): Promise<ChildExit> =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [script], { cwd: REPO_ROOT, env: childEnvironment(settings, sftpKey) });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
    });

  const digestLake = async (root: string): Promise<Record<string, TableDigest>> => {
    const lake = await openAcceptanceLake(root);
    try {
      return await digestTables(lake);
    } finally {
      await lake.close();
    }
  };

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    work = await mkdtemp(join(tmpdir(), 'carelake-acceptance-kill-'));
    const outbound = join(sshd.root, 'hl7v2');
    await cp(HL7V2_SAMPLES, outbound, { recursive: true });
    await writeNdjsonFromBundles(join(work, 'ndjson'));
    script = await bundleAcceptanceChild(work);
    sftpKey = readFileSync(sshd.privateKeyPath, 'utf8');
    inputs = {
      sftp: { port: sshd.port, username: sshd.username, hostKeyFingerprint: sshd.hostKeyFingerprint, path: outbound },
      ndjsonFolder: join(work, 'ndjson'),
    };

    const reference = await runChild({ ...inputs, lakeRoot: join(work, 'uninterrupted') });
    if (reference.code !== 0) throw new Error(`the uninterrupted run exited with ${reference.code}: ${reference.stderr}`);
    uninterrupted = await digestLake(join(work, 'uninterrupted'));
  });

  afterAll(async () => {
    await sshd?.stop();
    await rm(work, { recursive: true, force: true });
  });

  it.each<{ case: string; point: AcceptanceFaultPoint; occurrence: number }>([
    // The third HL7 v2 file is in the landing zone and not decoded.
    { case: 'after landing', point: 'after-landing', occurrence: 3 },
    // The tenth table commit of the run: its Parquet files are written and its commit is not.
    { case: 'between data files and commit', point: 'after-data-files', occurrence: 10 },
    // The HL7 v2 files' rows are committed and the files are not in the ingest ledger yet.
    { case: 'after commit before the checkpoint', point: 'before-ledger', occurrence: 1 },
  ])('ends like an uninterrupted run when killed $case', async ({ point, occurrence }) => {
    const lakeRoot = join(work, `${point}-${occurrence}`);

    const killed = await runChild({ ...inputs, lakeRoot, kill: { point, occurrence } });
    const restarted = await runChild({ ...inputs, lakeRoot });

    expect(killed.signal).toBe('SIGKILL');
    expect(restarted.code).toBe(0);
    expect(await digestLake(lakeRoot)).toEqual(uninterrupted);
  });
});
