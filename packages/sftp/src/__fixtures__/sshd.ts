import { readFileSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Readable } from 'node:stream';
import type { LoopbackSshd } from '../loopback-sshd';
import { seededRandom } from '../retry';
import type { SftpSourceOptions } from '../source';

/** Options that reach the loopback server with its user key and pinned host key, with instant backoff. */
export function sourceOptions(
  sshd: LoopbackSshd,
  overrides: Partial<SftpSourceOptions> = {},
): SftpSourceOptions {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: readFileSync(sshd.privateKeyPath),
    hostKey: sshd.hostKeyFingerprint,
    random: seededRandom(7),
    sleep: async () => undefined,
    ...overrides,
  };
}

/** Write a file under the server's root, creating folders, optionally with a given mtime in seconds. */
export async function writeRemoteFile(
  sshd: LoopbackSshd,
  relativePath: string,
  content: string | Uint8Array,
  mtimeSeconds?: number,
): Promise<string> {
  const path = join(sshd.root, relativePath);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  if (mtimeSeconds !== undefined) await utimes(path, mtimeSeconds, mtimeSeconds);
  return path;
}

/** Read a body stream to its end, rejecting when it errors, as a storing sink would. */
export async function readAll(body: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
