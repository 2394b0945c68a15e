import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { z } from 'zod';
import { parseYamlDocument } from '@carelake/core';

const tableName = z.string().regex(/^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/, 'must be database.table in lower case');

const directorySource = z
  .object({
    type: z.literal('directory'),
    /** Folder to read, relative to the pipeline file. */
    path: z.string().min(1),
    /** File name suffixes to take; others are left alone. */
    include: z.array(z.string().min(1)).default(['.hl7', '.json', '.ndjson', '.ndjson.gz']),
  })
  .strict();

export const pipelineSchema = z
  .object({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'must be lower case letters, digits and "-", starting with a letter'),
    description: z.string().optional(),
    source: z.discriminatedUnion('type', [directorySource]),
    decode: z
      .object({
        /** `auto` picks the decoder by file name: .hl7 for HL7 v2, .json and .ndjson for FHIR. */
        format: z.enum(['auto', 'hl7v2', 'fhir']).default('auto'),
        mode: z.enum(['lenient', 'strict']).default('lenient'),
      })
      .strict()
      .default({ format: 'auto', mode: 'lenient' }),
    outputs: z.array(tableName).min(1),
    /** Rows collected across files before one commit per table. */
    batchRows: z.number().int().min(1).max(10_000_000).default(100_000),
  })
  .strict();

export type PipelineDefinition = z.output<typeof pipelineSchema>;

export interface LoadedPipeline extends PipelineDefinition {
  file: string;
  /** Absolute folder the source path is resolved against. */
  baseDir: string;
}

export function loadPipelineFile(path: string): LoadedPipeline {
  const file = resolve(path);
  const definition = parseYamlDocument(readFileSync(file, 'utf8'), basename(file), pipelineSchema);
  return { ...definition, file, baseDir: dirname(file) };
}
