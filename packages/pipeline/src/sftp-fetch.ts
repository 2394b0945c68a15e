import { randomUUID } from 'node:crypto';
import { posix, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { resolveSecret, sha256Hex, type Logger } from '@carelake/core';
import {
  connectSftp,
  fetchAll,
  type FetchProgress,
  type FetchSummary,
  type PostAction,
  type SftpFileEntry,
  type SftpSource,
  type SftpSourceOptions,
} from '@carelake/sftp';
import type { ObjectStore } from '@carelake/storage';
import { landingFolderOf } from './landing';
import type { Lake } from './lake';
import { IngestLedger } from './ledger';
import type { LoadedPipeline, SftpSourceDefinition } from './pipeline-file';

/** Counts of the SFTP step of a run, where each listed file counts once. */
export interface SftpFetchSummary {
  host: string;
  port: number;
  downloaded: number;
  /** Downloaded files whose content an earlier run already ingested, under another name or path. */
  knownContent: number;
  /** Files the fetch ledger already contains with the same path, size and modification time. */
  skipped: number;
  /** Files still being written, left for the next run. */
  unstable: number;
  /** Remote names that break a naming rule, left on the server. */
  rejected: number;
  failed: number;
  postActionFailures: number;
  bytes: number;
}

/** The fetch ledger's record of one remote file, under `_state/sftp/<pipeline>/`. */
interface FetchRecord {
  remotePath: string;
  size: number;
  mtime: number;
  sha256: string;
  landingKey: string;
  /** True once the post-action succeeded, or when it is `leave`. */
  postActionDone: boolean;
}

export interface SftpFetchOptions {
  logger: Logger;
  onProgress?: (progress: FetchProgress) => void;
  /** Changes how the SFTP source connects and retries, for tests: sleep, randomness, timeouts. */
  connectOverrides?: Partial<SftpSourceOptions>;
}

/**
 * Downloads the stable files of an SFTP source into `landing/`, before the run decodes what
 * landed. A file is streamed to a private key under `_state/`, hashed on the way, and copied to
 * its content's landing folder only when complete, so nothing partial reaches `landing/`. The
 * fetch ledger records remote path, size, modification time and hash, so a re-run or a restarted
 * run downloads nothing twice. Content that arrives again under a new name is recorded as a new
 * name of the content already ingested. The post-action runs once the file has landed, and the
 * next run retries a failed one without a second download.
 */
export async function fetchSftpFiles(lake: Lake, pipeline: LoadedPipeline, options: SftpFetchOptions): Promise<SftpFetchSummary> {
  const source = pipeline.source as SftpSourceDefinition;
  const ledger = new FetchLedger(lake.store, pipeline.name);
  const ingestLedger = new IngestLedger(lake.store, pipeline.name);
  const incoming = `_state/sftp/${pipeline.name}/incoming/`;
  await removeLeftovers(lake.store, incoming);

  const sftp = await connectSftp({ ...connectOptionsOf(source, pipeline.baseDir), logger: options.logger, ...options.connectOverrides });
  try {
    const postAction = postActionOf(source);
    const pendingActions: SftpFileEntry[] = [];
    let knownContent = 0;
    const summary = await fetchAll(sftp, {
      listing: {
        path: source.path,
        patterns: source.patterns,
        recursive: source.recursive,
        exclude: source.exclude,
        completionMarkerSuffix: source.completionMarker,
      },
      stability: { intervalMs: source.stableSeconds * 1000, requireMarker: source.requireMarker },
      concurrency: source.concurrency,
      postAction,
      shouldDownload: async (entry) => {
        const known = await ledger.get(entry.remotePath);
        if (!known || known.size !== entry.size || known.mtime !== entry.mtime) return true;
        if (!known.postActionDone) pendingActions.push(entry);
        return false;
      },
      sink: (body, entry) => lake.store.put(`${incoming}${randomUUID()}`, body as Readable, { tags: { remote: entry.safeName } }),
      commit: async (entry, result) => {
        const landingKey = await landDownload(lake.store, pipeline.name, entry, result.sinkResult.key, result.sha256);
        const ingested = await ingestLedger.get(result.sha256);
        if (ingested) {
          knownContent++;
          await ingestLedger.addSourceName(ingested, entry.safeName);
        }
        await ledger.put({ remotePath: entry.remotePath, size: entry.size, mtime: entry.mtime, sha256: result.sha256, landingKey, postActionDone: postAction.kind === 'leave' });
      },
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });

    await recordPostActions(ledger, summary);
    const retried = await retryPostActions(sftp, ledger, pendingActions, postAction, source.path);
    const fetched = { ...summarize(sftp, summary, retried), knownContent };
    options.logger.info({ ...fetched }, 'sftp fetch finished');
    for (const failure of summary.failed) {
      options.logger.warn({ remote: failure.entry.safeName, stage: failure.stage, attempts: failure.attempts, reason: failure.reason }, 'sftp file failed');
    }
    return fetched;
  } finally {
    await sftp.close();
  }
}

function connectOptionsOf(source: SftpSourceDefinition, baseDir: string): SftpSourceOptions {
  const secret = (reference: string | undefined): string | undefined =>
    reference === undefined ? undefined : resolveSecret(reference, { baseDir }).toString('utf8');
  const options: SftpSourceOptions = { host: source.host, port: source.port, username: source.username };
  const privateKey = secret(source.privateKey);
  const passphrase = secret(source.passphrase);
  const password = secret(source.password);
  const agent = source.agentFrom === undefined ? undefined : process.env[source.agentFrom];
  if (privateKey !== undefined) options.privateKey = privateKey;
  if (passphrase !== undefined) options.passphrase = passphrase;
  if (password !== undefined) options.password = password;
  if (agent !== undefined) options.agent = agent;
  if (source.hostKey !== undefined) options.hostKey = source.hostKey;
  if (source.knownHosts !== undefined) options.knownHostsFile = resolve(baseDir, source.knownHosts);
  options.retry = { maxAttempts: source.maxAttempts };
  return options;
}

function postActionOf(source: SftpSourceDefinition): PostAction {
  if (source.postAction === 'leave' || source.postAction === 'delete') return { kind: source.postAction };
  return { kind: 'archive', path: source.postAction.archive };
}

/**
 * Moves a complete download from its private key into the landing folder of its content. When the
 * same content already landed, under any name, that copy stays the only one.
 */
async function landDownload(store: ObjectStore, pipeline: string, entry: SftpFileEntry, incomingKey: string, sha256: string): Promise<string> {
  const folder = landingFolderOf(pipeline, sha256);
  let landingKey: string | undefined;
  for await (const existing of store.list({ prefix: folder })) {
    landingKey = existing.key;
    break;
  }
  if (landingKey === undefined) {
    landingKey = `${folder}${posix.basename(entry.safeName).replace(/[^A-Za-z0-9._-]/g, '_')}`;
    await store.copy(incomingKey, landingKey);
  }
  await store.delete(incomingKey);
  return landingKey;
}

/** Deletes downloads a killed run left behind; none of them reached `landing/`. */
async function removeLeftovers(store: ObjectStore, incoming: string): Promise<void> {
  for await (const object of store.list({ prefix: incoming })) await store.delete(object.key);
}

async function recordPostActions(ledger: FetchLedger, summary: FetchSummary): Promise<void> {
  for (const file of summary.downloaded) {
    if (file.postAction.action === 'leave' || !file.postAction.ok) continue;
    await ledger.markPostActionDone(file.entry.remotePath);
  }
}

/** Runs the post-action of files that landed in an earlier run whose post-action failed. */
async function retryPostActions(
  sftp: SftpSource,
  ledger: FetchLedger,
  entries: readonly SftpFileEntry[],
  action: PostAction,
  listedFolder: string,
): Promise<{ done: number; failed: number }> {
  const outcome = { done: 0, failed: 0 };
  for (const entry of entries) {
    const result = await sftp.applyPostAction(entry, action, listedFolder);
    if (!result.ok) {
      outcome.failed++;
      continue;
    }
    await ledger.markPostActionDone(entry.remotePath);
    outcome.done++;
  }
  return outcome;
}

function summarize(sftp: SftpSource, summary: FetchSummary, retried: { done: number; failed: number }): SftpFetchSummary {
  return {
    host: sftp.host,
    port: sftp.port,
    downloaded: summary.downloaded.length,
    knownContent: 0,
    skipped: summary.skipped.length,
    unstable: summary.unstable.length,
    rejected: summary.rejected.length,
    failed: summary.failed.length,
    postActionFailures: summary.postActionFailures.length + retried.failed,
    bytes: summary.bytes,
  };
}

/** The fetch ledger: one JSON object per remote path, named by the path's hash. */
class FetchLedger {
  constructor(
    private readonly store: ObjectStore,
    private readonly pipeline: string,
  ) {}

  private keyOf(remotePath: string): string {
    return `_state/sftp/${this.pipeline}/files/${sha256Hex(remotePath)}.json`;
  }

  async get(remotePath: string): Promise<FetchRecord | undefined> {
    const key = this.keyOf(remotePath);
    if (!(await this.store.head(key))) return undefined;
    return JSON.parse(Buffer.from(await this.store.get(key)).toString('utf8')) as FetchRecord;
  }

  async put(record: FetchRecord): Promise<void> {
    await this.store.put(this.keyOf(record.remotePath), JSON.stringify(record, null, 1));
  }

  async markPostActionDone(remotePath: string): Promise<void> {
    const record = await this.get(remotePath);
    if (record && !record.postActionDone) await this.put({ ...record, postActionDone: true });
  }
}

