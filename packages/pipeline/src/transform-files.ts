import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { PipelineError } from './errors';
import type { LoadedPipeline } from './pipeline-file';

/** File name suffix of SQL transform files in a transform folder. */
export const SQL_TRANSFORM_SUFFIX = '.sql';

/** Database of the tables SQL transforms write: a file named `patients.sql` writes `clinical.patients`. */
export const TRANSFORM_TARGET_DATABASE = 'clinical';

/** The SQL transforms from the fhir view tables into the clinical tables that the repository ships. */
export const BUILT_IN_FHIR_TRANSFORMS_DIR = resolve(
  __dirname,
  '..',
  '..',
  '..',
  'pipelines',
  'transforms',
  'fhir',
);

/** The text of one SQL transform file and the table its name gives. */
export interface SqlTransformSource {
  /** Absolute path, which transform errors report. */
  file: string;
  /** `clinical.<file name without .sql>`. */
  table: string;
  sql: string;
}

/**
 * True when a pipeline can read FHIR: `decode.format` is `fhir`, or `auto` with a directory or
 * kinesis source. An MLLP source carries HL7 v2 only.
 */
export function canDecodeFhir(pipeline: LoadedPipeline): boolean {
  if (pipeline.decode.format === 'fhir') return true;
  return pipeline.decode.format === 'auto' && (pipeline.source.type === 'directory' || pipeline.source.type === 'kinesis');
}

/**
 * List the transform files or folders of a pipeline as absolute paths. They are its `transforms`
 * entries resolved against the pipeline file's folder. Left out, a pipeline that can read FHIR
 * uses `transforms/fhir` beside the pipeline file when that folder exists, else the built-in
 * transforms. A pipeline that cannot read FHIR uses none.
 */
export function sqlTransformPathsOf(pipeline: LoadedPipeline): string[] {
  if (pipeline.transforms !== undefined)
    return pipeline.transforms.map((entry) => resolve(pipeline.baseDir, entry));
  if (!canDecodeFhir(pipeline)) return [];
  const beside = join(pipeline.baseDir, 'transforms', 'fhir');
  return [existsSync(beside) ? beside : BUILT_IN_FHIR_TRANSFORMS_DIR];
}

/**
 * Read transform files: a file is read as it is, a folder gives its `*.sql` files in name order.
 * @throws PipelineError when a path does not exist or a folder has no SQL file.
 */
export function readSqlTransformSources(paths: readonly string[]): SqlTransformSource[] {
  const sources: SqlTransformSource[] = [];
  for (const path of paths) {
    if (!existsSync(path)) {
      throw new PipelineError(`SQL transform path ${path} does not exist`, {
        hint: 'Fix the transforms entry of the pipeline file; paths are relative to the pipeline file.',
      });
    }
    const files = statSync(path).isDirectory()
      ? readdirSync(path)
          .filter((name) => name.endsWith(SQL_TRANSFORM_SUFFIX))
          .sort()
          .map((name) => join(path, name))
      : [path];
    if (files.length === 0) {
      throw new PipelineError(`SQL transform folder ${path} has no *${SQL_TRANSFORM_SUFFIX} file`, {
        hint: `Add transform files to it, or copy them from ${BUILT_IN_FHIR_TRANSFORMS_DIR}.`,
      });
    }
    for (const file of files) {
      const table = `${TRANSFORM_TARGET_DATABASE}.${basename(file, SQL_TRANSFORM_SUFFIX)}`;
      sources.push({ file, table, sql: readFileSync(file, 'utf8') });
    }
  }
  return sources;
}
