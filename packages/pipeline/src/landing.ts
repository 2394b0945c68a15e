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

/**
 * Land a file's bytes unchanged under a key derived from its content hash, so
 * that the same content always lands once, whatever it is called.
 */
export async function landFile(
  store: ObjectStore,
  pipeline: string,
  sourceName: string,
  sha256: string,
  bytes: Uint8Array,
): Promise<LandedFile> {
  const folder = landingFolderOf(pipeline, sha256);
  const safeName = sourceName.replace(/[^A-Za-z0-9._-]/g, '_');

  // The first name the content landed under stays its only copy.
  for await (const existing of store.list({ prefix: folder })) {
    return { sourceName, landingKey: existing.key, sha256, sizeBytes: existing.sizeBytes, written: false };
  }
  const landingKey = `${folder}${safeName}`;
  const result = await store.put(landingKey, bytes, { tags: { sha256 } });
  return { sourceName, landingKey, sha256, sizeBytes: result.sizeBytes, written: true };
}

/** Folder that holds a pipeline's landed copy of content with this hash. */
export function landingFolderOf(pipeline: string, sha256: string): string {
  return `landing/${pipeline}/${sha256.slice(0, 2)}/${sha256}/`;
}
