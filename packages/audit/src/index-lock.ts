import { randomBytes } from 'node:crypto';
import { readFile, stat, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditError } from './errors';
import { INDEX_LOCK_FILE, isErrnoException } from './layout';

export interface IndexLockOptions {
  /** How long to keep retrying while another process holds the lock. */
  timeoutMs?: number;
  /** A lock file older than this is left over from a crashed process and is removed. */
  staleMs?: number;
}

const DEFAULT_TIMEOUT_MS = 5_000;
const DEFAULT_STALE_MS = 30_000;
const FIRST_RETRY_DELAY_MS = 5;
const MAX_RETRY_DELAY_MS = 200;

/**
 * Run `task` while holding `_audit/index.lock`, which is created exclusively (`wx`),
 * so that processes appending to the index take turns. Holders keep it for one
 * append, a few milliseconds. Ages are measured with the system clock against the
 * file's mtime, not with an injected `Clock`, because the file system stamps mtime.
 */
export async function withIndexLock<T>(
  dir: string,
  task: () => Promise<T>,
  options: IndexLockOptions = {},
): Promise<T> {
  const lockPath = path.join(dir, INDEX_LOCK_FILE);
  const token = `${process.pid}-${randomBytes(8).toString('hex')}`;
  await acquire(lockPath, token, options);
  try {
    return await task();
  } finally {
    await release(lockPath, token);
  }
}

async function acquire(lockPath: string, token: string, options: IndexLockOptions): Promise<void> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const staleMs = options.staleMs ?? DEFAULT_STALE_MS;
  const deadlineMs = Date.now() + timeoutMs;
  let delayMs = FIRST_RETRY_DELAY_MS;

  for (;;) {
    try {
      await writeFile(lockPath, token, { flag: 'wx' });
      return;
    } catch (error) {
      if (!isErrnoException(error) || error.code !== 'EEXIST') throw error;
    }

    if (await removeIfStale(lockPath, staleMs)) continue;
    if (Date.now() >= deadlineMs) {
      throw new AuditError(`timed out after ${timeoutMs} ms waiting for the audit index lock`, {
        position: { file: lockPath },
        hint: `Another carelake process holds it. If none is running, delete ${lockPath}; it is also removed once older than ${staleMs / 1000} s.`,
      });
    }
    // Jitter keeps processes that started together from retrying in step.
    await sleep(delayMs + Math.random() * delayMs);
    delayMs = Math.min(delayMs * 2, MAX_RETRY_DELAY_MS);
  }
}

async function removeIfStale(lockPath: string, staleMs: number): Promise<boolean> {
  try {
    const info = await stat(lockPath);
    if (Date.now() - info.mtimeMs < staleMs) return false;
    // NOTE: two waiters that both judge the same lock stale can race here, and the
    // slower one may remove the lock the faster one has just taken. It needs a holder
    // that crashed inside its few milliseconds of holding, so it is left unsolved.
    await unlink(lockPath);
    return true;
  } catch (error) {
    // The holder released it between our attempt and the stat: retry at once.
    if (isErrnoException(error) && error.code === 'ENOENT') return true;
    throw error;
  }
}

async function release(lockPath: string, token: string): Promise<void> {
  try {
    // A lock taken over as stale now belongs to someone else and must stay.
    if ((await readFile(lockPath, 'utf8')) === token) await unlink(lockPath);
  } catch (error) {
    if (!isErrnoException(error) || error.code !== 'ENOENT') throw error;
  }
}
