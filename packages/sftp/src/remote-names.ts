import { sha256Hex } from '@carelake/core';

/** The rule a remote name broke. */
export type RemoteNameRule =
  | 'absolute-path'
  | 'dot-segment'
  | 'empty-segment'
  | 'backslash'
  | 'control-character'
  | 'invalid-utf8'
  | 'collision'
  | 'not-regular-file';

export const REMOTE_NAME_RULES: Readonly<Record<RemoteNameRule, string>> = {
  'absolute-path': 'the name starts with /, so it would leave the listed folder',
  'dot-segment': 'a path segment is . or .., which could leave the listed folder',
  'empty-segment': 'the path has an empty segment (//), which hides its real depth',
  backslash: 'the name contains a backslash, a path separator on Windows',
  'control-character': 'the name contains a control or bidirectional formatting character',
  'invalid-utf8': 'the name is not valid UTF-8, so it cannot be addressed again reliably',
  collision:
    'another name in the listing becomes the same local name after Unicode NFC normalization and case folding',
  'not-regular-file':
    'the entry matches the patterns but is a link or special file, not a regular file',
};

/** A remote name left out of a listing, shown only escaped and hashed. */
export interface RejectedRemoteName {
  rule: RemoteNameRule;
  /** Path relative to the listed folder, with control characters and backslashes written as `\uXXXX`. */
  escapedPath: string;
  /** SHA-256 hex of the raw relative path in UTF-8, to follow one name across runs. */
  pathSha256: string;
  /** The rule in words. */
  reason: string;
}

// C0 and C1 controls and DEL, and the bidirectional formatting characters that make a name
// display in another order than it is stored (the "Trojan Source" characters). Matching control
// characters is the point of these expressions, hence the lint exceptions.
/* eslint-disable no-control-regex */
const CONTROL_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ESCAPED_CHARACTERS =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\\ufffd]/g;
/* eslint-enable no-control-regex */

/**
 * Find the first rule a path relative to the listed folder breaks, or undefined when it is safe
 * to use for a local name. Segments are separated by `/`.
 */
export function findUnsafeNameRule(relativePath: string): RemoteNameRule | undefined {
  if (relativePath.startsWith('/')) return 'absolute-path';
  if (relativePath.includes('\\')) return 'backslash';
  if (CONTROL_CHARACTERS.test(relativePath)) return 'control-character';
  // ssh2 decodes names as UTF-8 and puts U+FFFD where the bytes are not valid UTF-8; such a
  // name sent back to the server no longer names the same file.
  if (relativePath.includes('\ufffd')) return 'invalid-utf8';
  for (const segment of relativePath.split('/')) {
    if (segment === '') return 'empty-segment';
    if (segment === '.' || segment === '..') return 'dot-segment';
  }
  return undefined;
}

/** Return the local name of a safe relative path: the same path in Unicode NFC. */
export function toSafeName(relativePath: string): string {
  return relativePath.normalize('NFC');
}

/**
 * Fold a safe name the way a case-insensitive, normalizing file system would. Upper-casing
 * before lower-casing approximates Unicode full case folding (`ß` and `SS` both become `ss`).
 */
export function foldLocalName(safeName: string): string {
  return safeName.normalize('NFC').toUpperCase().toLowerCase().normalize('NFC');
}

/** Write a name with control characters, backslashes and U+FFFD escaped as `\uXXXX`. */
export function escapeRemoteName(name: string): string {
  return name.replace(
    ESCAPED_CHARACTERS,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Describe a rejected name without printing it raw. */
export function rejectRemoteName(relativePath: string, rule: RemoteNameRule): RejectedRemoteName {
  return {
    rule,
    escapedPath: escapeRemoteName(relativePath),
    pathSha256: sha256Hex(relativePath),
    reason: REMOTE_NAME_RULES[rule],
  };
}

/**
 * Split entries into those whose local names are unique after folding and those that collide.
 * Every member of a colliding group is rejected, because which one a local file system would
 * keep depends on the order of arrival.
 */
export function rejectCollisions<T extends { relativePath: string; safeName: string }>(
  entries: readonly T[],
): { kept: T[]; rejected: RejectedRemoteName[] } {
  const groups = new Map<string, T[]>();
  for (const entry of entries) {
    const key = foldLocalName(entry.safeName);
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }

  const kept: T[] = [];
  const rejected: RejectedRemoteName[] = [];
  for (const entry of entries) {
    const group = groups.get(foldLocalName(entry.safeName)) ?? [];
    if (group.length > 1) rejected.push(rejectRemoteName(entry.relativePath, 'collision'));
    else kept.push(entry);
  }
  return { kept, rejected };
}
