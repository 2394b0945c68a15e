import { ObjectExistsError, type ObjectStore } from '@carelake/storage';
import { tableStatePrefix } from '@carelake/core';
import { CommitConflictError, CorruptCommitError } from './errors';
import { commitFileName, parseCommitFileName, type TableSnapshot } from './snapshot';

/** The `_commits/` prefix of a table: one JSON snapshot per version. */
export function commitPrefix(database: string, table: string): string {
  return `${tableStatePrefix(database, table)}_commits/`;
}

/** Read the latest committed snapshot, or undefined for a table never committed. */
export async function readLatestSnapshot(
  store: ObjectStore,
  database: string,
  table: string,
): Promise<TableSnapshot | undefined> {
  const prefix = commitPrefix(database, table);
  let latestKey: string | undefined;
  let latestVersion = -1;

  for await (const object of store.list({ prefix })) {
    const version = parseCommitFileName(object.key.slice(prefix.length));
    if (version !== undefined && version > latestVersion) {
      latestVersion = version;
      latestKey = object.key;
    }
  }
  if (latestKey === undefined) return undefined;
  return readSnapshot(store, latestKey, latestVersion);
}

async function readSnapshot(store: ObjectStore, key: string, version: number): Promise<TableSnapshot> {
  // A read error (a missing key, a wrong key) is the store's to report; only bad JSON is corruption.
  const bytes = await store.get(key);
  let snapshot: TableSnapshot;
  try {
    snapshot = JSON.parse(Buffer.from(bytes).toString('utf8')) as TableSnapshot;
  } catch (error) {
    throw new CorruptCommitError(`commit file ${key} is not valid JSON`, {
      cause: error,
      position: { file: key },
      hint: 'Restore it from a backup; commit files are never rewritten by carelake.',
    });
  }
  if (snapshot.version !== version || snapshot.formatVersion !== 1) {
    throw new CorruptCommitError(`commit file ${key} records version ${snapshot.version}, expected ${version}`, {
      position: { file: key },
    });
  }
  return snapshot;
}

export interface CommitAttempt {
  /** The snapshot the attempt started from, undefined for a new table. */
  base: TableSnapshot | undefined;
  attempt: number;
}

/**
 * Run `build` against the latest snapshot and publish its result as the next
 * version with an exclusive create. When another writer wins the race, start
 * again from the new latest snapshot, up to `maxAttempts` times.
 * `build` may return undefined to commit nothing (for example, every row was a duplicate).
 */
export async function commitWithRetry(
  store: ObjectStore,
  database: string,
  table: string,
  build: (attempt: CommitAttempt) => Promise<TableSnapshot | undefined>,
  maxAttempts = 10,
): Promise<TableSnapshot | undefined> {
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const base = await readLatestSnapshot(store, database, table);
    const next = await build({ base, attempt });
    if (!next) return undefined;

    const key = `${commitPrefix(database, table)}${commitFileName(next.version)}`;
    try {
      await store.put(key, JSON.stringify(next, null, 1), { ifNoneMatch: true, contentType: 'application/json' });
      return next;
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
    }
  }
  throw new CommitConflictError(`commit to ${database}.${table} lost the race ${maxAttempts} times`, {
    hint: 'Another writer is committing to this table continuously; retry when it has finished.',
  });
}
