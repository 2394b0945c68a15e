import { readFileSync } from 'node:fs';
import path from 'node:path';
import { datasetSchema, parseYamlDocument } from '@carelake/core';

const DATASETS_DIR = path.resolve(__dirname, '../../../../pipelines/datasets');

/** Reads the column names of a table from its dataset file, in the file's order. */
export function datasetColumns(table: string): string[] {
  const text = readFileSync(path.join(DATASETS_DIR, `${table}.dataset.yaml`), 'utf8');
  const dataset = parseYamlDocument(text, `${table}.dataset.yaml`, datasetSchema);
  return Object.keys(dataset.columns);
}
