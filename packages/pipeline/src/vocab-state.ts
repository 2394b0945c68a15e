import type { Clock } from '@carelake/core';
import { ObjectExistsError, type ObjectStore } from '@carelake/storage';
import type { ReleaseChangeCounts, ReleaseChangeKind } from '@carelake/vocab';
import { VocabRefreshError } from './vocab-errors';

/**
 * The record of one loaded release, kept in `_state/vocab/<system>/releases/`. It is written once,
 * after the release's rows are committed, so a release with an entry is never loaded again.
 */
export interface LoadedReleaseEntry {
  system: string;
  table: string;
  version: string;
  /** First day the release's codes apply, `YYYY-MM-DD`. */
  effective: string;
  sequence: number;
  releaseHash: string;
  files: Array<{ name: string; sizeBytes: number; sha256: string }>;
  /** When the refresh finished, ISO 8601 in UTC. */
  loadedAt: string;
  principal: string;
  counts: ReleaseChangeCounts;
  rowsAppended: number;
  reportKey: string;
}

/** The change report of one release, in `_state/vocab/reports/<system>/`. */
export interface ChangeReport {
  system: string;
  table: string;
  release: { version: string; effective: string; sequence: number; releaseHash: string };
  /** The release loaded before this one, or null for the first. */
  previous: { version: string; effective: string; sequence: number } | null;
  baseline: boolean;
  counts: ReleaseChangeCounts;
  /** A few codes of each kind of change, sorted; codes are public vocabulary. */
  examples: Record<ReleaseChangeKind, string[]>;
  duplicateRecords: number;
  rowsAppended: number;
  comparedAt: string;
}

const STATE_PREFIX = '_state/vocab';

function sequenceName(sequence: number): string {
  return String(sequence).padStart(6, '0');
}

/** Returns the key of a release's change report, such as `_state/vocab/reports/loinc/000002-2.80.json`. */
export function reportKeyOf(system: string, sequence: number, version: string): string {
  const safeVersion = version.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 100);
  return `${STATE_PREFIX}/reports/${system}/${sequenceName(sequence)}-${safeVersion}.json`;
}

/** The releases loaded into one system's table, oldest first. */
export class VocabReleaseLog {
  constructor(
    private readonly store: ObjectStore,
    readonly system: string,
  ) {}

  private get prefix(): string {
    return `${STATE_PREFIX}/${this.system}/releases/`;
  }

  async list(): Promise<LoadedReleaseEntry[]> {
    const entries: LoadedReleaseEntry[] = [];
    for await (const object of this.store.list({ prefix: this.prefix })) {
      if (!object.key.endsWith('.json')) continue;
      entries.push(JSON.parse(Buffer.from(await this.store.get(object.key)).toString('utf8')) as LoadedReleaseEntry);
    }
    return entries.sort((left, right) => left.sequence - right.sequence);
  }

  /** Records a loaded release. Raises `VocabRefreshError` when another refresh took its sequence number. */
  async record(entry: LoadedReleaseEntry): Promise<void> {
    try {
      await this.store.put(`${this.prefix}${sequenceName(entry.sequence)}.json`, JSON.stringify(entry, null, 1), {
        ifNoneMatch: true,
        contentType: 'application/json',
      });
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
      throw new VocabRefreshError(`release sequence ${entry.sequence} of ${this.system} was recorded by another refresh`, {
        cause: error,
        hint: 'Run `carelake vocab status` to see what is loaded, then refresh again if needed.',
      });
    }
  }
}

export async function writeChangeReport(store: ObjectStore, key: string, report: ChangeReport): Promise<void> {
  await store.put(key, JSON.stringify(report, null, 1), { contentType: 'application/json' });
}

export async function readChangeReport(store: ObjectStore, key: string): Promise<ChangeReport | undefined> {
  if (!(await store.head(key))) return undefined;
  return JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as ChangeReport;
}

/**
 * Runs `work` while holding the system's refresh lock, an object created only if absent, so two
 * refreshes of one system never compare against the same table state. A crashed refresh leaves
 * the lock behind, and the error names the object to delete.
 */
export async function withRefreshLock<T>(
  store: ObjectStore,
  system: string,
  clock: Clock,
  work: () => Promise<T>,
): Promise<T> {
  const key = `${STATE_PREFIX}/${system}/refresh.lock`;
  const holder = { pid: process.pid, startedAt: clock.now().toISOString() };
  try {
    await store.put(key, JSON.stringify(holder), { ifNoneMatch: true, contentType: 'application/json' });
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
    const existing = await readLock(store, key);
    throw new VocabRefreshError(
      `another refresh of ${system} holds the lock${existing ? ` (process ${existing.pid}, started ${existing.startedAt})` : ''}`,
      {
        cause: error,
        hint: `Wait for it to finish. If no refresh is running, one crashed: delete ${key} in the lake, then refresh again.`,
      },
    );
  }
  try {
    return await work();
  } finally {
    await store.delete(key);
  }
}

async function readLock(store: ObjectStore, key: string): Promise<{ pid: number; startedAt: string } | undefined> {
  try {
    return JSON.parse(Buffer.from(await store.get(key)).toString('utf8')) as { pid: number; startedAt: string };
  } catch {
    return undefined;
  }
}
