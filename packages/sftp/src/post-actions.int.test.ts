// Real: OpenSSH sshd on 127.0.0.1 renaming and deleting files in a temp folder. Faked: backoff waits, which are recorded and skipped.
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SftpRemoteError } from './errors';
import type { SftpListing } from './listing';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { connectSftp, type SftpSource } from './source';
import { sourceOptions, writeRemoteFile } from './__fixtures__/sshd';

describe('SFTP post-actions', () => {
  let sshd: LoopbackSshd;
  let source: SftpSource;
  let folder: string;
  let folderIndex = 0;
  const waits: number[] = [];

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    source = await connectSftp(
      sourceOptions(sshd, {
        postActionRetry: { maxAttempts: 2, initialDelayMs: 100 },
        sleep: async (ms) => void waits.push(ms),
      }),
    );
  });

  afterAll(async () => {
    await source?.close();
    await sshd?.stop();
  });

  beforeEach(async () => {
    folderIndex++;
    folder = join(sshd.root, `case-${folderIndex}`);
    await mkdir(folder);
    waits.length = 0;
  });

  const local = (relativePath: string): string => join(folder, relativePath);
  const write = (relativePath: string, content: string): Promise<string> =>
    writeRemoteFile(sshd, join(`case-${folderIndex}`, relativePath), content);

  async function listOne(
    relativePath: string,
    recursive = false,
  ): Promise<SftpListing['entries'][number]> {
    const listing = await source.list({ path: folder, patterns: [relativePath], recursive });
    const entry = listing.entries.find((item) => item.relativePath === relativePath);
    if (!entry) throw new Error(`${relativePath} was not listed`);
    return entry;
  }

  it('archives a file and its marker', async () => {
    await write('adt.hl7', 'MSH|new');
    await write('adt.hl7.done', '');
    const entry = await listOne('adt.hl7');

    const result = await source.applyPostAction(
      entry,
      { kind: 'archive', path: 'archive' },
      folder,
    );

    expect(result).toEqual({
      action: 'archive',
      ok: true,
      attempts: 1,
      archivedPath: local('archive/adt.hl7'),
      archivedMarkerPath: local('archive/adt.hl7.done'),
    });
    expect(existsSync(local('adt.hl7'))).toBe(false);
    expect(existsSync(local('adt.hl7.done'))).toBe(false);
    expect(await readFile(local('archive/adt.hl7'), 'utf8')).toBe('MSH|new');
  });

  it('adds a suffix when the archive holds the name', async () => {
    await write('archive/adt.hl7', 'MSH|first');
    await write('archive/adt-1.hl7', 'MSH|second');
    await write('adt.hl7', 'MSH|third');
    const entry = await listOne('adt.hl7');

    const result = await source.applyPostAction(
      entry,
      { kind: 'archive', path: join(folder, 'archive') },
      folder,
    );

    expect(result.archivedPath).toBe(local('archive/adt-2.hl7'));
    expect(await readFile(local('archive/adt.hl7'), 'utf8')).toBe('MSH|first');
    expect(await readFile(local('archive/adt-1.hl7'), 'utf8')).toBe('MSH|second');
    expect(await readFile(local('archive/adt-2.hl7'), 'utf8')).toBe('MSH|third');
  });

  it('keeps sub-folders in the archive', async () => {
    await write('east/adt.hl7', 'MSH|east');
    const entry = await listOne('east/adt.hl7', true);

    const result = await source.applyPostAction(
      entry,
      { kind: 'archive', path: 'archive' },
      folder,
    );

    expect(result.archivedPath).toBe(local('archive/east/adt.hl7'));
    expect(existsSync(local('archive/east/adt.hl7'))).toBe(true);
  });

  it('deletes a file and its marker', async () => {
    await write('oru.hl7', 'MSH|1');
    await write('oru.hl7.done', '');
    const entry = await listOne('oru.hl7');

    const result = await source.applyPostAction(entry, { kind: 'delete' }, folder);

    expect(result).toEqual({ action: 'delete', ok: true, attempts: 1 });
    expect(existsSync(local('oru.hl7'))).toBe(false);
    expect(existsSync(local('oru.hl7.done'))).toBe(false);
  });

  it('leaves a file in place', async () => {
    await write('oru.hl7', 'MSH|1');
    const entry = await listOne('oru.hl7');

    const result = await source.applyPostAction(entry, { kind: 'leave' }, folder);

    expect(result).toEqual({ action: 'leave', ok: true, attempts: 1 });
    expect(existsSync(local('oru.hl7'))).toBe(true);
  });

  it('reports a failing archive after retrying, without throwing', async () => {
    await write('archive', 'a file where the archive folder should be');
    await write('adt.hl7', 'MSH|1');
    const entry = await listOne('adt.hl7');

    const result = await source.applyPostAction(
      entry,
      { kind: 'archive', path: 'archive' },
      folder,
    );

    expect(result.ok).toBe(false);
    expect(result.attempts).toBe(2);
    expect(result.error).toBeInstanceOf(SftpRemoteError);
    expect(waits).toHaveLength(1);
    expect(existsSync(local('adt.hl7'))).toBe(true);
  });
});
