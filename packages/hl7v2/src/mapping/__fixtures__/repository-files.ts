import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { datasetSchema, parseYamlDocument, type DatasetDefinition } from '@carelake/core';
import type { Hl7MappingSource } from '../compile/compile-mappings';

/** The repository's pipelines folder: dataset files and the built-in HL7 v2 mapping files. */
const PIPELINES_DIR = resolve(__dirname, '../../../../../pipelines');
export const DATASETS_DIR = join(PIPELINES_DIR, 'datasets');
export const MAPPINGS_DIR = join(PIPELINES_DIR, 'mappings', 'hl7v2');

/** Load every dataset file of the repository, by `database.table`. */
export function loadRepositoryDatasets(): Map<string, DatasetDefinition> {
  const datasets = new Map<string, DatasetDefinition>();
  for (const name of readdirSync(DATASETS_DIR).filter((entry) => entry.endsWith('.dataset.yaml'))) {
    const dataset = parseYamlDocument(
      readFileSync(join(DATASETS_DIR, name), 'utf8'),
      name,
      datasetSchema,
    );
    datasets.set(dataset.table, dataset);
  }
  return datasets;
}

/** Read the built-in mapping files, in name order. */
export function readBuiltInMappings(): Hl7MappingSource[] {
  return readdirSync(MAPPINGS_DIR)
    .filter((name) => name.endsWith('.mapping.yaml'))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(MAPPINGS_DIR, file), 'utf8') }));
}
