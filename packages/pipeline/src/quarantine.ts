import { formatPosition, type ErrorPosition } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';

/** One input part that failed to decode, map or validate. */
export interface QuarantineItem {
  /** Landing key of the file it came from. */
  landingKey: string;
  fileSha256: string;
  position: ErrorPosition;
  /** Stage that rejected it: decode, map or validate. */
  stage: 'decode' | 'map' | 'validate';
  reason: string;
  /** The rejected text (a message, a line), when the decoder can isolate it; the file stays in landing/. */
  content?: string;
}

/**
 * Write a quarantine item under a key derived from its file and position, so
 * the same problem found twice is stored once.
 */
export async function quarantine(store: ObjectStore, pipeline: string, item: QuarantineItem): Promise<string> {
  const where = formatPosition({ ...item.position, file: undefined }).replace(/[^A-Za-z0-9]+/g, '-') || 'file';
  const key = `quarantine/${pipeline}/${item.fileSha256}/${item.stage}-${where}.json`;
  const body = JSON.stringify({ ...item, where: formatPosition(item.position) }, null, 1);
  await store.put(key, body, { contentType: 'application/json' });
  return key;
}
