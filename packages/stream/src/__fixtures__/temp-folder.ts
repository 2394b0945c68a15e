import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export function makeTempFolder(label: string): Promise<string> {
  return mkdtemp(path.join(os.tmpdir(), `carelake-stream-${label}-`));
}

export async function removeTempFolder(folder: string | undefined): Promise<void> {
  if (folder) await rm(folder, { recursive: true, force: true });
}
