import { readdir } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { LoadedPipeline } from './pipeline-file';

/** Files of a directory source, at any depth, sorted by relative path so runs are repeatable. */
export async function listSourceFiles(pipeline: LoadedPipeline): Promise<Array<{ name: string; path: string }>> {
  const folder = resolve(pipeline.baseDir, pipeline.source.path);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => pipeline.source.include.some((suffix) => path.endsWith(suffix)))
    .map((path) => ({ name: relative(folder, path).split('\\').join('/'), path }));
  // Compare by code unit, not locale, so the order is the same on every machine.
  return files.sort((a, b) => {
    if (a.name === b.name) return 0;
    return a.name < b.name ? -1 : 1;
  });
}
