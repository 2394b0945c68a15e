import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CarelakeError } from '@carelake/core';

const run = promisify(execFile);

export interface LoopbackSshdOptions {
  /** Extra authorized_keys lines, such as the public half of a passphrase-protected key. */
  authorizedKeys?: readonly string[];
  /** The sshd binary; it must be an absolute path because sshd re-executes itself. Default /usr/sbin/sshd. */
  sshdPath?: string;
  /** How long to wait for sshd to listen. Default 10 000. */
  startTimeoutMs?: number;
}

/** A running OpenSSH server on 127.0.0.1, serving SFTP only. */
export interface LoopbackSshd {
  host: '127.0.0.1';
  port: number;
  username: string;
  /** Unencrypted ed25519 private key accepted for `username`. */
  privateKeyPath: string;
  /** The server's host key fingerprint, as `ssh-keygen -lf` prints it. */
  hostKeyFingerprint: string;
  /** known_hosts line for the server: `[127.0.0.1]:PORT ssh-ed25519 AAAA...`. */
  knownHostsLine: string;
  /** A fresh folder for test files, addressed on the server by this same absolute path. */
  root: string;
  /** Kill the server processes of every open connection, as a network failure would, leaving the listener up. */
  dropConnections: () => Promise<number>;
  /** Stop sshd and its connections and remove the temporary folder. */
  stop: () => Promise<void>;
}

/**
 * Start OpenSSH's sshd on a free loopback port with its own configuration, a fresh host key and
 * a fresh user key, for tests and demos. Only the generated keys log in, only as the current
 * user, and only to the internal SFTP server (no shell, no forwarding).
 *
 * NOTE: it runs sshd as the current user; as root, sshd also needs /run/sshd, which is created.
 * @throws CarelakeError when sshd is not installed or does not start.
 */
export async function startLoopbackSshd(options: LoopbackSshdOptions = {}): Promise<LoopbackSshd> {
  const sshdPath = options.sshdPath ?? '/usr/sbin/sshd';
  if (!existsSync(sshdPath)) {
    throw new CarelakeError(`sshd not found at ${sshdPath}`, {
      hint: 'Install openssh-server: run bash scripts/setup-system.sh in this repository (or apt-get install openssh-server).',
    });
  }

  const folder = await mkdtemp(join(tmpdir(), 'carelake-sshd-'));
  try {
    return await startInFolder(folder, sshdPath, options);
  } catch (error) {
    await rm(folder, { recursive: true, force: true });
    throw error;
  }
}

async function startInFolder(
  folder: string,
  sshdPath: string,
  options: LoopbackSshdOptions,
): Promise<LoopbackSshd> {
  const username = userInfo().username;
  const root = join(folder, 'root');
  await mkdir(root);
  const hostKeyPath = join(folder, 'host_ed25519');
  const privateKeyPath = join(folder, 'user_ed25519');
  await run('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'carelake-test-host',
    '-f',
    hostKeyPath,
  ]);
  await run('ssh-keygen', [
    '-q',
    '-t',
    'ed25519',
    '-N',
    '',
    '-C',
    'carelake-test-user',
    '-f',
    privateKeyPath,
  ]);

  const userPublicKey = (await readFile(`${privateKeyPath}.pub`, 'utf8')).trim();
  const authorizedKeysPath = join(folder, 'authorized_keys');
  await writeFile(
    authorizedKeysPath,
    [userPublicKey, ...(options.authorizedKeys ?? [])].join('\n') + '\n',
    { mode: 0o600 },
  );

  // sshd as root needs its privilege separation folder; a non-root sshd does without.
  await mkdir('/run/sshd', { recursive: true, mode: 0o755 }).catch(() => undefined);

  // Ask ssh-keygen rather than computing the fingerprint here, so a test compares the client's
  // fingerprint code with OpenSSH's own.
  const { stdout } = await run('ssh-keygen', ['-l', '-E', 'sha256', '-f', `${hostKeyPath}.pub`]);
  const hostKeyFingerprint = stdout.split(/\s+/)[1] ?? '';
  const [keyType, keyBase64] = (await readFile(`${hostKeyPath}.pub`, 'utf8')).trim().split(/\s+/);

  let lastError: unknown;
  // A port found free can be taken before sshd binds it, so a failed start is tried again.
  for (let attempt = 1; attempt <= 3; attempt++) {
    const port = await findFreePort();
    const configPath = join(folder, 'sshd_config');
    await writeFile(
      configPath,
      sshdConfig({ folder, port, username, hostKeyPath, authorizedKeysPath }),
    );
    try {
      const child = await launch(sshdPath, configPath, options.startTimeoutMs ?? 10_000);
      return {
        host: '127.0.0.1',
        port,
        username,
        privateKeyPath,
        hostKeyFingerprint,
        knownHostsLine: `[127.0.0.1]:${port} ${keyType} ${keyBase64}`,
        root,
        dropConnections: () => killDescendants(child.pid ?? -1),
        stop: async () => {
          await stopProcess(child);
          await rm(folder, { recursive: true, force: true });
        },
      };
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function sshdConfig(settings: {
  folder: string;
  port: number;
  username: string;
  hostKeyPath: string;
  authorizedKeysPath: string;
}): string {
  return [
    `ListenAddress 127.0.0.1`,
    `Port ${settings.port}`,
    `HostKey "${settings.hostKeyPath}"`,
    `PidFile "${join(settings.folder, 'sshd.pid')}"`,
    `AuthorizedKeysFile "${settings.authorizedKeysPath}"`,
    `AllowUsers ${settings.username}`,
    'UsePAM no',
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'PubkeyAuthentication yes',
    'PermitRootLogin prohibit-password',
    'UseDNS no',
    'AllowTcpForwarding no',
    'AllowAgentForwarding no',
    'X11Forwarding no',
    'PermitTTY no',
    'Subsystem sftp internal-sftp',
    'ForceCommand internal-sftp',
    '',
  ].join('\n');
}

/** Bind port 0 on loopback to learn a free port, then release it for sshd. */
function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Start sshd in the foreground and resolve once it reports that it listens. */
function launch(sshdPath: string, configPath: string, timeoutMs: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(sshdPath, ['-D', '-e', '-f', configPath], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let output = '';
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(
        new CarelakeError(`${message}. sshd output: ${output.trim().slice(-2000) || '(none)'}`),
      );
    };
    const timer = setTimeout(() => fail(`sshd did not listen within ${timeoutMs} ms`), timeoutMs);

    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      // Read all output so that sshd never blocks on a full pipe, but keep only the first 16 KiB.
      if (output.length < 16_384) output += chunk;
      if (!settled && /Server listening on 127\.0\.0\.1 port/.test(output)) {
        settled = true;
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (error) => fail(`cannot run ${sshdPath}: ${error.message}`));
    child.once('exit', (code, signal) => fail(`sshd exited with ${signal ?? `code ${code}`}`));
  });
}

/** Kill every process below `pid` (the per-connection sshd processes); returns how many. */
async function killDescendants(pid: number): Promise<number> {
  const descendants = await findDescendants(pid);
  for (const child of descendants) {
    try {
      process.kill(child, 'SIGKILL');
    } catch {
      // It exited between the scan and the kill.
    }
  }
  return descendants.length;
}

/** Walk /proc for the processes whose parent chain leads to `pid`. */
async function findDescendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // The command name in brackets may contain spaces, so fields are read after its last `)`.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // The process exited during the scan.
    }
  }
  const found: number[] = [];
  const pending = [pid];
  for (let current = pending.pop(); current !== undefined; current = pending.pop()) {
    for (const [child, parent] of parents) {
      if (parent === current) {
        found.push(child);
        pending.push(child);
      }
    }
  }
  return found;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // The listener does not end the connections it forked, so they are killed first.
  await killDescendants(child.pid ?? -1);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2_000);
  await exited;
  clearTimeout(timer);
}
