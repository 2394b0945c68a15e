import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, open, readFile, stat, unlink, type FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';

import { canonicalJson } from '@carelake/core';

import { readAll, toByteChunks } from '../body';
import { identityCodec, type ObjectCodec } from '../codec';
import {
  ObjectExistsError,
  ObjectNotFoundError,
  StorageError,
  quoteKey,
  type StorageOperation,
} from '../errors';
import { TAGS_FOLDER_NAME, validateKeyPrefix, validateObjectKey } from '../object-key';
import type {
  ListOptions,
  MaterializedObject,
  ObjectBody,
  ObjectInfo,
  ObjectStore,
  PutOptions,
  PutResult,
} from '../object-store';
import { validateObjectTags } from '../object-tags';
import { writePrivateCopy } from '../private-copy';
import {
  errorCode,
  makeFolder,
  publishFile,
  removeFile,
  syncFolder,
  writeTempFile,
} from './atomic-file';
import {
  folderConflictError,
  isMissingFileError,
  toReadError,
  toStorageError,
} from './local-errors';
import { walkKeys } from './walk-keys';

export interface LocalObjectStoreOptions {
  /** Folder that contains the objects, one file per key. The first put creates it. */
  root: string;
  /** Codec that every body passes through on put and get. The default `identityCodec` stores plaintext files. */
  codec?: ObjectCodec;
  /**
   * Parent folder of the decoded copies that `materialize` writes when the
   * codec is not the identity, `os.tmpdir()` by default. A memory-backed file
   * system such as /dev/shm keeps plaintext off the disk.
   */
  materializeDir?: string;
}

/**
 * An `ObjectStore` in a folder: key 'a/b.parquet' is the file `<root>/a/b.parquet`.
 * Puts write a temporary file beside the target, fsync it, then rename it into
 * place and fsync the folder, so a crash leaves the old object or the new one.
 * Tags live in a mirror tree under `<root>/.carelake-tags/`. Files and folders
 * are created readable by the current user only.
 */
export class LocalObjectStore implements ObjectStore {
  readonly root: string;
  private readonly codec: ObjectCodec;
  private readonly materializeDir: string;

  constructor(options: LocalObjectStoreOptions) {
    this.root = path.resolve(options.root);
    this.codec = options.codec ?? identityCodec;
    this.materializeDir = options.materializeDir ?? os.tmpdir();
  }

  async put(key: string, body: ObjectBody, options: PutOptions = {}): Promise<PutResult> {
    validateObjectKey(key, 'put');
    if (options.tags) validateObjectTags(key, options.tags, 'put');

    const hash = createHash('sha256');
    let sizeBytes = 0;
    const plain = tapChunks(toByteChunks(body, key), (chunk) => {
      hash.update(chunk);
      sizeBytes += chunk.byteLength;
    });
    // head and list report the stored file size, which under an encrypting
    // codec is larger than the plaintext size this put returns.
    await this.writeObject(key, this.codec.encode(plain), options.ifNoneMatch ?? false, 'put');
    await this.writeTags(key, options.tags ?? {}, 'put');
    return { key, sizeBytes, sha256: hash.digest('hex') };
  }

  async get(key: string): Promise<Uint8Array> {
    validateObjectKey(key, 'get');
    const stored = await this.openStored(key, 'get');
    try {
      return await readAll(this.decoded(stored));
    } catch (error) {
      throw toReadError(error, key, 'get');
    }
  }

  async getStream(key: string): Promise<Readable> {
    validateObjectKey(key, 'get');
    const stored = await this.openStored(key, 'get');
    // Readable.from defaults to object mode, which a byte stream must not use.
    return Readable.from(this.decoded(stored), { objectMode: false });
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateObjectKey(key, 'head');
    const stats = await this.statObject(key, 'head');
    return stats && { key, sizeBytes: stats.size, lastModified: new Date(stats.mtimeMs) };
  }

  async *list(options: ListOptions): AsyncIterable<ObjectInfo> {
    validateKeyPrefix(options.prefix, 'list');
    try {
      for await (const key of walkKeys(this.root, options.prefix)) {
        const stats = await this.statObject(key, 'list');
        // A file deleted between the folder read and the stat is simply not listed.
        if (stats) yield { key, sizeBytes: stats.size, lastModified: new Date(stats.mtimeMs) };
      }
    } catch (error) {
      throw toStorageError(error, options.prefix, 'list');
    }
  }

  /** Copy the object and its tags, as S3's CopyObject does by default. */
  async copy(sourceKey: string, targetKey: string): Promise<void> {
    validateObjectKey(sourceKey, 'copy');
    validateObjectKey(targetKey, 'copy');
    const stored = await this.openStored(sourceKey, 'copy');
    const tags = await this.readTags(sourceKey, 'copy');
    // Re-encoding rather than copying stored bytes lets a codec bind ciphertext to its key.
    await this.writeObject(targetKey, this.codec.encode(this.decoded(stored)), false, 'copy');
    await this.writeTags(targetKey, tags, 'copy');
  }

  async delete(key: string): Promise<void> {
    validateObjectKey(key, 'delete');
    const filePath = this.objectPath(key);
    try {
      await unlink(filePath);
      await syncFolder(path.dirname(filePath));
    } catch (error) {
      if (!isMissingFileError(error)) throw toStorageError(error, key, 'delete');
    }
    try {
      await removeFile(this.tagsPath(key));
    } catch (error) {
      throw toStorageError(error, key, 'delete');
    }
  }

  async getTags(key: string): Promise<Record<string, string>> {
    validateObjectKey(key, 'getTags');
    if (!(await this.statObject(key, 'getTags'))) throw new ObjectNotFoundError(key, 'getTags');
    return this.readTags(key, 'getTags');
  }

  /** Replace all tags of the object, as S3's PutObjectTagging does. */
  async putTags(key: string, tags: Record<string, string>): Promise<void> {
    validateObjectKey(key, 'putTags');
    validateObjectTags(key, tags, 'putTags');
    if (!(await this.statObject(key, 'putTags'))) throw new ObjectNotFoundError(key, 'putTags');
    await this.writeTags(key, tags, 'putTags');
  }

  /** The first `length` bytes of an object as stored, not decoded: an envelope's header, for example. */
  async storedHead(key: string, length: number): Promise<Buffer> {
    validateObjectKey(key, 'get');
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.objectPath(key), 'r');
      const head = Buffer.alloc(length);
      const { bytesRead } = await handle.read(head, 0, length, 0);
      return head.subarray(0, bytesRead);
    } catch (error) {
      throw toReadError(error, key, 'get');
    } finally {
      await handle?.close();
    }
  }

  /**
   * Replace an object's stored bytes by `transform` of them, without decoding, as atomically as a
   * put; its tags stay. Key rotation uses it to rewrap an envelope's data key in place.
   */
  async rewriteStored(
    key: string,
    transform: (stored: AsyncIterable<Uint8Array>) => AsyncIterable<Uint8Array>,
  ): Promise<void> {
    validateObjectKey(key, 'put');
    const stored = await this.openStored(key, 'put');
    try {
      await this.writeObject(key, transform(stored), false, 'put');
    } finally {
      stored.destroy();
    }
  }

  /**
   * Return the object's own file under the identity codec, and `release` leaves
   * it in place. Under any other codec, return a private decoded copy that `release` removes.
   */
  async materialize(key: string): Promise<MaterializedObject> {
    validateObjectKey(key, 'materialize');
    if (this.codec === identityCodec) {
      if (!(await this.statObject(key, 'materialize')))
        throw new ObjectNotFoundError(key, 'materialize');
      return { path: this.objectPath(key), release: async () => undefined };
    }
    const stored = await this.openStored(key, 'materialize');
    try {
      return await writePrivateCopy(
        this.decoded(stored),
        path.posix.basename(key),
        this.materializeDir,
      );
    } catch (error) {
      throw toReadError(error, key, 'materialize');
    }
  }

  private objectPath(key: string): string {
    return path.join(this.root, ...key.split('/'));
  }

  /** Return the tags file path, which mirrors the object's path, so it conflicts only where objects already would. */
  private tagsPath(key: string): string {
    return path.join(this.root, TAGS_FOLDER_NAME, ...key.split('/'));
  }

  private decoded(stored: Readable): AsyncIterable<Uint8Array> {
    return this.codec.decode(stored);
  }

  /** Stats of the object's file, or undefined when there is no file for the key. */
  private async statObject(key: string, operation: StorageOperation): Promise<Stats | undefined> {
    try {
      const stats = await stat(this.objectPath(key));
      return stats.isFile() ? stats : undefined;
    } catch (error) {
      if (isMissingFileError(error)) return undefined;
      throw toStorageError(error, key, operation);
    }
  }

  /** Open the object's stored bytes. A missing key fails here rather than on the first read. */
  private async openStored(key: string, operation: StorageOperation): Promise<Readable> {
    let handle: FileHandle | undefined;
    try {
      handle = await open(this.objectPath(key), 'r');
      if (!(await handle.stat()).isFile()) throw new ObjectNotFoundError(key, operation);
    } catch (error) {
      await handle?.close();
      throw toReadError(error, key, operation);
    }
    return handle.createReadStream();
  }

  private async writeObject(
    key: string,
    encoded: AsyncIterable<Uint8Array>,
    exclusive: boolean,
    operation: StorageOperation,
  ): Promise<void> {
    const filePath = this.objectPath(key);
    const folder = path.dirname(filePath);

    let changedFolders: string[];
    try {
      changedFolders = await makeFolder(folder);
    } catch (error) {
      const code = errorCode(error);
      if (code === 'EEXIST' || code === 'ENOTDIR')
        throw folderConflictError(key, operation, 'parent is an object', error);
      throw toStorageError(error, key, operation);
    }

    let tempPath: string;
    try {
      tempPath = await writeTempFile(folder, path.basename(filePath), encoded);
    } catch (error) {
      throw toStorageError(error, key, operation);
    }

    try {
      await publishFile(tempPath, filePath, exclusive);
    } catch (error) {
      throw await this.publishError(error, key, filePath, operation);
    }

    try {
      for (const changed of [folder, ...changedFolders]) await syncFolder(changed);
    } catch (error) {
      throw toStorageError(error, key, operation);
    }
  }

  private async publishError(
    error: unknown,
    key: string,
    filePath: string,
    operation: StorageOperation,
  ): Promise<StorageError> {
    const code = errorCode(error);
    if (code === 'EISDIR') return folderConflictError(key, operation, 'key is a folder', error);
    if (code !== 'EEXIST') return toStorageError(error, key, operation);
    const existing = await lstat(filePath).catch(() => undefined);
    if (existing?.isDirectory())
      return folderConflictError(key, operation, 'key is a folder', error);
    return new ObjectExistsError(key, error);
  }

  private async readTags(
    key: string,
    operation: StorageOperation,
  ): Promise<Record<string, string>> {
    let text: string;
    try {
      text = await readFile(this.tagsPath(key), 'utf8');
    } catch (error) {
      if (isMissingFileError(error)) return {};
      throw toStorageError(error, key, operation);
    }
    try {
      return JSON.parse(text) as Record<string, string>;
    } catch (error) {
      throw new StorageError(`the tags file of object ${quoteKey(key)} is not valid JSON`, {
        key,
        operation,
        cause: error,
        hint: `Delete ${path.join(TAGS_FOLDER_NAME, key)} under the store's root and put the tags again.`,
      });
    }
  }

  /** Replace the object's tags. Empty tags remove the tags file, as a put without tags does on S3. */
  private async writeTags(
    key: string,
    tags: Record<string, string>,
    operation: StorageOperation,
  ): Promise<void> {
    const tagsPath = this.tagsPath(key);
    try {
      if (Object.keys(tags).length === 0) {
        await removeFile(tagsPath);
        return;
      }
      const folder = path.dirname(tagsPath);
      const changedFolders = await makeFolder(folder);
      const tempPath = await writeTempFile(folder, path.basename(tagsPath), [
        Buffer.from(canonicalJson(tags), 'utf8'),
      ]);
      await publishFile(tempPath, tagsPath, false);
      for (const changed of [folder, ...changedFolders]) await syncFolder(changed);
    } catch (error) {
      throw toStorageError(error, key, operation);
    }
  }
}

async function* tapChunks(
  chunks: AsyncIterable<Uint8Array>,
  onChunk: (chunk: Uint8Array) => void,
): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    onChunk(chunk);
    yield chunk;
  }
}
