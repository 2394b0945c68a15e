import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { ObjectStore } from '@carelake/storage';
import { PipelineError } from './errors';
import type { LoadedPipeline } from './pipeline-file';

/** One input of a run: a file in a source folder, or a message a listener already landed. */
export interface SourceFile {
  /** Name at the source, relative to its folder; decides the decoder for `decode.format: auto`. */
  name: string;
  read(): Promise<Uint8Array>;
}

/** Inputs of a pipeline in a repeatable order: by relative path, or by arrival for landed messages. */
export async function listSourceFiles(pipeline: LoadedPipeline, store: ObjectStore): Promise<SourceFile[]> {
  const source = pipeline.source;
  // Listeners and the SFTP fetch land files before the run decodes them.
  if (source.type === 'mllp' || source.type === 'sftp') return listLandedMessages(store, pipeline.name);
  if (source.type === 'kinesis') {
    throw new PipelineError(`pipeline ${pipeline.name} reads the kinesis stream ${source.stream}, which has no files to list`, {
      hint: 'Run it with carelake stream run.',
    });
  }

  const folder = resolve(pipeline.baseDir, source.path);
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((path) => source.include.some((suffix) => path.endsWith(suffix)))
    .map((path) => ({ name: relative(folder, path).split('\\').join('/'), read: () => readFile(path) }));
  return sortByName(files);
}

/**
 * Messages a listener landed under `landing/<pipeline>/`. Their names start with the time of
 * arrival, so name order is arrival order. The runner skips those its ledger already holds.
 * NOTE: every run lists the pipeline's whole landing folder, so a run's cost grows with all the
 * messages ever landed until old landing objects are tiered out by the lifecycle policies.
 */
async function listLandedMessages(store: ObjectStore, pipeline: string): Promise<SourceFile[]> {
  const files: SourceFile[] = [];
  for await (const object of store.list({ prefix: `landing/${pipeline}/` })) {
    const name = object.key.slice(object.key.lastIndexOf('/') + 1);
    files.push({ name, read: () => store.get(object.key) });
  }
  return sortByName(files);
}

function sortByName(files: SourceFile[]): SourceFile[] {
  // Compare by code unit, not locale, so the order is the same on every machine.
  return files.sort((a, b) => {
    if (a.name === b.name) return 0;
    return a.name < b.name ? -1 : 1;
  });
}
