import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, parseYamlDocument } from '@carelake/core';
import { isMonthDay, RELEASE_FORMATS } from '@carelake/vocab';

const SUFFIX = '.source.yaml';

const monthDay = z
  .string()
  .refine(isMonthDay, { error: 'must be a month and day written MM-DD, such as "10-01"' });

/** When the publisher releases; see `ReleaseSchedule` in @carelake/vocab. */
const scheduleSchema = z.discriminatedUnion('every', [
  z
    .object({
      every: z.literal('year'),
      on: z.array(monthDay).min(1),
      updates: z.array(monthDay).optional(),
      graceDays: z.number().int().min(0).max(366).default(30),
    })
    .strict(),
  z
    .object({
      every: z.literal('month'),
      on: z.union([z.literal('first-monday'), z.number().int().min(1).max(28)]),
      updates: z.literal('weekly').optional(),
      graceDays: z.number().int().min(0).max(366).default(14),
    })
    .strict(),
  z.object({ every: z.literal('none') }).strict(),
]);

/**
 * A code system's source: where its releases come from, how to read them, under which licence,
 * and when the publisher releases them. One file per system, `vocabularies/<system>.source.yaml`.
 */
export const vocabSourceSchema = z
  .object({
    /** Code system id; the releases load into table `vocab.<system>`. */
    system: z
      .string()
      .regex(/^[a-z][a-z0-9_]{0,62}$/, 'must be lower case letters, digits and "_" (a table name)'),
    name: z.string().min(1),
    publisher: z.string().min(1),
    /** The loader family that reads the release files. */
    format: z.enum(RELEASE_FORMATS),
    /** Globs of the release files to read, matched case-insensitively against paths under the location. */
    files: z.array(z.string().min(1)).min(1),
    /**
     * Folder of the release the user downloaded, relative to this file, or `s3://bucket/prefix/`.
     * Left out, each refresh names the release with `--release`.
     */
    location: z.string().min(1).optional(),
    licence: z
      .object({
        /** True when the release files may be used only under the publisher's licence, which carelake never ships. */
        licensed: z.boolean(),
        note: z.string().min(1),
        url: z.url().optional(),
      })
      .strict(),
    schedule: scheduleSchema,
  })
  .strict();

export type VocabSourceDefinition = z.output<typeof vocabSourceSchema>;

export interface VocabSource extends VocabSourceDefinition {
  /** Absolute path of the source definition. */
  file: string;
  /** The versioned table the releases load into: `vocab.<system>`. */
  table: string;
}

/** Location of a release's files: a local folder, or a prefix in an S3 bucket. */
export type ReleaseLocation =
  | { kind: 'path'; path: string }
  | { kind: 's3'; bucket: string; prefix: string; uri: string };

/** Reads and checks one source definition, whose file name must be `<system>.source.yaml`. */
export function loadVocabSource(path: string): VocabSource {
  const file = resolve(path);
  const name = basename(file);
  const definition = parseYamlDocument(readFileSync(file, 'utf8'), name, vocabSourceSchema);
  if (name !== `${definition.system}${SUFFIX}`) {
    throw new ConfigError(
      `${name} has 1 invalid setting(s)`,
      [{ keyPath: 'system', message: `is "${definition.system}", so the file must be named ${definition.system}${SUFFIX}` }],
      { position: { file: name } },
    );
  }
  return { ...definition, file, table: `vocab.${definition.system}` };
}

/** Reads every `*.source.yaml` in a folder, keyed by system. */
export function loadVocabSources(folder: string): Map<string, VocabSource> {
  const sources = new Map<string, VocabSource>();
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith(SUFFIX)).sort()) {
    const source = loadVocabSource(join(folder, name));
    sources.set(source.system, source);
  }
  return sources;
}

/**
 * Returns where to read a release: `override` (a path, relative to the working directory, or
 * an s3:// URI) when given, else the source's location, relative to the source file.
 */
export function resolveReleaseLocation(source: VocabSource, override?: string): ReleaseLocation | undefined {
  const location = override ?? source.location;
  if (location === undefined) return undefined;

  const s3 = /^s3:\/\/([^/]+)\/?(.*)$/.exec(location);
  if (s3) {
    const prefix = s3[2] === '' || (s3[2] as string).endsWith('/') ? (s3[2] as string) : `${s3[2]}/`;
    return { kind: 's3', bucket: s3[1] as string, prefix, uri: location };
  }
  if (override !== undefined) return { kind: 'path', path: resolve(override) };
  return { kind: 'path', path: isAbsolute(location) ? location : resolve(dirname(source.file), location) };
}

/** Returns whether a path under the release location matches one of the source's file globs. */
export function matchesReleaseFiles(source: Pick<VocabSource, 'files'>, relativePath: string): boolean {
  return source.files.some((pattern) => globToRegExp(pattern).test(relativePath));
}

/** `**` matches any folders, `*` any characters within one name, `?` one character; case is ignored. */
function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index] as string;
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (char === '*') {
      source += '[^/]*';
    } else if (char === '?') {
      source += '[^/]';
    } else {
      source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, 'i');
}
