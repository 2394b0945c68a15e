import { CarelakeError, type CarelakeErrorOptions } from '@carelake/core';

/** The `ObjectStore` method that failed. `getStream` reports as `get`. */
export type StorageOperation =
  'put' | 'get' | 'head' | 'list' | 'copy' | 'delete' | 'getTags' | 'putTags' | 'materialize';

export interface StorageErrorOptions extends CarelakeErrorOptions {
  /** Object key the failure concerns, or the prefix for `list`. */
  key: string;
  operation: StorageOperation;
}

/** Root of the errors an `ObjectStore` raises. Backend errors are chained as `cause`. */
export class StorageError extends CarelakeError {
  readonly key: string;
  readonly operation: StorageOperation;

  constructor(message: string, options: StorageErrorOptions) {
    super(message, options);
    this.key = options.key;
    this.operation = options.operation;
  }
}

export class ObjectNotFoundError extends StorageError {
  constructor(key: string, operation: StorageOperation, cause?: unknown) {
    super(`object ${quoteKey(key)} not found`, { key, operation, cause });
  }
}

/** Raised by a put with `ifNoneMatch` when another writer created the key first. */
export class ObjectExistsError extends StorageError {
  constructor(key: string, cause?: unknown) {
    super(`object ${quoteKey(key)} already exists`, {
      key,
      operation: 'put',
      cause,
      hint: 'A put with ifNoneMatch succeeds only for a new key. Read the existing object, or write under another key.',
    });
  }
}

export class InvalidObjectKeyError extends StorageError {
  /** The key rule that was broken, in words. */
  readonly rule: string;

  constructor(key: string, operation: StorageOperation, rule: string) {
    super(`invalid object key ${quoteKey(key)}: ${rule}`, {
      key,
      operation,
      hint: "Keys are relative, '/'-separated paths such as landing/adt/2024-05-01/batch-001.hl7.",
    });
    this.rule = rule;
  }
}

/** Raised when object tags break S3's tagging limits, which the local store enforces too. */
export class InvalidObjectTagsError extends StorageError {
  readonly rule: string;

  constructor(key: string, operation: StorageOperation, rule: string) {
    super(`invalid tags for object ${quoteKey(key)}: ${rule}`, {
      key,
      operation,
      hint: 'S3 allows at most 10 tags per object, keys of 1 to 128 characters and values of up to 256 characters.',
    });
    this.rule = rule;
  }
}

/** Quote a key for a message, escaping control characters such as NUL. */
export function quoteKey(key: string): string {
  return JSON.stringify(key);
}
