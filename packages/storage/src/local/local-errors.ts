import { describeError } from '@carelake/core';

import { ObjectNotFoundError, StorageError, quoteKey, type StorageOperation } from '../errors';
import { errorCode } from './atomic-file';

/** Codes a read gets when the key's file is missing, or a part of its path is a file or a folder. */
const MISSING_FILE_CODES = new Set(['ENOENT', 'ENOTDIR', 'EISDIR']);

export function isMissingFileError(error: unknown): boolean {
  return MISSING_FILE_CODES.has(errorCode(error) ?? '');
}

/** Map an error from reading `key` to `ObjectNotFoundError` or `StorageError`. */
export function toReadError(
  error: unknown,
  key: string,
  operation: StorageOperation,
): StorageError {
  if (error instanceof StorageError) return error;
  if (isMissingFileError(error)) return new ObjectNotFoundError(key, operation, error);
  return toStorageError(error, key, operation);
}

/** Wrap an error in `StorageError`, keeping a `StorageError` as it is. */
export function toStorageError(
  error: unknown,
  key: string,
  operation: StorageOperation,
): StorageError {
  if (error instanceof StorageError) return error;
  const reason = errorCode(error) ?? describeError(error);
  return new StorageError(`${operation} of object ${quoteKey(key)} failed: ${reason}`, {
    key,
    operation,
    cause: error,
  });
}

/**
 * Build the error for a key that the file tree cannot hold. A file cannot also
 * be a folder, so 'a/b' and 'a/b/c' cannot both be objects in a local store.
 */
export function folderConflictError(
  key: string,
  operation: StorageOperation,
  conflict: 'parent is an object' | 'key is a folder',
  cause: unknown,
): StorageError {
  const detail =
    conflict === 'parent is an object'
      ? 'a part of its path is already an object'
      : `other objects are stored under ${quoteKey(`${key}/`)}`;
  return new StorageError(`cannot store object ${quoteKey(key)} in the local store: ${detail}`, {
    key,
    operation,
    cause,
    hint: "A local store keeps each object as a file, so a key cannot also be the folder of other keys (as 'a/b' and 'a/b/c'). Rename one of them.",
  });
}
