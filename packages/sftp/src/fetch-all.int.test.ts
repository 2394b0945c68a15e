// Real: OpenSSH sshd on 127.0.0.1 serving a temp folder, four SFTP connections, files changed on disk during a run. Faked: the wait between listings, during which the test writes; the sink and ledger are in memory.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { SftpFileChangedError, SftpRemoteError } from './errors';
import { fetchAll, type FetchProgress } from './fetch-all';
import type { SftpFileEntry } from './listing';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { connectSftp, type SftpSource } from './source';
import { readAll, sourceOptions, writeRemoteFile } from './__fixtures__/sshd';

const sha256 = (data: string): string => createHash('sha256').update(data).digest('hex');
const ledgerKey = (entry: SftpFileEntry): string =>
  `${entry.remotePath}|${entry.size}|${entry.mtime}`;

describe('fetchAll', () => {
  let sshd: LoopbackSshd;
  let source: SftpSource;
  let duringWait: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    source = await connectSftp(
      sourceOptions(sshd, {
        maxConnections: 4,
        postActionRetry: { maxAttempts: 1 },
        sleep: async () => duringWait(),
      }),
    );
  });

  afterAll(async () => {
    await source?.close();
    await sshd?.stop();
  });

  beforeEach(() => {
    duringWait = async () => undefined;
  });

  it('fetches and then skips 1,000 files', async () => {
    const folder = join(sshd.root, 'bulk');
    const contents = new Map<string, string>();
    for (let index = 0; index < 1000; index++) {
      const name = `adt-${String(index).padStart(4, '0')}.hl7`;
      const content = `MSH|^~\\&|EAST|${index}\rPID|${index}`;
      contents.set(name, content);
      await writeRemoteFile(sshd, join('bulk', name), content);
    }
    const ledger = new Set<string>();
    const stored = new Map<string, string>();
    let running = 0;
    let maxRunning = 0;
    const events: FetchProgress[] = [];
    const options = {
      listing: { path: folder, patterns: ['*.hl7'] },
      concurrency: 4,
      shouldDownload: (entry: SftpFileEntry) => !ledger.has(ledgerKey(entry)),
      sink: async (body: Readable, entry: SftpFileEntry) => {
        running++;
        maxRunning = Math.max(maxRunning, running);
        try {
          stored.set(entry.safeName, (await readAll(body)).toString('latin1'));
        } finally {
          running--;
        }
      },
      commit: (entry: SftpFileEntry) => void ledger.add(ledgerKey(entry)),
      onProgress: (event: FetchProgress) => events.push(event),
    };

    const first = await fetchAll(source, options);
    const second = await fetchAll(source, options);

    expect(first.downloaded).toHaveLength(1000);
    expect(first.failed).toEqual([]);
    expect(first.bytes).toBe(
      [...contents.values()].reduce((total, content) => total + content.length, 0),
    );
    expect(first.downloaded[999]?.sha256).toBe(sha256(contents.get('adt-0999.hl7') ?? ''));
    expect(stored).toEqual(contents);
    expect(maxRunning).toBeLessThanOrEqual(4);
    expect(maxRunning).toBeGreaterThan(1);
    expect(events[0]).toMatchObject({ kind: 'listed', filesTotal: 1000, bytesTotal: first.bytes });
    expect(events.filter((event) => event.kind === 'file-done')).toHaveLength(1000);
    expect(second.downloaded).toEqual([]);
    expect(second.skipped).toHaveLength(1000);
  });

  it('reports every outcome of a mixed run', async () => {
    const folder = join(sshd.root, 'mixed');
    await mkdir(folder);
    const write = (name: string, content: string): Promise<string> =>
      writeRemoteFile(sshd, join('mixed', name), content);
    await write('good.hl7', 'MSH|good');
    await write('growing.hl7', 'MSH|growing');
    await write('changing.hl7', 'MSH|changing');
    await write('uncommitted.hl7', 'MSH|uncommitted');
    await write('vanishing.hl7', 'MSH|vanishing');
    await write('bell\u0007.hl7', 'MSH|bell');
    duringWait = () => appendFile(join(folder, 'growing.hl7'), '\rPID|1');
    const committed: string[] = [];
    const events: FetchProgress[] = [];

    const summary = await fetchAll(source, {
      onProgress: (event) => events.push(event),
      listing: { path: folder, patterns: ['*.hl7'] },
      postAction: { kind: 'delete' },
      shouldDownload: async (entry) => {
        // The partner rewrites this file after the listing, before its download starts.
        if (entry.relativePath === 'changing.hl7') await appendFile(entry.remotePath, '\rPID|2');
        return true;
      },
      sink: readAll,
      commit: async (entry) => {
        if (entry.relativePath === 'uncommitted.hl7') throw new Error('ledger unavailable');
        // Someone else removes this file once it is committed, so the delete fails.
        if (entry.relativePath === 'vanishing.hl7') await rm(entry.remotePath);
        committed.push(entry.relativePath);
      },
    });

    expect(summary.downloaded.map((file) => file.entry.relativePath)).toEqual([
      'good.hl7',
      'vanishing.hl7',
    ]);
    expect(summary.downloaded[0]?.sha256).toBe(sha256('MSH|good'));
    expect(summary.downloaded[0]?.postAction).toEqual({ action: 'delete', ok: true, attempts: 1 });
    expect(summary.unstable.map((item) => [item.entry.relativePath, item.reason])).toEqual([
      ['growing.hl7', 'size-changed'],
    ]);
    expect(summary.rejected.map((item) => [item.rule, item.escapedPath])).toEqual([
      ['control-character', 'bell\\u0007.hl7'],
    ]);
    expect(summary.failed.map((item) => [item.entry.relativePath, item.stage])).toEqual([
      ['changing.hl7', 'download'],
      ['uncommitted.hl7', 'commit'],
    ]);
    expect(summary.failed[0]?.error).toBeInstanceOf(SftpFileChangedError);
    expect(summary.failed[1]?.reason).toBe('Error: ledger unavailable');
    expect(summary.postActionFailures.map((item) => item.entry.relativePath)).toEqual([
      'vanishing.hl7',
    ]);
    expect(summary.postActionFailures[0]?.result.error).toBeInstanceOf(SftpRemoteError);
    expect(summary.bytes).toBe('MSH|good'.length + 'MSH|vanishing'.length);
    expect(events.at(-1)).toMatchObject({
      kind: 'file-done',
      filesDone: 4,
      filesFailed: 2,
      filesTotal: 4,
    });
    // A file whose commit failed was still transferred, so its bytes count as done.
    expect(events.at(-1)?.bytesDone).toBe(summary.bytes + 'MSH|uncommitted'.length);
    expect(committed).toEqual(expect.arrayContaining(['good.hl7', 'vanishing.hl7']));
    expect(existsSync(join(folder, 'good.hl7'))).toBe(false);
    expect(existsSync(join(folder, 'uncommitted.hl7'))).toBe(true);
    expect(existsSync(join(folder, 'changing.hl7'))).toBe(true);
  });

  it('does not list the archive folder inside the listed folder again', async () => {
    await writeRemoteFile(sshd, 'nested/east/adt.hl7', 'MSH|east');
    const options = {
      listing: { path: join(sshd.root, 'nested'), patterns: ['*.hl7'], recursive: true },
      postAction: { kind: 'archive' as const, path: 'archive' },
      sink: readAll,
      commit: () => undefined,
    };

    const first = await fetchAll(source, options);
    const second = await fetchAll(source, options);

    expect(first.downloaded[0]?.postAction.archivedPath).toBe(
      join(sshd.root, 'nested/archive/east/adt.hl7'),
    );
    expect(second.downloaded).toEqual([]);
    expect(second.unstable).toEqual([]);
  });

  it('rejects an archive folder equal to the listed folder', async () => {
    await expect(
      fetchAll(source, {
        listing: { path: sshd.root },
        postAction: { kind: 'archive', path: '.' },
        sink: readAll,
        commit: () => undefined,
      }),
    ).rejects.toMatchObject({ issues: [{ keyPath: 'postAction.path' }] });
  });
});
