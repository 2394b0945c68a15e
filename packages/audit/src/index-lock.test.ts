// Real lock files in a temp folder; no clock is faked, since staleness uses file mtimes.
import { readFile, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AuditError } from './errors';
import { withIndexLock } from './index-lock';
import { makeTempFolder, removeTempFolder } from './__fixtures__/audit-fixtures';

describe('withIndexLock', () => {
  let dir: string;
  let lockPath: string;

  beforeEach(async () => {
    dir = await makeTempFolder();
    lockPath = path.join(dir, 'index.lock');
  });

  afterEach(async () => {
    await removeTempFolder(dir);
  });

  it('holds lock file during task', async () => {
    const holder = await withIndexLock(dir, () => readFile(lockPath, 'utf8'));

    expect(holder).toMatch(new RegExp(`^${process.pid}-[0-9a-f]{16}$`));
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('runs tasks one at a time', async () => {
    const order: string[] = [];
    const task = (name: string) => async () => {
      order.push(`${name} start`);
      await new Promise((resolve) => setTimeout(resolve, 20));
      order.push(`${name} end`);
    };
    await Promise.all([withIndexLock(dir, task('a')), withIndexLock(dir, task('b'))]);

    expect(order).toEqual(['a start', 'a end', 'b start', 'b end']);
  });

  it('times out while a fresh lock is held', async () => {
    await writeFile(lockPath, 'other-process');
    const waiting = withIndexLock(dir, async () => 'ran', { timeoutMs: 150 });

    await expect(waiting).rejects.toBeInstanceOf(AuditError);
    await expect(withIndexLock(dir, async () => 'ran', { timeoutMs: 150 })).rejects.toThrow(
      'timed out after 150 ms waiting for the audit index lock',
    );
    expect(await readFile(lockPath, 'utf8')).toBe('other-process');
  });

  it('takes over a lock older than the stale age', async () => {
    await writeFile(lockPath, 'crashed-process');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, minuteAgo, minuteAgo);

    expect(await withIndexLock(dir, async () => 'ran', { timeoutMs: 150 })).toBe('ran');
    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps a lock taken over by another', async () => {
    await withIndexLock(dir, () => writeFile(lockPath, 'new-holder'));

    expect(await readFile(lockPath, 'utf8')).toBe('new-holder');
  });

  it('releases the lock when the task throws', async () => {
    await expect(
      withIndexLock(dir, async () => Promise.reject(new Error('task failed'))),
    ).rejects.toThrow('task failed');

    await expect(stat(lockPath)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
