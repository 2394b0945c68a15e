import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { loadConfig } from '@carelake/core';
import { openLakeKeyProvider } from '@carelake/pipeline';
import { EnvelopeCodec, LocalObjectStore } from '@carelake/storage';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI = join(REPO_ROOT, 'packages', 'cli', 'bin', 'carelake.js');
export const SHARED_TESTDATA = resolve(REPO_ROOT, '..', 'shared', 'testdata');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Run the built `carelake` command with a lake in `lakeRoot` and DuckDB capped for tests. */
export function runCli(args: string[], lakeRoot: string, env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, '--lake', lakeRoot, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    timeout: 170_000,
    env: {
      ...process.env,
      CARELAKE_QUERY_THREADS: '1',
      CARELAKE_QUERY_MEMORY_LIMIT: '512MB',
      CARELAKE_LOG_LEVEL: 'warn',
      ...env,
    },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** SHA-256 of every file under a folder, keyed by relative path, for before/after comparisons. */
export function fingerprintFolder(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out[relative(folder, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  try {
    walk(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return out;
}

/**
 * Read one object of a lake that the CLI wrote, decrypting it with the key file the repository's
 * carelake.yaml names, as the CLI does.
 */
export async function readLakeObject(lakeRoot: string, key: string): Promise<Buffer> {
  const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: lakeRoot } });
  const keys = await openLakeKeyProvider(config);
  const store = new LocalObjectStore({ root: lakeRoot, ...(keys ? { codec: new EnvelopeCodec(keys) } : {}) });
  return Buffer.from(await store.get(key));
}
