import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DatasetDefinition } from '@carelake/core';
import { compileFhirViews, VIEW_DATABASE, type FhirViewSet, type FhirViewSource } from '@carelake/fhir';
import { PipelineError } from './errors';
import type { LoadedPipeline } from './pipeline-file';

/** File name suffix of ViewDefinition files in a view folder. */
export const FHIR_VIEW_SUFFIX = '.view.json';

/** The SQL-on-FHIR views the repository ships. */
export const BUILT_IN_FHIR_VIEWS_DIR = resolve(__dirname, '..', '..', '..', 'pipelines', 'views', 'fhir');

/** True when a pipeline writes a view table, so that it needs its views compiled. */
export function writesFhirViews(pipeline: LoadedPipeline): boolean {
  return pipeline.outputs.some((table) => table.startsWith(`${VIEW_DATABASE}.`));
}

/**
 * List the view files or folders of a pipeline as absolute paths. They are its `views` entries
 * resolved against the pipeline file's folder, else `views/fhir` beside the pipeline file when
 * that folder exists, else the built-in views.
 */
export function fhirViewPathsOf(pipeline: LoadedPipeline): string[] {
  if (pipeline.views !== undefined) return pipeline.views.map((entry) => resolve(pipeline.baseDir, entry));
  const beside = join(pipeline.baseDir, 'views', 'fhir');
  return [existsSync(beside) ? beside : BUILT_IN_FHIR_VIEWS_DIR];
}

/**
 * Read view files: a file is read as it is, a folder gives its `*.view.json` files in name
 * order. Each source is named by its absolute path, which view errors report.
 * @throws PipelineError when a path does not exist or a folder has no view file.
 */
export function readFhirViewSources(paths: readonly string[]): FhirViewSource[] {
  const sources: FhirViewSource[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      throw new PipelineError(`FHIR view path ${path} does not exist`, {
        hint: 'Fix the views entry of the pipeline file; paths are relative to the pipeline file.',
      });
    }
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith(FHIR_VIEW_SUFFIX))
          .sort()
          .map((name) => join(path, name))
      : [path];
    if (files.length === 0) {
      throw new PipelineError(`FHIR view folder ${path} has no *${FHIR_VIEW_SUFFIX} file`, {
        hint: `Add view files to it, or copy them from ${BUILT_IN_FHIR_VIEWS_DIR}.`,
      });
    }
    for (const file of files) sources.push({ file, text: readFileSync(file, 'utf8') });
  }
  return sources;
}

/**
 * Read and compile the views of a pipeline's `fhir.*` outputs, once per run. Each view table
 * takes the steward metadata of its dataset file, when the datasets have one.
 * @throws ConfigError listing every problem of the view files, each under its path;
 * PipelineError for a missing path.
 */
export function loadFhirViews(
  pipeline: LoadedPipeline,
  datasets?: ReadonlyMap<string, DatasetDefinition>,
): FhirViewSet {
  const sources = readFhirViewSources(fhirViewPathsOf(pipeline));
  return compileFhirViews(sources, { tables: pipeline.outputs, ...(datasets ? { datasets } : {}) });
}
