import type { ColumnType } from '@carelake/core';

/** The folder value Hive, Glue and Athena use for a null partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__';

/** One `key=value` partition folder of a data file's path. A null value is Hive's default partition. */
export interface HivePartitionValue {
  key: string;
  value: string | null;
}

const MIN_BIGINT = -(2n ** 63n);
const MAX_BIGINT = 2n ** 63n - 1n;

/**
 * Parse one folder name as `key=value`, undoing Hive's `%XX` escapes in the
 * value. Returns undefined for a folder that is not a partition folder.
 */
export function parsePartitionFolder(folderName: string): HivePartitionValue | undefined {
  const separator = folderName.indexOf('=');
  if (separator <= 0) return undefined;

  const key = unescapePathName(folderName.slice(0, separator));
  const rawValue = folderName.slice(separator + 1);
  const value = rawValue === HIVE_DEFAULT_PARTITION ? null : unescapePathName(rawValue);
  return { key, value };
}

/** Render partition values as the folder path Hive writes, such as `admit_month=2024-01/facility=east`. */
export function partitionFolderPath(partition: readonly HivePartitionValue[]): string {
  return partition
    .map(
      ({ key, value }) =>
        `${escapePathName(key)}=${value === null ? HIVE_DEFAULT_PARTITION : escapePathName(value)}`,
    )
    .join('/');
}

/**
 * Infer a partition key's type from its values: bigint when every value is an integer that fits, date when every value is a
 * calendar date written YYYY-MM-DD, else string. Null values do not count, and
 * a key with no other value is a string.
 */
export function inferPartitionKeyType(values: Iterable<string | null>): ColumnType {
  let allIntegers = true;
  let allDates = true;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    count += 1;
    allIntegers &&= isBigintLiteral(value);
    allDates &&= isCalendarDate(value);
    if (!allIntegers && !allDates) return 'string';
  }
  if (count === 0) return 'string';
  return allIntegers ? 'bigint' : 'date';
}

// Leading zeros and a plus sign are left out, because reading `007` as a
// bigint would lose the zeros that the folder name keeps.
function isBigintLiteral(value: string): boolean {
  if (!/^-?(0|[1-9][0-9]*)$/.test(value)) return false;
  const parsed = BigInt(value);
  return parsed >= MIN_BIGINT && parsed <= MAX_BIGINT;
}

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  const date = new Date(Date.UTC(year ?? 0, (month ?? 0) - 1, day ?? 0));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() + 1 === month && date.getUTCDate() === day
  );
}

// Hive's FileUtils.escapePathName writes these characters, and control
// characters, as `%XX`.
const HIVE_ESCAPED = new Set([
  '"',
  '#',
  '%',
  "'",
  '*',
  '/',
  ':',
  '=',
  '?',
  '\\',
  '\u007f',
  '{',
  '[',
  ']',
  '^',
]);

function escapePathName(text: string): string {
  let escaped = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    escaped +=
      code < 0x20 || HIVE_ESCAPED.has(char)
        ? `%${code.toString(16).toUpperCase().padStart(2, '0')}`
        : char;
  }
  return escaped;
}

// Undo `%XX` escapes as Hive's FileUtils.unescapePathName does, keeping
// anything else as written.
function unescapePathName(text: string): string {
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_escape, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
}
