import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATASET_PARSE_OPTIONS, datasetSchema, parseYamlDocument, type DatasetDefinition } from '@carelake/core';
import { DatasetNotFoundError } from './errors';

const SUFFIX = '.dataset.yaml';

/** Table names listed in a "no dataset file" hint before the rest are counted. */
const LISTED_TABLES = 8;

/** Read every `*.dataset.yaml` in a folder, keyed by `database.table`. */
export function loadDatasets(folder: string): Map<string, DatasetDefinition> {
  if (!existsSync(folder)) {
    throw new DatasetNotFoundError(`datasets folder not found: ${folder}`, {
      hint: 'A pipeline file reads the *.dataset.yaml files of the datasets/ folder beside it. Keep the pipeline file in the folder that has datasets/ (such as pipelines/), or pass --datasets DIR.',
    });
  }
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
      hint: `Add ${table}${SUFFIX} to the datasets folder the run reads (it describes ${describeKnown([...datasets.keys()])}).`,
    });
  }
  return dataset;
}

function describeKnown(tables: string[]): string {
  if (tables.length === 0) return 'no table';
  const listed = tables.slice(0, LISTED_TABLES).join(', ');
  return tables.length > LISTED_TABLES ? `${listed} and ${tables.length - LISTED_TABLES} more` : listed;
}
