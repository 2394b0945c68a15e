import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

import type { MaterializedObject } from './object-store';

/**
 * Write `chunks` to a new file readable by the current user only (mode 0600,
 * in a new folder of mode 0700 under `parentFolder`) and return it with a
 * `release` that removes the folder. The file keeps `fileName`, so engines that
 * pick a reader by extension (DuckDB and `.parquet`) still do.
 */
export async function writePrivateCopy(
  chunks: AsyncIterable<Uint8Array>,
  fileName: string,
  parentFolder: string,
): Promise<MaterializedObject> {
  // mkdtemp creates the folder with mode 0700.
  const folder = await mkdtemp(path.join(parentFolder, 'carelake-object-'));
  const release = () => rm(folder, { recursive: true, force: true });
  const filePath = path.join(folder, fileName);
  try {
    const handle = await open(filePath, 'wx', 0o600);
    try {
      await writeFile(handle, chunks);
    } finally {
      await handle.close();
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { path: filePath, release };
}
