import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { TEMP_FILE_PREFIX } from '../object-key';

export async function makeTempFolder(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `carelake-storage-${label}-`));
}

export async function removeTempFolder(folder: string): Promise<void> {
  await rm(folder, { recursive: true, force: true });
}

/** List every temporary file left under `folder`, as paths relative to it. */
export async function findTempFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true });
  return entries.filter((entry) => path.basename(entry).startsWith(TEMP_FILE_PREFIX));
}
