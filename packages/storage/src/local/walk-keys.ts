import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

import { TAGS_FOLDER_NAME, TEMP_FILE_PREFIX } from '../object-key';
import { errorCode } from './atomic-file';

interface FolderChild {
  key: string;
  isFolder: boolean;
  /** UTF-8 of the key, with a trailing '/' for folders, so that folders sort where their keys do. */
  sortBytes: Buffer;
}

/**
 * Yield the keys of the object files under `root` that start with `prefix`, in
 * UTF-8 byte order, which is the order S3 lists in. Reads one folder at a time,
 * so memory grows with the widest folder, not with the store. Skips temporary
 * files, the tags folder, and entries that are neither files nor folders.
 */
export async function* walkKeys(root: string, prefix: string): AsyncGenerator<string> {
  const lastSlash = prefix.lastIndexOf('/');
  yield* walkFolder(root, lastSlash === -1 ? '' : prefix.slice(0, lastSlash), prefix);
}

async function* walkFolder(
  root: string,
  folderKey: string,
  prefix: string,
): AsyncGenerator<string> {
  let entries: Dirent[];
  try {
    entries = await readdir(path.join(root, ...folderKey.split('/')), { withFileTypes: true });
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw error;
  }

  const children = entries
    .filter((entry) => isObjectEntry(entry, folderKey))
    .map((entry): FolderChild => {
      const key = folderKey === '' ? entry.name : `${folderKey}/${entry.name}`;
      const isFolder = entry.isDirectory();
      return { key, isFolder, sortBytes: Buffer.from(isFolder ? `${key}/` : key, 'utf8') };
    })
    // Sorting folders as 'a/' puts 'a-b' before 'a/x' and 'a/x' before 'a0', as in a flat key list.
    .sort((left, right) => Buffer.compare(left.sortBytes, right.sortBytes));

  for (const child of children) {
    if (!child.isFolder) {
      if (child.key.startsWith(prefix)) yield child.key;
      continue;
    }
    const folderPrefix = `${child.key}/`;
    if (folderPrefix.startsWith(prefix) || prefix.startsWith(folderPrefix)) {
      yield* walkFolder(root, child.key, prefix);
    }
  }
}

function isObjectEntry(entry: Dirent, folderKey: string): boolean {
  if (entry.name.startsWith(TEMP_FILE_PREFIX)) return false;
  if (folderKey === '' && entry.name === TAGS_FOLDER_NAME) return false;
  return entry.isFile() || entry.isDirectory();
}
