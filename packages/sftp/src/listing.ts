import picomatch from 'picomatch';
import type { SftpConnection } from './connection';
import {
  findUnsafeNameRule,
  rejectCollisions,
  rejectRemoteName,
  toSafeName,
  type RejectedRemoteName,
} from './remote-names';

/** Request for a listing of remote data files. */
export interface SftpListRequest {
  /** Remote folder, absolute or relative to the login folder. */
  path: string;
  /**
   * Globs (picomatch) a file must match, against its path relative to `path`. A glob without
   * `/` matches the file name at any depth. Names starting with `.` match only globs that
   * spell the dot, so hidden upload temporaries are left alone. Default `['*']`.
   */
  patterns?: readonly string[];
  /** Descend into sub-folders. Default false. */
  recursive?: boolean;
  /** Globs of files and folders to leave out; a matching folder is not descended into. */
  exclude?: readonly string[];
  /** Folders to skip, as exact paths relative to `path`, such as an archive folder inside it. */
  skipFolders?: readonly string[];
  /**
   * Suffix of completion markers: `x.hl7.done` marks `x.hl7` as complete. A marker is never
   * listed as a data file. Null turns markers off. Default `.done`.
   */
  completionMarkerSuffix?: string | null;
}

/** A remote data file with a safe local name. */
export interface SftpFileEntry {
  /** Path to address the file on the server, exactly as listed. */
  remotePath: string;
  /** Path relative to the listed folder, `/`-separated, exactly as listed. */
  relativePath: string;
  /** `relativePath` in Unicode NFC, safe to use as a local or lake name. */
  safeName: string;
  /** Size in bytes. */
  size: number;
  /** Modification time in whole seconds since the Unix epoch, as SFTP v3 reports it; 0 when the server reports none. */
  mtime: number;
  /** Remote path of the file's completion marker, when there is one. */
  markerPath?: string;
}

export interface SftpListing {
  /** The listed folder, as requested. */
  path: string;
  /** Data files, sorted by relative path. */
  entries: SftpFileEntry[];
  /** Names left out, each with the rule it broke; the rest of the listing goes on without them. */
  rejected: RejectedRemoteName[];
}

export const DEFAULT_COMPLETION_MARKER_SUFFIX = '.done';

/** Walk the requested folder over one connection and return its data files and rejected names. */
export async function listRemoteFiles(
  connection: SftpConnection,
  request: SftpListRequest,
): Promise<SftpListing> {
  const include = picomatch([...(request.patterns ?? ['*'])], { basename: true });
  const exclude =
    request.exclude && request.exclude.length > 0
      ? picomatch([...request.exclude], { basename: true, dot: true })
      : () => false;
  const skipFolders = new Set(request.skipFolders ?? []);
  const markerSuffix =
    request.completionMarkerSuffix === undefined
      ? DEFAULT_COMPLETION_MARKER_SUFFIX
      : request.completionMarkerSuffix;

  const files: SftpFileEntry[] = [];
  const markers = new Map<string, string>();
  const rejected: RejectedRemoteName[] = [];
  const folders: Array<{ remotePath: string; relativePath: string }> = [
    { remotePath: request.path, relativePath: '' },
  ];

  for (let folder = folders.shift(); folder; folder = folders.shift()) {
    for (const item of await connection.list(folder.remotePath)) {
      if (item.type === 'd' && (item.name === '.' || item.name === '..')) continue;
      const relativePath =
        folder.relativePath === '' ? item.name : `${folder.relativePath}/${item.name}`;
      const remotePath = joinRemote(folder.remotePath, item.name);

      const rule = findUnsafeNameRule(relativePath);
      if (rule) {
        rejected.push(rejectRemoteName(relativePath, rule));
        continue;
      }
      if (exclude(relativePath)) continue;

      if (item.type === 'd') {
        if (request.recursive && !skipFolders.has(relativePath))
          folders.push({ remotePath, relativePath });
        continue;
      }
      if (markerSuffix && item.name.endsWith(markerSuffix)) {
        if (item.type === '-') markers.set(relativePath, remotePath);
        continue;
      }
      if (!include(relativePath)) continue;
      if (item.type !== '-') {
        rejected.push(rejectRemoteName(relativePath, 'not-regular-file'));
        continue;
      }
      files.push({
        remotePath,
        relativePath,
        safeName: toSafeName(relativePath),
        size: item.size,
        mtime: item.mtime,
      });
    }
  }

  if (markerSuffix) {
    for (const file of files) {
      const markerPath = markers.get(file.relativePath + markerSuffix);
      if (markerPath !== undefined) file.markerPath = markerPath;
    }
  }
  const { kept, rejected: collisions } = rejectCollisions(files);
  kept.sort((a, b) => compareStrings(a.relativePath, b.relativePath));
  return { path: request.path, entries: kept, rejected: [...rejected, ...collisions] };
}

/** Join a remote folder and a name with `/`, keeping the folder exactly as given. */
export function joinRemote(folder: string, name: string): string {
  if (folder === '' || folder === '.') return name;
  return folder.endsWith('/') ? `${folder}${name}` : `${folder}/${name}`;
}

/** Compare by UTF-16 code units, so the order does not depend on the locale. */
export function compareStrings(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
