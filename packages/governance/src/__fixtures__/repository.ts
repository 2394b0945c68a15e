import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DATASET_PARSE_OPTIONS, datasetSchema, loadConfig, parseYamlDocument, type CarelakeConfig, type DatasetDefinition } from '@carelake/core';

/** The repository checkout, whose pipelines/ and carelake.yaml the tests read as users would. */
export const REPOSITORY_ROOT = resolve(__dirname, '../../../..');
export const POLICIES_FOLDER = join(REPOSITORY_ROOT, 'pipelines/policies');

/** Read every dataset file of pipelines/datasets/. */
export function repositoryDatasets(): DatasetDefinition[] {
  const folder = join(REPOSITORY_ROOT, 'pipelines/datasets');
  return readdirSync(folder)
    .filter((name) => name.endsWith('.dataset.yaml'))
    .sort()
    .map((name) => parseYamlDocument(readFileSync(join(folder, name), 'utf8'), name, datasetSchema, DATASET_PARSE_OPTIONS));
}

/**
 * Read the repository's carelake.yaml without environment overrides, and add the `researcher`
 * principal that the example policies name, as proposed for that file.
 */
export function repositoryConfig(): CarelakeConfig {
  const config = loadConfig({ file: join(REPOSITORY_ROOT, 'carelake.yaml'), env: {} });
  return { ...config, principals: { ...config.principals, researcher: { role: 'user', groups: [] } } };
}

/** Create a temporary folder with the given files; `cleanup` removes it. */
export function temporaryFolder(files: Record<string, string> = {}): { folder: string; cleanup: () => void } {
  const folder = mkdtempSync(join(tmpdir(), 'carelake-governance-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(folder, name), text);
  return { folder, cleanup: () => rmSync(folder, { recursive: true, force: true }) };
}
