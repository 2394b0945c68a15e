import { InvalidObjectKeyError, type StorageOperation } from './errors';

/** S3's limit on the UTF-8 length of a key. */
export const MAX_KEY_BYTES = 1024;

/** The usual file-name limit (ext4, APFS, NTFS), which bounds each part of a local key. */
export const MAX_KEY_PART_BYTES = 255;

/** First part of the paths of the local store's tag files, which `list` skips. */
export const TAGS_FOLDER_NAME = '.carelake-tags';

/** Name prefix of the local store's files that are still being written, which `list` skips. */
export const TEMP_FILE_PREFIX = '.tmp-';

/**
 * Throw `InvalidObjectKeyError` unless `key` is a relative, '/'-separated key
 * that maps to one file under a local root. Both stores apply the same rules,
 * including the local ones, so that a key accepted on one backend works on the other.
 */
export function validateObjectKey(key: string, operation: StorageOperation): void {
  if (key.length === 0) throw new InvalidObjectKeyError(key, operation, 'the key is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) {
    throw new InvalidObjectKeyError(
      key,
      operation,
      `the key is longer than ${MAX_KEY_BYTES} bytes in UTF-8`,
    );
  }
  validateKeyCharacters(key, operation);
  validateParts(key, key.split('/'), operation);
}

/**
 * Throw `InvalidObjectKeyError` unless `prefix` is '' or the start of a valid
 * key. The last part may be partial: 'raw/ab' matches 'raw/abc.parquet'.
 */
export function validateKeyPrefix(prefix: string, operation: StorageOperation): void {
  if (prefix.length === 0) return;
  validateKeyCharacters(prefix, operation);
  const completeParts = prefix.split('/').slice(0, -1);
  validateParts(prefix, completeParts, operation);
}

function validateKeyCharacters(key: string, operation: StorageOperation): void {
  if (key.startsWith('/'))
    throw new InvalidObjectKeyError(key, operation, "the key is absolute (starts with '/')");
  if (key.includes('\\')) {
    throw new InvalidObjectKeyError(
      key,
      operation,
      "the key contains a backslash; separate parts with '/'",
    );
  }
  if (key.includes('\0'))
    throw new InvalidObjectKeyError(key, operation, 'the key contains a NUL character');
}

function validateParts(key: string, parts: readonly string[], operation: StorageOperation): void {
  parts.forEach((part, index) => {
    const position = `part ${index + 1}`;
    if (part.length === 0) {
      throw new InvalidObjectKeyError(
        key,
        operation,
        `${position} is empty (a leading, doubled or trailing '/')`,
      );
    }
    if (part === '.' || part === '..') {
      throw new InvalidObjectKeyError(
        key,
        operation,
        `${position} is '${part}', which a file system resolves as a path`,
      );
    }
    if (Buffer.byteLength(part, 'utf8') > MAX_KEY_PART_BYTES) {
      throw new InvalidObjectKeyError(
        key,
        operation,
        `${position} is longer than ${MAX_KEY_PART_BYTES} bytes in UTF-8`,
      );
    }
    if (part.startsWith(TEMP_FILE_PREFIX)) {
      throw new InvalidObjectKeyError(
        key,
        operation,
        `${position} starts with '${TEMP_FILE_PREFIX}', which marks the local store's unfinished writes`,
      );
    }
    if (index === 0 && part === TAGS_FOLDER_NAME) {
      throw new InvalidObjectKeyError(
        key,
        operation,
        `'${TAGS_FOLDER_NAME}' is reserved for the local store's tags`,
      );
    }
  });
}
