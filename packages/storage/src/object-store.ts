import type { Readable } from 'node:stream';

/** Body accepted by `put`: whole bytes, or a stream so large files never sit in memory. */
export type ObjectBody = Uint8Array | string | Readable | AsyncIterable<Uint8Array>;

export interface PutOptions {
  /**
   * Fail with `ObjectExistsError` when the key already exists, atomically: two
   * writers racing for one key cannot both succeed. Locally a hard link, on S3
   * a conditional write (`If-None-Match: *`). Commit logs rely on it.
   */
  ifNoneMatch?: boolean;
  contentType?: string;
  tags?: Record<string, string>;
}

export interface PutResult {
  key: string;
  sizeBytes: number;
  /** Hex SHA-256 of the plaintext bytes, computed while streaming. */
  sha256: string;
}

export interface ObjectInfo {
  key: string;
  sizeBytes: number;
  lastModified: Date;
}

export interface ListOptions {
  /** Only keys under this prefix; '' lists the whole store. */
  prefix: string;
}

/**
 * The only way bytes reach storage. Keys are relative, '/'-separated, and the
 * same on every backend (see `@carelake/core` lake-layout). A put is all or
 * nothing: a reader sees the old object, the new one, or none, never a part.
 * Encryption at rest sits behind this interface (see `KeyProvider`), so
 * callers always read and write plaintext.
 */
export interface ObjectStore {
  put(key: string, body: ObjectBody, options?: PutOptions): Promise<PutResult>;
  /** Whole object in memory; use `getStream` for anything large. */
  get(key: string): Promise<Uint8Array>;
  getStream(key: string): Promise<Readable>;
  /** Object metadata, or undefined when the key does not exist. */
  head(key: string): Promise<ObjectInfo | undefined>;
  /** Every object under a prefix, at any depth, in lexicographic key order. */
  list(options: ListOptions): AsyncIterable<ObjectInfo>;
  copy(sourceKey: string, targetKey: string): Promise<void>;
  /** Deleting a missing key is not an error, as on S3. */
  delete(key: string): Promise<void>;
  getTags(key: string): Promise<Record<string, string>>;
  putTags(key: string, tags: Record<string, string>): Promise<void>;
  /**
   * A local file path with the object's plaintext, for engines that read files
   * (DuckDB). Stores whose objects are plain files may return the file itself;
   * others write a private temporary copy. Call `release` when done.
   */
  materialize(key: string): Promise<MaterializedObject>;
}

export interface MaterializedObject {
  path: string;
  release(): Promise<void>;
}
