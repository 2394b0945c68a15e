import type { SftpFileEntry, SftpListing } from './listing';

/** Reason a file is not taken yet. */
export type InstabilityReason = 'new' | 'size-changed' | 'mtime-changed' | 'waiting-for-marker';

export interface UnstableFile {
  entry: SftpFileEntry;
  reason: InstabilityReason;
}

export interface StabilityOptions {
  /** Take only files that have a completion marker. Default false. */
  requireMarker?: boolean;
}

/**
 * Split the second of two listings, taken some time apart, into files that are safe to take and
 * files still changing. A file is stable when it has a completion marker, or when its size and
 * mtime are the same in both listings. mtime is compared in whole seconds because SFTP v3
 * reports no finer time.
 *
 * NOTE: a writer that pauses for longer than the interval between the listings, without
 * changing size or mtime, looks finished. Partners that write slowly should use markers.
 */
export function selectStableFiles(
  first: SftpListing,
  second: SftpListing,
  options: StabilityOptions = {},
): { stable: SftpFileEntry[]; unstable: UnstableFile[] } {
  const earlier = new Map(first.entries.map((entry) => [entry.remotePath, entry]));
  const stable: SftpFileEntry[] = [];
  const unstable: UnstableFile[] = [];

  for (const entry of second.entries) {
    const reason = instabilityOf(entry, earlier.get(entry.remotePath), options);
    if (reason) unstable.push({ entry, reason });
    else stable.push(entry);
  }
  return { stable, unstable };
}

function instabilityOf(
  entry: SftpFileEntry,
  earlier: SftpFileEntry | undefined,
  options: StabilityOptions,
): InstabilityReason | undefined {
  if (entry.markerPath !== undefined) return undefined;
  if (options.requireMarker) return 'waiting-for-marker';
  if (!earlier) return 'new';
  if (earlier.size !== entry.size) return 'size-changed';
  if (earlier.mtime !== entry.mtime) return 'mtime-changed';
  return undefined;
}
