import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * Files inside the lake's `_audit/` folder:
 *   segments/<id>.jsonl   one hash chain per writer process
 *   index.jsonl           open and close records of every segment, itself a chain
 *   index.lock            held while appending to the index
 */
export const SEGMENTS_FOLDER = 'segments';
export const SEGMENT_EXTENSION = '.jsonl';
export const INDEX_FILE = 'index.jsonl';
export const INDEX_LOCK_FILE = 'index.lock';

/** Path of a segment relative to the `_audit` folder, as problems report it. */
export function segmentFile(segmentId: string): string {
  return `${SEGMENTS_FOLDER}/${segmentId}${SEGMENT_EXTENSION}`;
}

export function segmentPath(dir: string, segmentId: string): string {
  return path.join(dir, SEGMENTS_FOLDER, segmentId + SEGMENT_EXTENSION);
}

/**
 * Create a segment id, `<start time, compact UTC to the millisecond>-<pid>-<8 hex>`,
 * such as `20260101T093000125Z-4711-9f2c01ab`. Ids sort by start time.
 */
export function createSegmentId(start: Date, pid: number = process.pid): string {
  const compact = start.toISOString().replace(/[-:.]/g, '');
  return `${compact}-${pid}-${randomBytes(4).toString('hex')}`;
}

const SEGMENT_ID_PATTERN = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})Z-\d+-[0-9a-f]+$/;

/** Start time encoded in a segment id, or undefined when the id was not made by `createSegmentId`. */
export function parseSegmentStart(segmentId: string): Date | undefined {
  const match = SEGMENT_ID_PATTERN.exec(segmentId);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, millis] = match;
  const time = new Date(`${year}-${month}-${day}T${hour}:${minute}:${second}.${millis}Z`);
  return Number.isNaN(time.getTime()) ? undefined : time;
}

/** Ids of the segment files present, sorted (so by start time); empty when there are none. */
export async function listSegmentIds(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(path.join(dir, SEGMENTS_FOLDER));
  } catch (error) {
    if (isErrnoException(error) && error.code === 'ENOENT') return [];
    throw error;
  }
  return names
    .filter((name) => name.endsWith(SEGMENT_EXTENSION))
    .map((name) => name.slice(0, -SEGMENT_EXTENSION.length))
    .sort();
}

/**
 * Test whether a thrown value is a Node system error. It checks the shape, not `instanceof Error`,
 * because errors from Node's own modules fail that test inside Jest's sandbox.
 */
export function isErrnoException(error: unknown): error is NodeJS.ErrnoException {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as NodeJS.ErrnoException).code === 'string'
  );
}
