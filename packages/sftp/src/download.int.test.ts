// Real: OpenSSH sshd on 127.0.0.1, its per-connection processes killed mid-transfer, files changed on disk. Faked: backoff waits, which are recorded and skipped.
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, rm, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import {
  SftpConnectionError,
  SftpFileChangedError,
  SftpRemoteError,
  SftpSinkError,
} from './errors';
import type { SftpFileEntry } from './listing';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { connectSftp, type SftpSource } from './source';
import { readAll, sourceOptions, writeRemoteFile } from './__fixtures__/sshd';

describe('SFTP download', () => {
  let sshd: LoopbackSshd;
  let source: SftpSource;
  const waits: number[] = [];
  let fileIndex = 0;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    source = await connectSftp(
      sourceOptions(sshd, {
        maxConnections: 1,
        retry: { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 1000 },
        sleep: async (ms) => void waits.push(ms),
      }),
    );
  });

  afterAll(async () => {
    await source?.close();
    await sshd?.stop();
  });

  beforeEach(() => {
    waits.length = 0;
  });

  /** Write a file and return its listing entry. */
  async function listed(content: Uint8Array): Promise<SftpFileEntry> {
    fileIndex++;
    const name = `batch-${fileIndex}.ndjson`;
    await writeRemoteFile(sshd, name, content);
    const listing = await source.list({ path: sshd.root, patterns: [name] });
    const entry = listing.entries[0];
    if (!entry) throw new Error(`${name} was not listed`);
    return entry;
  }

  /** Build a sink that reads everything, calls `afterFirstChunk` once per attempt, and records how each attempt ended. */
  function recordingSink(afterFirstChunk: (attempt: number) => Promise<void>) {
    const attempts: Array<{ bytes: number; error?: unknown }> = [];
    const sink = async (body: Readable): Promise<Buffer> => {
      const attempt = { bytes: 0 } as { bytes: number; error?: unknown };
      attempts.push(attempt);
      const chunks: Buffer[] = [];
      try {
        for await (const chunk of body) {
          chunks.push(chunk as Buffer);
          attempt.bytes += (chunk as Buffer).length;
          if (chunks.length === 1) await afterFirstChunk(attempts.length);
        }
      } catch (error) {
        attempt.error = error;
        throw error;
      }
      return Buffer.concat(chunks);
    };
    return { sink, attempts };
  }

  it('downloads again from the start after the connection drops', async () => {
    const content = randomBytes(4 * 1024 * 1024);
    const entry = await listed(content);
    const { sink, attempts } = recordingSink(async (attempt) => {
      if (attempt === 1) expect(await sshd.dropConnections()).toBeGreaterThan(0);
    });

    const result = await source.download(entry, sink);

    expect(result.attempts).toBe(2);
    expect(result.bytes).toBe(content.length);
    expect(result.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(result.sinkResult.equals(content)).toBe(true);
    expect(attempts[0]?.error).toBeInstanceOf(SftpConnectionError);
    expect(attempts[0]?.bytes).toBeLessThan(content.length);
    expect(attempts[1]?.error).toBeUndefined();
    expect(waits).toHaveLength(1);
    expect(waits[0]).toBeGreaterThanOrEqual(100);
    expect(waits[0]).toBeLessThanOrEqual(200);
  });

  it('gives up after maxAttempts dropped connections', async () => {
    const entry = await listed(randomBytes(4 * 1024 * 1024));
    const { sink, attempts } = recordingSink(async () => {
      await sshd.dropConnections();
    });

    const attempt = source.download(entry, sink);

    await expect(attempt).rejects.toBeInstanceOf(SftpConnectionError);
    await expect(attempt).rejects.toMatchObject({ remotePath: entry.remotePath });
    expect(attempts.map((item) => item.error instanceof SftpConnectionError)).toEqual([
      true,
      true,
      true,
    ]);
    expect(waits).toHaveLength(2);
    expect(waits[1]).toBeGreaterThanOrEqual(200);
    expect(waits[1]).toBeLessThanOrEqual(400);
  });

  it.each([
    {
      case: 'grew',
      change: (path: string) => appendFile(path, 'more'),
      message: 'reported 300000 bytes, more than 300000 were read',
    },
    {
      case: 'shrank',
      change: (path: string) => truncate(path, 1000),
      message: 'reported 300000 bytes, only 1000 were read',
    },
  ])('fails a file that $case after listing, without retrying', async ({ change, message }) => {
    const entry = await listed(randomBytes(300_000));
    await change(entry.remotePath);
    const { sink, attempts } = recordingSink(async () => undefined);

    const attempt = source.download(entry, sink);

    await expect(attempt).rejects.toBeInstanceOf(SftpFileChangedError);
    await expect(attempt).rejects.toMatchObject({
      expectedBytes: 300_000,
      message: expect.stringContaining(message),
    });
    expect(attempts).toHaveLength(1);
    expect(attempts[0]?.error).toBeInstanceOf(SftpFileChangedError);
    expect(waits).toEqual([]);
  });

  it('fails a file removed after listing', async () => {
    const entry = await listed(Buffer.from('MSH|1'));
    await rm(entry.remotePath);

    const attempt = source.download(entry, readAll);

    await expect(attempt).rejects.toBeInstanceOf(SftpRemoteError);
    await expect(attempt).rejects.toMatchObject({ code: 2, remotePath: entry.remotePath });
    expect(waits).toEqual([]);
  });

  it('fails a sink that stops reading early', async () => {
    const entry = await listed(randomBytes(200_000));

    const attempt = source.download(entry, async () => 'ignored');

    await expect(attempt).rejects.toBeInstanceOf(SftpSinkError);
  });

  it('passes on a sink error without retrying', async () => {
    const entry = await listed(Buffer.from('MSH|1'));
    const diskFull = new Error('disk full');

    const attempt = source.download(entry, async (body) => {
      await readAll(body);
      throw diskFull;
    });

    await expect(attempt).rejects.toBe(diskFull);
    expect(waits).toEqual([]);
  });

  it('keeps working after the failures above', async () => {
    const content = Buffer.from('MSH|^~\\&|EAST\rPID|1');
    const entry = await listed(content);

    const result = await source.download(entry, readAll);

    expect(result.sinkResult.toString('latin1')).toBe(content.toString('latin1'));
    expect(result.attempts).toBe(1);
    expect(join(sshd.root, `batch-${fileIndex}.ndjson`)).toBe(entry.remotePath);
  });
});
