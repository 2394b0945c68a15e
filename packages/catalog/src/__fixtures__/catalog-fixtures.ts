import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { datasetSchema, parseYamlDocument, type DatasetDefinition } from '@carelake/core';
import type { TableInput } from '../catalog';

export const DATASETS_DIR = resolve(__dirname, '../../../../pipelines/datasets');

/** Names of the repository's dataset files, read synchronously so that `it.each` can list them. */
export function datasetFileNames(): string[] {
  return readdirSync(DATASETS_DIR)
    .filter((file) => file.endsWith('.dataset.yaml'))
    .sort();
}

/** Load every dataset file of the repository, parsed and validated with the core dataset schema. */
export async function loadDatasets(): Promise<Array<{ file: string; dataset: DatasetDefinition }>> {
  return Promise.all(
    datasetFileNames().map(async (file) => {
      const text = await readFile(join(DATASETS_DIR, file), 'utf8');
      return { file, dataset: parseYamlDocument(text, file, datasetSchema) };
    }),
  );
}

export async function makeTempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'carelake-catalog-'));
}

export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/** Build a small partitioned table input, shaped like clinical.encounters. */
export function encountersInput(): TableInput {
  return {
    database: 'clinical',
    name: 'encounters',
    description: 'One row per encounter version',
    location: 'curated/clinical/encounters/',
    columns: [
      { name: 'encounter_key', type: 'string', comment: 'Source-qualified encounter id' },
      { name: 'patient_key', type: 'string', parameters: { 'carelake.classification': 'phi' } },
      { name: 'admit_time', type: 'timestamp' },
    ],
    partitionKeys: [{ name: 'admit_month', type: 'string' }],
    parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
  };
}

/** Await a promise that must reject and return its error, so a test can assert its class and fields one by one. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
