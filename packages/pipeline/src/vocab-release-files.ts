import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { canonicalJson, sha256Hex } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';
import type { ReleaseFileInput } from '@carelake/vocab';
import { VocabRefreshError } from './vocab-errors';
import { matchesReleaseFiles, type ReleaseLocation, type VocabSource } from './vocab-source';

/** One file of a located release. */
export interface ReleaseFile extends ReleaseFileInput {
  /** Path under the release location, '/'-separated. */
  name: string;
  sizeBytes: number;
  sha256: string;
}

export interface LocatedRelease {
  location: ReleaseLocation;
  files: ReleaseFile[];
  /**
   * SHA-256 of the files' names and hashes. The same files give the same hash wherever they
   * are, so a release is recognized when it is loaded again.
   */
  releaseHash: string;
}

/** Opens the S3 bucket of a release location as an object store, on the aws backend. */
export type OpenS3Location = (location: { bucket: string; prefix: string }) => ObjectStore;

/**
 * Lists the files of a release that match the source's file globs, and hashes each. Raises
 * `VocabRefreshError` when the location cannot be read or no file matches.
 */
export async function locateRelease(
  source: VocabSource,
  location: ReleaseLocation,
  options: { openS3?: OpenS3Location } = {},
): Promise<LocatedRelease> {
  const files =
    location.kind === 'path'
      ? await localReleaseFiles(source, location.path)
      : await s3ReleaseFiles(source, location, options.openS3);
  if (files.length === 0) {
    const where = location.kind === 'path' ? location.path : location.uri;
    throw new VocabRefreshError(
      `no file under ${where} matches the ${source.system} release files (${source.files.join(', ')})`,
      { position: { file: source.file, keyPath: 'files' }, hint: 'Check the release location, or the files globs of the source definition.' },
    );
  }
  files.sort((left, right) => (left.name < right.name ? -1 : 1));
  const releaseHash = sha256Hex(canonicalJson(files.map(({ name, sha256 }) => ({ name, sha256 }))));
  return { location, files, releaseHash };
}

async function localReleaseFiles(source: VocabSource, root: string): Promise<ReleaseFile[]> {
  let names: string[];
  try {
    names = await listFilesUnder(root);
  } catch (error) {
    throw new VocabRefreshError(`the ${source.system} release folder ${root} cannot be read`, {
      cause: error,
      hint: 'Pass the folder of the downloaded release with --release, or set location in the source definition.',
    });
  }

  const files: ReleaseFile[] = [];
  for (const name of names.filter((candidate) => matchesReleaseFiles(source, candidate))) {
    const path = join(root, name);
    const open = (): AsyncIterable<Uint8Array> => createReadStream(path);
    const { sha256, sizeBytes } = await hashBytes(open());
    files.push({ name, sizeBytes, sha256, open });
  }
  return files;
}

/** Returns the paths of the regular files under a folder, relative to it and '/'-separated. */
async function listFilesUnder(root: string): Promise<string[]> {
  if (!(await stat(root)).isDirectory()) throw new Error('not a folder');
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(root.length + 1).split('\\').join('/'));
}

async function s3ReleaseFiles(
  source: VocabSource,
  location: Extract<ReleaseLocation, { kind: 's3' }>,
  openS3: OpenS3Location | undefined,
): Promise<ReleaseFile[]> {
  if (openS3 === undefined) {
    throw new VocabRefreshError(`the ${source.system} release location ${location.uri} is in S3, which this backend cannot read`, {
      hint: 'Run the refresh on the aws backend, or download the release and pass its folder with --release.',
    });
  }
  const store = openS3({ bucket: location.bucket, prefix: location.prefix });
  const files: ReleaseFile[] = [];
  for await (const object of store.list({ prefix: '' })) {
    if (!matchesReleaseFiles(source, object.key)) continue;
    const open = (): AsyncIterable<Uint8Array> => streamObject(store, object.key);
    const { sha256 } = await hashBytes(open());
    files.push({ name: object.key, sizeBytes: object.sizeBytes, sha256, open });
  }
  return files;
}

async function* streamObject(store: ObjectStore, key: string): AsyncGenerator<Uint8Array> {
  yield* await store.getStream(key);
}

async function hashBytes(chunks: AsyncIterable<Uint8Array>): Promise<{ sha256: string; sizeBytes: number }> {
  const hash = createHash('sha256');
  let sizeBytes = 0;
  for await (const chunk of chunks) {
    hash.update(chunk);
    sizeBytes += chunk.length;
  }
  return { sha256: hash.digest('hex'), sizeBytes };
}
