import type { ObjectStore } from '@carelake/storage';

export interface LandedFile {
  /** Name of the file at its source, relative to the source folder. */
  sourceName: string;
  landingKey: string;
  sha256: string;
  sizeBytes: number;
  /** False when an identical file had already landed: nothing was written. */
  written: boolean;
}

/** Landings in progress in this process, by landing folder. */
const landingsInProgress = new Map<string, Promise<LandedFile>>();

/**
 * Land a file's bytes unchanged under a key derived from its content hash, so
 * that the same content always lands once, whatever it is called. Landings of
 * the same content in one process wait for each other, because the MLLP intake
 * receives a resent message on several connections at once.
 * NOTE: two processes landing the same content at the same moment can both
 * write it; the runner still ingests that content once.
 */
export async function landFile(
  store: ObjectStore,
  pipeline: string,
  sourceName: string,
  sha256: string,
  bytes: Uint8Array,
): Promise<LandedFile> {
  const folder = landingFolderOf(pipeline, sha256);
  const previous = landingsInProgress.get(folder);
  const landing = (previous ?? Promise.resolve())
    .catch(() => undefined)
    .then(() => landOnce(store, folder, sourceName, sha256, bytes));
  landingsInProgress.set(folder, landing);
  try {
    return await landing;
  } finally {
    if (landingsInProgress.get(folder) === landing) landingsInProgress.delete(folder);
  }
}

async function landOnce(
  store: ObjectStore,
  folder: string,
  sourceName: string,
  sha256: string,
  bytes: Uint8Array,
): Promise<LandedFile> {
  const safeName = sourceName.replace(/[^A-Za-z0-9._-]/g, '_');

  // The first name the content landed under stays its only copy.
  // The listed size is the stored one, which an encrypting store makes larger; the content's is known.
  for await (const existing of store.list({ prefix: folder })) {
    return { sourceName, landingKey: existing.key, sha256, sizeBytes: bytes.byteLength, written: false };
  }
  const landingKey = `${folder}${safeName}`;
  const result = await store.put(landingKey, bytes, { tags: { sha256 } });
  return { sourceName, landingKey, sha256, sizeBytes: result.sizeBytes, written: true };
}

/** Return the folder of a pipeline's landed copy of the content with this hash. */
export function landingFolderOf(pipeline: string, sha256: string): string {
  return `landing/${pipeline}/${sha256.slice(0, 2)}/${sha256}/`;
}
