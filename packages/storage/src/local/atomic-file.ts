import { randomBytes } from 'node:crypto';
import { link, mkdir, open, rename, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { TEMP_FILE_PREFIX } from '../object-key';

/**
 * Create `folder` and its missing parents with mode 0700. Return the folders
 * that gained an entry, which must be fsynced for the new folders to survive a crash.
 */
export async function makeFolder(folder: string): Promise<string[]> {
  const firstCreated = await mkdir(folder, { recursive: true, mode: 0o700 });
  if (firstCreated === undefined) return [];
  const changed: string[] = [];
  let created = folder;
  for (;;) {
    changed.push(path.dirname(created));
    if (created === firstCreated) return changed;
    created = path.dirname(created);
  }
}

/**
 * Write `chunks` to a new temporary file in `folder`, fsync it, and return its
 * path. The name starts with `TEMP_FILE_PREFIX`, so listings skip it. The file is
 * removed when writing fails, including when `chunks` throws.
 */
export async function writeTempFile(
  folder: string,
  finalName: string,
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<string> {
  // The name part keeps the file recognizable, and the random suffix keeps writers of one key apart.
  const namePart = Array.from(finalName).slice(0, 32).join('');
  const tempPath = path.join(
    folder,
    `${TEMP_FILE_PREFIX}${namePart}.${randomBytes(8).toString('hex')}`,
  );
  const handle = await open(tempPath, 'wx', 0o600);
  try {
    await writeFile(handle, chunks);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await removeFile(tempPath);
    throw error;
  }
  await handle.close();
  return tempPath;
}

/**
 * Move a finished temporary file to `finalPath` in one step, so readers see the
 * old file or the new one. With `exclusive`, a hard link publishes it instead:
 * `link` fails with EEXIST when `finalPath` exists, atomically, where a rename
 * would replace it. The temporary file is gone afterwards in every case.
 */
export async function publishFile(
  tempPath: string,
  finalPath: string,
  exclusive: boolean,
): Promise<void> {
  if (!exclusive) {
    try {
      await rename(tempPath, finalPath);
    } catch (error) {
      await removeFile(tempPath);
      throw error;
    }
    return;
  }
  try {
    await link(tempPath, finalPath);
  } finally {
    await removeFile(tempPath);
  }
}

/** Flush a folder's entries (a rename, a link, a new child folder) to disk. */
export async function syncFolder(folder: string): Promise<void> {
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Remove a file. A file that is already gone, or whose folder is not there, is not an error. */
export async function removeFile(filePath: string): Promise<void> {
  try {
    await unlink(filePath);
  } catch (error) {
    const code = errorCode(error);
    if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error;
  }
}

/** Return the `code` of a Node.js system error, such as 'ENOENT'. */
export function errorCode(error: unknown): string | undefined {
  // Not `instanceof Error`: errors from Node.js built-ins can come from another realm (as under Jest).
  if (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string'
  ) {
    return error.code;
  }
  return undefined;
}
