import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadedConfig, Logger } from '@carelake/core';

/** The folder where a running process keeps plaintext working files, and its removal. */
export interface ScratchSession {
  dir: string;
  close(): Promise<void>;
}

const MEMORY_BACKED = '/dev/shm';
const SESSION_PREFIX = 'carelake-session-';

/**
 * Where plaintext working files go: the configured folder, else /dev/shm for
 * an encrypted lake (so decrypted copies never reach a disk), else the system
 * temporary folder. Returns `memoryBacked: false` when an encrypted lake has
 * to fall back to the temporary folder, for the caller to warn about.
 */
export function scratchParentFor(config: LoadedConfig, encrypted: boolean): { dir: string; memoryBacked: boolean } {
  if (config.lake.scratchDir) return { dir: config.lake.scratchDir, memoryBacked: true };
  if (!encrypted) return { dir: tmpdir(), memoryBacked: false };
  if (existsSync(MEMORY_BACKED) && statSync(MEMORY_BACKED).isDirectory()) return { dir: MEMORY_BACKED, memoryBacked: true };
  return { dir: tmpdir(), memoryBacked: false };
}

/**
 * Create this process's private scratch folder (mode 0700) under `parent`,
 * first removing the folders of processes that ended without closing theirs,
 * such as a run that was killed.
 */
export async function openScratchSession(parent: string, logger?: Logger): Promise<ScratchSession> {
  const removed = await removeAbandonedSessions(parent);
  if (removed > 0) logger?.info({ folders: removed, parent }, 'removed scratch folders of ended processes');

  const dir = await mkdtemp(join(parent, `${SESSION_PREFIX}${process.pid}-`));
  return { dir, close: () => rm(dir, { recursive: true, force: true }) };
}

async function removeAbandonedSessions(parent: string): Promise<number> {
  const entries = await readdir(parent).catch(() => [] as string[]);
  let removed = 0;
  for (const name of entries) {
    if (!name.startsWith(SESSION_PREFIX)) continue;
    const pid = Number(name.slice(SESSION_PREFIX.length).split('-')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || isAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true }).catch(() => undefined);
    removed++;
  }
  return removed;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
