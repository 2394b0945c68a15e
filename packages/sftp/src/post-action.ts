import { posix } from 'node:path';
import type { SftpConnection } from './connection';
import { SftpRemoteError } from './errors';
import { joinRemote, type SftpFileEntry } from './listing';

/**
 * Action on a remote file after the caller committed it. `archive` renames it into a folder on
 * the server, resolving a relative folder against the listed folder. `delete` removes it.
 * `leave` keeps it where it is, and the caller's ledger then skips it next time.
 */
export type PostAction = { kind: 'leave' } | { kind: 'delete' } | { kind: 'archive'; path: string };

/** Paths an archive action moved the file and its marker to. */
export interface PostActionOutcome {
  /** Remote path the file was archived to. */
  archivedPath?: string;
  /** Remote path the completion marker was archived to. */
  archivedMarkerPath?: string;
}

/** Suffixes tried before an archive name clash is given up on. */
const MAX_ARCHIVE_SUFFIX = 999;

/** Resolve the archive folder of a listing: absolute as given, relative under the listed folder. */
export function resolveArchiveFolder(listedFolder: string, archivePath: string): string {
  return archivePath.startsWith('/') ? archivePath : joinRemote(listedFolder, archivePath);
}

/** Return the archive folder relative to the listed folder, or undefined when it lies outside. */
export function archiveFolderInside(listedFolder: string, archivePath: string): string | undefined {
  const trim = (path: string): string => posix.normalize(path).replace(/\/+$/, '');
  if (!archivePath.startsWith('/')) {
    const relative = trim(archivePath);
    return relative === '..' || relative.startsWith('../') ? undefined : relative;
  }
  const listed = trim(listedFolder);
  const archive = trim(archivePath);
  return archive.startsWith(`${listed}/`) ? archive.slice(listed.length + 1) : undefined;
}

/**
 * Run a post-action once on one connection, for the file and then its completion marker.
 * Throws when a step fails; the caller retries and reports.
 *
 * NOTE: when a connection drops after the server carried out a rename or delete but before its
 * reply arrived, the retry finds the file gone and reports a failure although the action
 * happened. The failure is only reported, so nothing is ingested twice.
 */
export async function runPostActionOnce(
  connection: SftpConnection,
  entry: SftpFileEntry,
  action: PostAction,
  listedFolder: string,
): Promise<PostActionOutcome> {
  if (action.kind === 'leave') return {};
  if (action.kind === 'delete') {
    await connection.delete(entry.remotePath);
    if (entry.markerPath !== undefined)
      await connection.delete(entry.markerPath, { missingIsDeleted: true });
    return {};
  }

  const folder = resolveArchiveFolder(listedFolder, action.path);
  const relativeFolder = posix.dirname(entry.relativePath);
  const targetFolder = relativeFolder === '.' ? folder : joinRemote(folder, relativeFolder);
  await ensureFolder(connection, targetFolder);

  const outcome: PostActionOutcome = {};
  outcome.archivedPath = await archiveOnce(connection, entry.remotePath, targetFolder);
  if (entry.markerPath !== undefined) {
    outcome.archivedMarkerPath = await archiveOnce(connection, entry.markerPath, targetFolder);
  }
  return outcome;
}

/**
 * Move a file into the archive folder without overwriting: when its name is taken, try
 * `name-1.ext`, `name-2.ext` and so on.
 */
async function archiveOnce(
  connection: SftpConnection,
  remotePath: string,
  targetFolder: string,
): Promise<string> {
  const name = posix.basename(remotePath);
  for (let suffix = 0; suffix <= MAX_ARCHIVE_SUFFIX; suffix++) {
    const candidate = joinRemote(targetFolder, suffix === 0 ? name : withSuffix(name, suffix));
    if (await connection.exists(candidate)) continue;
    try {
      await connection.rename(remotePath, candidate);
      return candidate;
    } catch (error) {
      // Another client may have taken the name between the check and the rename. A rename that
      // failed for any other reason would fail the same way on the next name, so it is thrown.
      if (connection.lost || !(await connection.exists(candidate))) throw error;
    }
  }
  throw new SftpRemoteError(
    `cannot archive ${remotePath}: ${targetFolder} already contains ${name} and ${MAX_ARCHIVE_SUFFIX} numbered copies`,
    { ...connection.target, remotePath },
    undefined,
    { hint: 'Clear out the archive folder on the server.' },
  );
}

/** Put `-N` before the last extension: `batch.hl7` becomes `batch-1.hl7`, `README` becomes `README-1`. */
export function withSuffix(name: string, suffix: number): string {
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return `${name}-${suffix}`;
  return `${name.slice(0, dot)}-${suffix}${name.slice(dot)}`;
}

async function ensureFolder(connection: SftpConnection, folder: string): Promise<void> {
  const kind = await connection.exists(folder);
  if (kind === 'd') return;
  try {
    await connection.mkdir(folder);
  } catch (error) {
    // Parallel archives into one new folder race to create it; the loser finds it made.
    if (connection.lost || (await connection.exists(folder)) !== 'd') throw error;
  }
}
