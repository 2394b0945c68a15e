import { stat } from 'node:fs/promises';
import path from 'node:path';
import { withIndexLock, type IndexLockOptions } from './index-lock';
import { INDEX_FILE, isErrnoException, listSegmentIds } from './layout';

/** The segment files and the length of the index at one moment. */
export interface AuditSnapshot {
  segmentIds: string[];
  /** Bytes of `index.jsonl` then; later appends are left for the next verify. */
  indexSizeBytes: number;
}

/** Error codes meaning the folder cannot take a lock file, as on a read-only copy of a lake. */
const READ_ONLY_CODES = new Set(['EACCES', 'EPERM', 'EROFS']);

/**
 * List the segments and measure the index under the index lock. Writers create
 * a segment and its open record under the same lock, so the two agree. Without
 * the lock, a segment opening at that moment would be reported as unlisted.
 */
export async function takeSnapshot(
  dir: string,
  lock: IndexLockOptions = {},
): Promise<AuditSnapshot> {
  try {
    return await withIndexLock(dir, () => readSnapshot(dir), lock);
  } catch (error) {
    if (isErrnoException(error) && error.code !== undefined && READ_ONLY_CODES.has(error.code)) {
      // Without write access there is no lock to take. A segment that opens at this
      // very moment may then be reported as unlisted.
      return readSnapshot(dir);
    }
    throw error;
  }
}

async function readSnapshot(dir: string): Promise<AuditSnapshot> {
  const segmentIds = await listSegmentIds(dir);
  let indexSizeBytes = 0;
  try {
    indexSizeBytes = (await stat(path.join(dir, INDEX_FILE))).size;
  } catch (error) {
    if (!isErrnoException(error) || error.code !== 'ENOENT') throw error;
  }
  return { segmentIds, indexSizeBytes };
}
