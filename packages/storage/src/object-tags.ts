import { InvalidObjectTagsError, type StorageOperation } from './errors';

/** S3's tagging limits, from the S3Tag type of the Amazon S3 API Reference. */
export const MAX_TAGS_PER_OBJECT = 10;
export const MAX_TAG_KEY_CHARS = 128;
export const MAX_TAG_VALUE_CHARS = 256;

/** Letters, digits and spaces in any script, and `_ . : / = + - @`, as S3 allows. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * Throw `InvalidObjectTagsError` unless S3 would accept `tags`. The local store
 * applies the same limits, so that tags that work locally also deploy. Messages
 * name the tag key but never its value.
 */
export function validateObjectTags(
  key: string,
  tags: Record<string, string>,
  operation: StorageOperation,
): void {
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS_PER_OBJECT) {
    throw new InvalidObjectTagsError(
      key,
      operation,
      `${entries.length} tags given, at most ${MAX_TAGS_PER_OBJECT} allowed`,
    );
  }
  for (const [tagKey, value] of entries) {
    const tagKeyChars = [...tagKey].length;
    if (tagKeyChars === 0 || tagKeyChars > MAX_TAG_KEY_CHARS) {
      throw new InvalidObjectTagsError(
        key,
        operation,
        `tag key ${JSON.stringify(tagKey)} has ${tagKeyChars} characters, expected 1 to ${MAX_TAG_KEY_CHARS}`,
      );
    }
    if (typeof value !== 'string' || [...value].length > MAX_TAG_VALUE_CHARS) {
      throw new InvalidObjectTagsError(
        key,
        operation,
        `the value of tag ${JSON.stringify(tagKey)} is not a string of at most ${MAX_TAG_VALUE_CHARS} characters`,
      );
    }
    if (tagKey.toLowerCase().startsWith('aws:')) {
      throw new InvalidObjectTagsError(
        key,
        operation,
        `tag key ${JSON.stringify(tagKey)} starts with 'aws:', which AWS reserves`,
      );
    }
    if (!TAG_CHARACTERS.test(tagKey)) {
      throw new InvalidObjectTagsError(
        key,
        operation,
        `tag key ${JSON.stringify(tagKey)} contains a character S3 rejects`,
      );
    }
    if (!TAG_CHARACTERS.test(value)) {
      throw new InvalidObjectTagsError(
        key,
        operation,
        `the value of tag ${JSON.stringify(tagKey)} contains a character S3 rejects`,
      );
    }
  }
}
