// Real: option checks and a known_hosts file read from a temp folder. Faked: nothing; no connection is opened.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@carelake/core';
import {
  loadHostKeyPolicy,
  resolveConnectOptions,
  type SftpConnectOptions,
} from './connect-options';
import { connectSftp } from './source';
import { ED25519_FINGERPRINT, ED25519_PUBLIC } from './__fixtures__/keys';

const valid: SftpConnectOptions = {
  host: 'sftp.example.org',
  username: 'carelake',
  password: 'secret',
  hostKey: ED25519_FINGERPRINT,
};

function issuesOf(action: () => unknown): Array<{ keyPath: string; message: string }> {
  try {
    action();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.issues];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('resolveConnectOptions', () => {
  it('fills in defaults', () => {
    const resolved = resolveConnectOptions(valid);

    expect(resolved.port).toBe(22);
    expect(resolved.hostKey).toEqual([ED25519_FINGERPRINT]);
    expect(resolved.readyTimeoutMs).toBe(20_000);
  });

  it('reports every problem at once', () => {
    const issues = issuesOf(() =>
      resolveConnectOptions({ host: '', username: '', port: 70000 } as SftpConnectOptions),
    );

    expect(issues.map((issue) => issue.keyPath)).toEqual([
      'host',
      'port',
      'username',
      'privateKey',
      'hostKey',
    ]);
  });

  it.each([
    {
      case: 'md5 fingerprint',
      options: { hostKey: 'MD5:9d:2c:1f' },
      keyPath: 'hostKey',
      message: 'SHA256 fingerprint',
    },
    {
      case: 'second of two pins',
      options: { hostKey: [ED25519_FINGERPRINT, 'SHA256:short'] },
      keyPath: 'hostKey[1]',
      message: 'SHA256:short',
    },
    {
      case: 'pin and file',
      options: { knownHostsFile: '/etc/known_hosts' },
      keyPath: 'hostKey',
      message: 'not both',
    },
    {
      case: 'no host key',
      options: { hostKey: undefined },
      keyPath: 'hostKey',
      message: 'cannot be verified',
    },
    {
      case: 'passphrase alone',
      options: { password: undefined, agent: '/run/agent.sock', passphrase: 'x' },
      keyPath: 'passphrase',
      message: 'privateKey is not',
    },
    {
      case: 'key path as object',
      options: { privateKey: { path: '/id' } },
      keyPath: 'privateKey',
      message: 'private key text',
    },
  ])('rejects $case', ({ options, keyPath, message }) => {
    const issues = issuesOf(() =>
      resolveConnectOptions({ ...valid, ...options } as SftpConnectOptions),
    );

    expect(issues).toEqual([{ keyPath, message: expect.stringContaining(message) }]);
  });

  it('never shows a secret in an issue', () => {
    const issues = issuesOf(() =>
      resolveConnectOptions({ ...valid, password: 'hunter2-secret', port: 0 }),
    );

    expect(JSON.stringify(issues)).not.toContain('hunter2-secret');
  });
});

describe('loadHostKeyPolicy', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-sftp-options-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('reads a known_hosts file', async () => {
    const file = join(folder, 'known_hosts');
    await writeFile(file, `sftp.example.org ssh-ed25519 ${ED25519_PUBLIC}\n`);

    const policy = await loadHostKeyPolicy(
      resolveConnectOptions({ ...valid, hostKey: undefined, knownHostsFile: file }),
    );

    expect(policy.kind).toBe('known-hosts');
    if (policy.kind !== 'known-hosts') return;
    expect(policy.knownHosts.entries).toHaveLength(1);
  });

  it('names a missing known_hosts file', async () => {
    const file = join(folder, 'missing');
    const resolved = resolveConnectOptions({ ...valid, hostKey: undefined, knownHostsFile: file });

    await expect(loadHostKeyPolicy(resolved)).rejects.toMatchObject({
      issues: [{ keyPath: 'knownHostsFile', message: expect.stringContaining('ENOENT') }],
    });
  });
});

describe('connectSftp options', () => {
  it('reports source and connection problems together', async () => {
    const attempt = connectSftp({
      ...valid,
      port: -1,
      maxConnections: 0,
      retry: { maxAttempts: 0 },
    });

    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toMatchObject({
      issues: [
        { keyPath: 'port' },
        { keyPath: 'maxConnections' },
        { keyPath: 'retry.maxAttempts' },
      ],
    });
  });
});
