import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_PARSE_OPTIONS, datasetSchema, parseYamlDocument, type DatasetDefinition } from '@carelake/core';
import { DatasetNotFoundError } from './errors';

const SUFFIX = '.dataset.yaml';

/** Read every `*.dataset.yaml` in a folder, keyed by `database.table`. */
export function loadDatasets(folder: string): Map<string, DatasetDefinition> {
  const datasets = new Map<string, DatasetDefinition>();
  for (const name of readdirSync(folder).filter((entry) => entry.endsWith(SUFFIX)).sort()) {
    const dataset = parseYamlDocument(readFileSync(join(folder, name), 'utf8'), name, datasetSchema, DATASET_PARSE_OPTIONS);
    datasets.set(dataset.table, dataset);
  }
  return datasets;
}

export function requireDataset(datasets: Map<string, DatasetDefinition>, table: string): DatasetDefinition {
  const dataset = datasets.get(table);
  if (!dataset) {
    throw new DatasetNotFoundError(`no dataset file describes ${table}`, {
      hint: `Add ${table}${SUFFIX} to the datasets folder (known: ${[...datasets.keys()].join(', ') || 'none'}).`,
    });
  }
  return dataset;
}
