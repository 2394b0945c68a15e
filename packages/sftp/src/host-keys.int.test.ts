// Real: OpenSSH sshd on 127.0.0.1, ssh-keygen, ssh-agent and ssh2 connections with key, passphrase and agent logins. Faked: nothing.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SftpAuthenticationError, SftpConnectionError, SftpHostKeyError } from './errors';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { connectSftp, type SftpSource, type SftpSourceOptions } from './source';
import { sourceOptions, writeRemoteFile } from './__fixtures__/sshd';
import { ED25519_FINGERPRINT, RSA_PUBLIC } from './__fixtures__/keys';

const run = promisify(execFile);

describe('SFTP host keys and logins', () => {
  let sshd: LoopbackSshd;
  let folder: string;
  let agent: ChildProcess | undefined;
  const sources: SftpSource[] = [];

  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-sftp-keys-'));
    await run('ssh-keygen', [
      '-q',
      '-t',
      'ed25519',
      '-N',
      'correct horse',
      '-C',
      'encrypted',
      '-f',
      join(folder, 'encrypted'),
    ]);
    const encryptedPublic = (await readFile(join(folder, 'encrypted.pub'), 'utf8')).trim();
    sshd = await startLoopbackSshd({ authorizedKeys: [encryptedPublic] });
    await writeRemoteFile(sshd, 'adt.hl7', 'MSH|^~\\&|');
  });

  afterAll(async () => {
    for (const source of sources) await source.close();
    agent?.kill('SIGTERM');
    await sshd?.stop();
    await rm(folder, { recursive: true, force: true });
  });

  async function listWith(overrides: Partial<SftpSourceOptions>): Promise<string[]> {
    const source = await connectSftp(sourceOptions(sshd, overrides));
    sources.push(source);
    const listing = await source.list({ path: sshd.root });
    return listing.entries.map((entry) => entry.relativePath);
  }

  async function knownHostsFile(name: string, lines: string[]): Promise<string> {
    const file = join(folder, name);
    await writeFile(file, lines.join('\n') + '\n');
    return file;
  }

  it('accepts the pinned fingerprint', async () => {
    await expect(listWith({})).resolves.toEqual(['adt.hl7']);
  });

  it('accepts a plain known_hosts line', async () => {
    const file = await knownHostsFile('plain', [
      '# partner',
      `example.org ssh-rsa ${RSA_PUBLIC}`,
      sshd.knownHostsLine,
    ]);

    await expect(listWith({ hostKey: undefined, knownHostsFile: file })).resolves.toEqual([
      'adt.hl7',
    ]);
  });

  it('accepts a line hashed by ssh-keygen -H', async () => {
    const file = await knownHostsFile('hashed', [sshd.knownHostsLine]);
    await run('ssh-keygen', ['-H', '-f', file]);
    const hashed = await readFile(file, 'utf8');
    expect(hashed).toMatch(/^\|1\|/);
    expect(hashed).not.toContain('127.0.0.1');

    await expect(listWith({ hostKey: undefined, knownHostsFile: file })).resolves.toEqual([
      'adt.hl7',
    ]);
  });

  it('rejects a changed pinned key, showing the key seen', async () => {
    const attempt = listWith({ hostKey: ED25519_FINGERPRINT });

    await expect(attempt).rejects.toBeInstanceOf(SftpHostKeyError);
    await expect(attempt).rejects.toMatchObject({
      reason: 'changed',
      fingerprint: sshd.hostKeyFingerprint,
      message: expect.stringContaining(
        `the server presented ssh-ed25519 ${sshd.hostKeyFingerprint}`,
      ),
      hint: expect.stringContaining(`hostKey: "${sshd.hostKeyFingerprint}"`),
    });
  });

  it('rejects a key that differs from known_hosts', async () => {
    const [, keyType] = sshd.knownHostsLine.split(' ');
    const file = await knownHostsFile('changed', [
      `[127.0.0.1]:${sshd.port} ssh-rsa ${RSA_PUBLIC}`,
    ]);

    await expect(listWith({ hostKey: undefined, knownHostsFile: file })).rejects.toMatchObject({
      reason: 'changed',
      keyType,
      message: expect.stringContaining(sshd.hostKeyFingerprint),
    });
  });

  it('rejects an unknown host with the keyscan route', async () => {
    const file = await knownHostsFile('unknown', [`example.org ssh-rsa ${RSA_PUBLIC}`]);

    await expect(listWith({ hostKey: undefined, knownHostsFile: file })).rejects.toMatchObject({
      reason: 'unknown',
      message: expect.stringContaining(sshd.hostKeyFingerprint),
      hint: expect.stringContaining(`ssh-keyscan -p ${sshd.port} -t ed25519 127.0.0.1 >> ${file}`),
    });
  });

  it('logs in with a passphrase-protected key', async () => {
    const privateKey = await readFile(join(folder, 'encrypted'));

    await expect(listWith({ privateKey, passphrase: 'correct horse' })).resolves.toEqual([
      'adt.hl7',
    ]);
  });

  it('rejects an encrypted key without passphrase', async () => {
    const privateKey = await readFile(join(folder, 'encrypted'));

    const attempt = listWith({ privateKey });

    await expect(attempt).rejects.toBeInstanceOf(SftpAuthenticationError);
    await expect(attempt).rejects.toMatchObject({ hint: expect.stringContaining('passphrase') });
  });

  it('rejects a key the server does not know', async () => {
    await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(folder, 'stranger')]);
    const privateKey = await readFile(join(folder, 'stranger'));

    await expect(listWith({ privateKey })).rejects.toBeInstanceOf(SftpAuthenticationError);
  });

  it('logs in through ssh-agent', async () => {
    const socket = join(folder, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let waited = 0; !existsSync(socket) && waited < 5000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await run('ssh-add', ['-q', sshd.privateKeyPath], {
      env: { ...process.env, SSH_AUTH_SOCK: socket },
    });

    await expect(listWith({ privateKey: undefined, agent: socket })).resolves.toEqual(['adt.hl7']);
  });

  it('reports a refused connection', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as AddressInfo;
        server.close(() => resolve(port));
      });
    });

    const attempt = listWith({ port: closedPort });

    await expect(attempt).rejects.toBeInstanceOf(SftpConnectionError);
    await expect(attempt).rejects.toMatchObject({
      message: expect.stringContaining(`cannot connect to 127.0.0.1:${closedPort}`),
    });
  });
});
