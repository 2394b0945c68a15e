import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';
import { knownKeysAt, suggestKey } from './schema-keys';

/**
 * Parse a YAML document and validate it against a schema, reporting every
 * problem at once with its key path and line, so a file with three mistakes
 * gets three messages in one run.
 */
export function parseYamlDocument<T extends z.ZodType>(
  text: string,
  file: string,
  schema: T,
  options: ParseYamlOptions = {},
): z.output<T> {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });

  if (document.errors.length > 0) {
    const issues = document.errors.map((error) => ({
      keyPath: '',
      message: `YAML syntax error at line ${lineCounter.linePos(error.pos[0]).line}: ${error.code}`,
    }));
    throw new ConfigError(`${file} is not valid YAML`, issues, { position: { file } });
  }

  const value: unknown = document.toJS() ?? {};
  const result = schema.safeParse(value);
  if (result.success) return result.data;

  const found = result.error.issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys' ? unknownKeyIssues(schema, issue.path, issue.keys) : [{ path: issue.path, message: issue.message }],
  );
  const seen = new Set(found.map((issue) => formatKeyPath(issue.path)));
  for (const issue of options.alwaysCheck?.(value) ?? []) {
    if (!seen.has(formatKeyPath(issue.path))) found.push(issue);
  }
  const issues: ConfigIssue[] = found.map((issue) => {
    const keyPath = formatKeyPath(issue.path);
    const line = lineOf(document, lineCounter, issue.path);
    const at = line === undefined ? '' : ` (line ${line})`;
    return { keyPath, message: `${issue.message}${at}` };
  });
  throw new ConfigError(`${file} has ${issues.length} invalid setting(s)`, issues, {
    position: { file },
  });
}

export interface ParseYamlOptions {
  /**
   * Checks that also run when the schema rejects the document, whose refinements then do not run,
   * so that their problems are listed with the others. Takes the document as parsed from YAML.
   */
  alwaysCheck?: (value: unknown) => Array<{ path: PropertyKey[]; message: string }>;
}

/**
 * Returns one issue per unknown key, at the key's own path so that its line is the key's line, with the
 * nearest key the schema allows there when it is a likely typo.
 */
export function unknownKeyIssues(schema: z.ZodType, path: PropertyKey[], keys: readonly string[]): Array<{ path: PropertyKey[]; message: string }> {
  const known = knownKeysAt(schema, path);
  return keys.map((key) => {
    const suggestion = suggestKey(key, known);
    return { path: [...path, key], message: `unknown key "${key}"${suggestion === undefined ? '' : `; did you mean "${suggestion}"?`}` };
  });
}

/** Turn `['principals', 'ana', 'groups', 0]` into `principals.ana.groups[0]`. */
export function formatKeyPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

function lineOf(
  document: Document,
  lineCounter: LineCounter,
  path: readonly PropertyKey[],
): number | undefined {
  // A missing key has no node of its own, so fall back to its nearest parent.
  for (let depth = path.length; depth >= 0; depth--) {
    const keyLine = keyLineOf(document, lineCounter, path.slice(0, depth));
    if (keyLine !== undefined) return keyLine;
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}

/** Returns the line of the key that ends `path`, which is above its value when the value is a block. */
function keyLineOf(document: Document, lineCounter: LineCounter, path: readonly PropertyKey[]): number | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  const parent = document.getIn(path.slice(0, -1) as unknown[], true);
  if (!isMap(parent)) return undefined;
  const pair = parent.items.find((item) => isScalar(item.key) && item.key.value === last);
  const key = pair?.key;
  return isScalar(key) && key.range ? lineCounter.linePos(key.range[0]).line : undefined;
}
