import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigIssue } from './errors';

/**
 * Parse a YAML document and validate it against a schema, reporting every
 * problem at once with its key path and line, so a file with three mistakes
 * gets three messages in one run.
 */
export function parseYamlDocument<T extends z.ZodType>(
  text: string,
  file: string,
  schema: T,
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

  const result = schema.safeParse(document.toJS() ?? {});
  if (result.success) return result.data;

  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const keyPath = formatKeyPath(issue.path);
    const line = lineOf(document, lineCounter, issue.path);
    const at = line === undefined ? '' : ` (line ${line})`;
    return { keyPath, message: `${issue.message}${at}` };
  });
  throw new ConfigError(`${file} has ${issues.length} invalid setting(s)`, issues, {
    position: { file },
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
    const node = document.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return undefined;
}
