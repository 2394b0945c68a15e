// Real: the loopback sshd harness starting and stopping OpenSSH's sshd, and OpenSSH's sftp client logging in to it. Faked: nothing.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { CarelakeError } from '@carelake/core';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';

const run = promisify(execFile);

describe('startLoopbackSshd', () => {
  let sshd: LoopbackSshd | undefined;

  afterEach(async () => {
    await sshd?.stop();
    sshd = undefined;
  });

  it('serves SFTP to OpenSSH with the reported host key', async () => {
    sshd = await startLoopbackSshd();
    await writeFile(join(sshd.root, 'adt.hl7'), 'MSH|1');
    const knownHosts = join(dirname(sshd.root), 'client_known_hosts');
    await writeFile(knownHosts, `${sshd.knownHostsLine}\n`);

    const batch = join(dirname(sshd.root), 'batch');
    await writeFile(batch, `ls ${sshd.root}\n`);

    const { stdout } = await run(
      'sftp',
      [
        '-b',
        batch,
        '-i',
        sshd.privateKeyPath,
        '-P',
        String(sshd.port),
        '-o',
        `UserKnownHostsFile=${knownHosts}`,
        '-o',
        'StrictHostKeyChecking=yes',
        `${sshd.username}@127.0.0.1`,
      ],
      { timeout: 10_000 },
    );

    expect(stdout).toContain(join(sshd.root, 'adt.hl7'));
    expect(sshd.host).toBe('127.0.0.1');
    expect(sshd.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(sshd.knownHostsLine).toMatch(
      new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ssh-ed25519 AAAA`),
    );
  });

  it('removes its folder on stop', async () => {
    const started = await startLoopbackSshd();
    const folder = dirname(started.root);

    await started.stop();

    expect(existsSync(folder)).toBe(false);
    await expect(started.dropConnections()).resolves.toBe(0);
  });

  it('says how to install a missing sshd', async () => {
    const attempt = startLoopbackSshd({ sshdPath: '/nonexistent/sshd' });

    await expect(attempt).rejects.toBeInstanceOf(CarelakeError);
    await expect(attempt).rejects.toMatchObject({
      hint: expect.stringContaining('bash scripts/setup-system.sh'),
    });
  });
});
