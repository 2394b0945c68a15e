import { posix } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConfigError, describeError, type ConfigIssue } from '@carelake/core';
import { checkInteger } from './connect-options';
import type { SftpSink } from './download';
import { compareStrings, type SftpFileEntry, type SftpListRequest } from './listing';
import { archiveFolderInside, type PostAction } from './post-action';
import type { RejectedRemoteName } from './remote-names';
import type { DownloadResult, PostActionResult, SftpSource, StableListOptions } from './source';
import type { UnstableFile } from './stability';

export interface FetchAllOptions<T> {
  listing: SftpListRequest;
  /** Interval between the two listings and whether a completion marker is required. */
  stability?: StableListOptions;
  /**
   * Files downloaded at the same time. Default 4. Downloads beyond the source's
   * `maxConnections` wait for a free connection.
   */
  concurrency?: number;
  /** Return false to skip a file, such as one the caller's ledger already stores by remote path, size and mtime. */
  shouldDownload?: (entry: SftpFileEntry) => boolean | Promise<boolean>;
  sink: SftpSink<T>;
  /** Make a downloaded file durable; the post-action runs only after this resolves. */
  commit: (entry: SftpFileEntry, result: DownloadResult<T>) => void | Promise<void>;
  /** Default `leave`. */
  postAction?: PostAction;
  onProgress?: (progress: FetchProgress) => void;
}

/** Running counts of a fetch. `kind` names the event that triggered the report. */
export interface FetchProgress {
  kind: 'listed' | 'bytes' | 'file-done';
  /** Files downloaded and committed, or failed. */
  filesDone: number;
  filesFailed: number;
  /** Files chosen for download: stable, and accepted by `shouldDownload`. */
  filesTotal: number;
  /** Bytes received in download attempts that succeeded, including files whose commit then failed. */
  bytesDone: number;
  /** Listed size of the files chosen for download. */
  bytesTotal: number;
  /** The file the event is about, for `bytes` and `file-done`. */
  remotePath?: string;
}

export interface DownloadedFile {
  entry: SftpFileEntry;
  sha256: string;
  bytes: number;
  attempts: number;
  postAction: PostActionResult;
}

export interface FailedFile {
  entry: SftpFileEntry;
  /** `filter`: shouldDownload threw; `download`: every attempt failed; `commit`: the commit hook threw. */
  stage: 'filter' | 'download' | 'commit';
  attempts: number;
  error: unknown;
  /** The error in words, without file contents. */
  reason: string;
}

export interface PostActionFailure {
  entry: SftpFileEntry;
  result: PostActionResult;
  reason: string;
}

/** Outcome of one run. Each data file of the second listing is in exactly one of downloaded, skipped, unstable and failed. */
export interface FetchSummary {
  host: string;
  port: number;
  path: string;
  downloaded: DownloadedFile[];
  /** Stable files `shouldDownload` turned down. */
  skipped: SftpFileEntry[];
  /** Files still being written, left for a later run. */
  unstable: UnstableFile[];
  rejected: RejectedRemoteName[];
  failed: FailedFile[];
  /** Downloaded files whose post-action failed; they stay committed. */
  postActionFailures: PostActionFailure[];
  /** Bytes of the downloaded files. */
  bytes: number;
  durationMs: number;
}

export const DEFAULT_FETCH_CONCURRENCY = 4;

/**
 * List, pick stable files, filter them through `shouldDownload`, then download, commit and
 * post-process each with bounded concurrency. A file that fails is reported and the others go
 * on; only a failed listing (such as a rejected host key) throws.
 * @throws ConfigError when `concurrency` is invalid.
 */
export async function fetchAll<T>(
  source: SftpSource,
  options: FetchAllOptions<T>,
): Promise<FetchSummary> {
  const concurrency = options.concurrency ?? DEFAULT_FETCH_CONCURRENCY;
  const issues: ConfigIssue[] = [];
  checkInteger(issues, 'concurrency', concurrency, 1, 256);
  const postAction = options.postAction ?? { kind: 'leave' };
  checkPostAction(issues, postAction);
  if (issues.length > 0)
    throw new ConfigError(`invalid fetchAll options: ${issues.length} problem(s)`, issues);

  const started = performance.now();
  const listing = await source.listStable(
    withArchiveSkipped(options.listing, postAction),
    options.stability,
  );

  const summary: FetchSummary = {
    host: source.host,
    port: source.port,
    path: options.listing.path,
    downloaded: [],
    skipped: [],
    unstable: listing.unstable,
    rejected: listing.rejected,
    failed: [],
    postActionFailures: [],
    bytes: 0,
    durationMs: 0,
  };

  const chosen: SftpFileEntry[] = [];
  for (const entry of listing.stable) {
    try {
      if (await (options.shouldDownload?.(entry) ?? true)) chosen.push(entry);
      else summary.skipped.push(entry);
    } catch (error) {
      summary.failed.push({
        entry,
        stage: 'filter',
        attempts: 0,
        error,
        reason: describeError(error),
      });
    }
  }

  const progress: FetchProgress = {
    kind: 'listed',
    filesDone: 0,
    filesFailed: 0,
    filesTotal: chosen.length,
    bytesDone: 0,
    bytesTotal: chosen.reduce((total, entry) => total + entry.size, 0),
  };
  const report = (kind: FetchProgress['kind'], remotePath?: string): void => {
    if (!options.onProgress) return;
    const event: FetchProgress = { ...progress, kind };
    if (remotePath !== undefined) event.remotePath = remotePath;
    options.onProgress(event);
  };
  report('listed');

  /** Download, commit and post-process one file; returns false when it failed. */
  const fetchOne = async (entry: SftpFileEntry): Promise<boolean> => {
    const outcome = await source.tryDownload(entry, options.sink, (byteCount) => {
      progress.bytesDone += byteCount;
      report('bytes', entry.remotePath);
    });
    if (!outcome.ok) {
      summary.failed.push({
        entry,
        stage: 'download',
        attempts: outcome.attempts,
        error: outcome.error,
        reason: describeError(outcome.error),
      });
      return false;
    }
    const result: DownloadResult<T> = { ...outcome.value, attempts: outcome.attempts };
    try {
      await options.commit(entry, result);
    } catch (error) {
      summary.failed.push({
        entry,
        stage: 'commit',
        attempts: outcome.attempts,
        error,
        reason: describeError(error),
      });
      return false;
    }

    const postActionResult = await source.applyPostAction(entry, postAction, options.listing.path);
    if (!postActionResult.ok) {
      summary.postActionFailures.push({
        entry,
        result: postActionResult,
        reason: describeError(postActionResult.error),
      });
    }
    summary.downloaded.push({
      entry,
      sha256: result.sha256,
      bytes: result.bytes,
      attempts: result.attempts,
      postAction: postActionResult,
    });
    summary.bytes += result.bytes;
    return true;
  };

  const queue = [...chosen];
  const worker = async (): Promise<void> => {
    for (let entry = queue.shift(); entry; entry = queue.shift()) {
      if (!(await fetchOne(entry))) progress.filesFailed++;
      progress.filesDone++;
      report('file-done', entry.remotePath);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));

  const byPath = (a: { entry: SftpFileEntry }, b: { entry: SftpFileEntry }): number =>
    compareStrings(a.entry.relativePath, b.entry.relativePath);
  summary.downloaded.sort(byPath);
  summary.failed.sort(byPath);
  summary.postActionFailures.sort(byPath);
  summary.durationMs = Math.round(performance.now() - started);
  return summary;
}

function checkPostAction(issues: ConfigIssue[], postAction: PostAction): void {
  if (!['leave', 'delete', 'archive'].includes(postAction.kind)) {
    issues.push({
      keyPath: 'postAction.kind',
      message: `must be leave, delete or archive, got ${String(postAction.kind)}`,
    });
    return;
  }
  if (postAction.kind !== 'archive') return;
  const path = typeof postAction.path === 'string' ? posix.normalize(postAction.path) : '';
  if (path === '' || path === '.' || path === './') {
    issues.push({
      keyPath: 'postAction.path',
      message:
        'must name an archive folder other than the listed folder, such as archive or /outbound/archive',
    });
  }
}

/** Skip the archive folder when it lies inside the listed folder, so archived files are not listed again. */
function withArchiveSkipped(request: SftpListRequest, postAction: PostAction): SftpListRequest {
  if (postAction.kind !== 'archive') return request;
  const relative = archiveFolderInside(request.path, postAction.path);
  if (relative === undefined) return request;
  return { ...request, skipFolders: [...(request.skipFolders ?? []), relative] };
}
