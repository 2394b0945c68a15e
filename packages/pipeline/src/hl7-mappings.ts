import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { DatasetDefinition } from '@carelake/core';
import { compileHl7Mappings, type Hl7MappingSet, type Hl7MappingSource } from '@carelake/hl7v2';
import { PipelineError } from './errors';
import type { LoadedPipeline } from './pipeline-file';

/** File name suffix of HL7 v2 mapping files in a mapping folder. */
export const HL7_MAPPING_SUFFIX = '.mapping.yaml';

/** The HL7 v2 mapping files the repository ships, beside its dataset files. */
export const BUILT_IN_HL7_MAPPINGS_DIR = resolve(
  __dirname,
  '..',
  '..',
  '..',
  'pipelines',
  'mappings',
  'hl7v2',
);

/**
 * List the mapping files or folders of a pipeline as absolute paths. They are its `map` entries
 * resolved against the pipeline file's folder, else `mappings/hl7v2` beside the pipeline file
 * when that folder exists, else the built-in mappings.
 */
export function hl7MappingPathsOf(pipeline: LoadedPipeline): string[] {
  if (pipeline.map !== undefined)
    return pipeline.map.map((entry) => resolve(pipeline.baseDir, entry));
  const beside = join(pipeline.baseDir, 'mappings', 'hl7v2');
  return [existsSync(beside) ? beside : BUILT_IN_HL7_MAPPINGS_DIR];
}

/**
 * Read mapping files: a file is read as it is, a folder gives its `*.mapping.yaml` files in name
 * order. Each source is named by its file name, which mapping errors report.
 * @throws PipelineError when a path does not exist or a folder has no mapping file.
 */
export function readHl7MappingSources(paths: readonly string[]): Hl7MappingSource[] {
  const sources: Hl7MappingSource[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      throw new PipelineError(`HL7 v2 mapping path ${path} does not exist`, {
        hint: 'Fix the map entry of the pipeline file; paths are relative to the pipeline file.',
      });
    }
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith(HL7_MAPPING_SUFFIX))
          .sort()
          .map((name) => join(path, name))
      : [path];
    if (files.length === 0) {
      throw new PipelineError(`HL7 v2 mapping folder ${path} has no *${HL7_MAPPING_SUFFIX} file`, {
        hint: `Add mapping files to it, or copy them from ${BUILT_IN_HL7_MAPPINGS_DIR}.`,
      });
    }
    for (const file of files)
      sources.push({ file: basename(file), text: readFileSync(file, 'utf8') });
  }
  return sources;
}

/**
 * Read and compile the HL7 v2 mappings of a pipeline, once per run, keeping the files whose
 * table is one of the pipeline's outputs. With the datasets, each file is checked against its
 * table's dataset. Timestamps without an offset are local times in `decode.timeZone`.
 * @throws ConfigError listing every problem of the mapping files; PipelineError for a missing path.
 */
export function loadHl7Mappings(
  pipeline: LoadedPipeline,
  datasets?: ReadonlyMap<string, DatasetDefinition>,
): Hl7MappingSet {
  const sources = readHl7MappingSources(hl7MappingPathsOf(pipeline));
  return compileHl7Mappings(sources, {
    tables: pipeline.outputs,
    ...(datasets ? { datasets } : {}),
    ...(pipeline.decode.timeZone !== undefined ? { senderTimeZone: pipeline.decode.timeZone } : {}),
  });
}
