// Real: OpenSSH sshd on 127.0.0.1 serving a temp folder, files written and appended on disk between listings. Faked: the wait between listings, during which the test writes.
import { appendFile, mkdir, rm, symlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { startLoopbackSshd, type LoopbackSshd } from './loopback-sshd';
import { connectSftp, type SftpSource } from './source';
import { sourceOptions, writeRemoteFile } from './__fixtures__/sshd';

const MTIME = 1_767_225_600; // 2026-01-01T00:00:00Z, in whole seconds.

describe('SFTP listing', () => {
  let sshd: LoopbackSshd;
  let source: SftpSource;
  let folder: string;
  let folderIndex = 0;
  let duringWait: () => Promise<void> = async () => undefined;
  const waits: number[] = [];

  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    source = await connectSftp(
      sourceOptions(sshd, {
        sleep: async (ms) => {
          waits.push(ms);
          await duringWait();
        },
      }),
    );
  });

  afterAll(async () => {
    await source?.close();
    await sshd?.stop();
  });

  beforeEach(async () => {
    folderIndex++;
    folder = `case-${folderIndex}`;
    await mkdir(join(sshd.root, folder));
    waits.length = 0;
    duringWait = async () => undefined;
  });

  const remote = (relativePath = ''): string => join(sshd.root, folder, relativePath);
  const write = (relativePath: string, content: string, mtime = MTIME): Promise<string> =>
    writeRemoteFile(sshd, join(folder, relativePath), content, mtime);

  it('reports size, whole-second mtime and paths', async () => {
    await write('adt.hl7', 'MSH|^~\\&|EAST', MTIME + 7);

    const listing = await source.list({ path: remote() });

    expect(listing.entries).toEqual([
      {
        remotePath: remote('adt.hl7'),
        relativePath: 'adt.hl7',
        safeName: 'adt.hl7',
        size: 13,
        mtime: MTIME + 7,
      },
    ]);
  });

  it('takes stable and marked files, leaving a file still growing', async () => {
    await write('complete.hl7', 'MSH|1');
    await write('growing.hl7', 'MSH|2');
    await write('touched.hl7', 'MSH|3');
    await write('marked.hl7', 'MSH|4');
    await write('marked.hl7.done', '');
    duringWait = async () => {
      await appendFile(remote('growing.hl7'), '\rPID|1');
      await utimes(remote('touched.hl7'), MTIME + 1, MTIME + 1);
      await appendFile(remote('marked.hl7'), '\rPID|2');
      await write('late.hl7', 'MSH|5');
    };

    const listing = await source.listStable(
      { path: remote(), patterns: ['*.hl7'] },
      { intervalMs: 1234 },
    );

    expect(waits).toEqual([1234]);
    expect(listing.stable.map((entry) => [entry.relativePath, entry.size])).toEqual([
      ['complete.hl7', 5],
      ['marked.hl7', 11],
    ]);
    expect(listing.stable[1]?.markerPath).toBe(remote('marked.hl7.done'));
    expect(listing.unstable.map((item) => [item.entry.relativePath, item.reason])).toEqual([
      ['growing.hl7', 'size-changed'],
      ['late.hl7', 'new'],
      ['touched.hl7', 'mtime-changed'],
    ]);
  });

  it('skips the wait when every file has a marker', async () => {
    await write('a.csv', 'id\n1\n');
    await write('a.csv.done', '');

    const listing = await source.listStable({ path: remote(), patterns: ['*.csv'] });

    expect(waits).toEqual([]);
    expect(listing.stable.map((entry) => entry.relativePath)).toEqual(['a.csv']);
  });

  it('rejects unsafe names and goes on', async () => {
    await write('..\\..\\etc\\passwd.hl7', 'MSH|1');
    await write('bell\u0007.hl7', 'MSH|2');
    await write('ok.hl7', 'MSH|3');

    const listing = await source.list({ path: remote() });

    expect(listing.entries.map((entry) => entry.relativePath)).toEqual(['ok.hl7']);
    expect(listing.rejected.map((item) => [item.rule, item.escapedPath])).toEqual(
      expect.arrayContaining([
        ['backslash', '..\\u005c..\\u005cetc\\u005cpasswd.hl7'],
        ['control-character', 'bell\\u0007.hl7'],
      ]),
    );
    expect(listing.rejected).toHaveLength(2);
  });

  it('rejects names colliding after NFC and case folding', async () => {
    await write('Cafe\u0301.csv', 'a');
    await write('caf\u00e9.csv', 'b');
    await write('ADT.hl7', 'c');
    await write('adt.hl7', 'd');
    await write('oru.hl7', 'e');

    const listing = await source.list({ path: remote(), patterns: ['*'] });

    expect(listing.entries.map((entry) => entry.relativePath)).toEqual(['oru.hl7']);
    expect(listing.rejected.map((item) => item.rule)).toEqual([
      'collision',
      'collision',
      'collision',
      'collision',
    ]);
  });

  it('gives NFC safe names for decomposed names', async () => {
    await write('Cafe\u0301.csv', 'a');

    const listing = await source.list({ path: remote(), patterns: ['*.csv'] });

    expect(listing.entries[0]?.relativePath).toBe('Cafe\u0301.csv');
    expect(listing.entries[0]?.safeName).toBe('Caf\u00e9.csv');
  });

  it('walks folders with patterns and exclusions', async () => {
    await write('east/2026/adt.hl7', 'a');
    await write('east/tmp/adt.hl7', 'b');
    await write('west/oru.hl7', 'c');
    await write('west/notes.txt', 'd');
    await write('.partial.hl7', 'e');
    await write('top.hl7', 'f');

    const flat = await source.list({ path: remote(), patterns: ['*.hl7'] });
    const deep = await source.list({
      path: remote(),
      patterns: ['*.hl7'],
      recursive: true,
      exclude: ['east/tmp'],
    });

    expect(flat.entries.map((entry) => entry.relativePath)).toEqual(['top.hl7']);
    expect(deep.entries.map((entry) => entry.relativePath)).toEqual([
      'east/2026/adt.hl7',
      'top.hl7',
      'west/oru.hl7',
    ]);
    expect(deep.entries[0]?.remotePath).toBe(remote('east/2026/adt.hl7'));
  });

  it('reports a matching symbolic link', async () => {
    await write('real.hl7', 'a');
    await symlink(remote('real.hl7'), remote('link.hl7'));

    const listing = await source.list({ path: remote() });

    expect(listing.entries.map((entry) => entry.relativePath)).toEqual(['real.hl7']);
    expect(listing.rejected.map((item) => [item.rule, item.escapedPath])).toEqual([
      ['not-regular-file', 'link.hl7'],
    ]);
  });

  it('names the folder that cannot be listed', async () => {
    await rm(remote(), { recursive: true });

    await expect(source.list({ path: remote() })).rejects.toMatchObject({
      name: 'SftpRemoteError',
      remotePath: remote(),
      message: expect.stringContaining(`list of ${remote()} failed on 127.0.0.1:${sshd.port}`),
    });
  });
});
