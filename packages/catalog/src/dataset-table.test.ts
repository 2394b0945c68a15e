// Real dataset files from pipelines/datasets, parsed with the core schema, registered in a real SQLite file.
import { join } from 'node:path';
import type { DatasetDefinition } from '@carelake/core';
import { tableInputFromDataset } from './dataset-table';
import { SqliteCatalog } from './sqlite/sqlite-catalog';
import {
  datasetFileNames,
  loadDatasets,
  makeTempDir,
  removeTempDir,
} from './__fixtures__/catalog-fixtures';

let datasets: Array<{ file: string; dataset: DatasetDefinition }>;

beforeAll(async () => {
  datasets = await loadDatasets();
});

const DATASET_FILES = datasetFileNames().map((file) => ({ case: file, file }));

function datasetNamed(file: string): DatasetDefinition {
  const found = datasets.find((entry) => entry.file === file);
  if (!found) throw new Error(`dataset file ${file} is missing from pipelines/datasets`);
  return found.dataset;
}

describe('tableInputFromDataset', () => {
  it('finds the dataset files', () => {
    expect(DATASET_FILES.map((entry) => entry.file)).toEqual(
      expect.arrayContaining([
        'clinical.observations.dataset.yaml',
        'clinical.patients.dataset.yaml',
        'raw.fhir_resources.dataset.yaml',
        'raw.hl7v2_segments.dataset.yaml',
      ]),
    );
  });

  it.each(DATASET_FILES)('$case keeps partition keys apart', ({ file }) => {
    const dataset = datasetNamed(file);
    const input = tableInputFromDataset(dataset, 'curated/x/');
    const columnNames = input.columns.map((column) => column.name);
    const declared = Object.keys(dataset.columns);

    // View tables (fhir.*) and the small de-identification crosswalk are not partitioned:
    // every declared column stays a column.
    const unpartitioned = file.startsWith('fhir.') || file === 'restricted.deid_crosswalk.dataset.yaml';
    expect(dataset.partitionBy.length > 0).toBe(!unpartitioned);
    expect(input.partitionKeys!.map((key) => key.name)).toEqual(dataset.partitionBy);
    for (const key of dataset.partitionBy) expect(columnNames).not.toContain(key);
    expect(input.columns).toHaveLength(declared.length - dataset.partitionBy.length);
    expect(columnNames).toEqual(declared.filter((name) => !dataset.partitionBy.includes(name)));
  });

  it.each(DATASET_FILES)('$case copies types and comments', ({ file }) => {
    const dataset = datasetNamed(file);
    const input = tableInputFromDataset(dataset, 'curated/x/');
    for (const column of [...input.columns, ...input.partitionKeys!]) {
      const declared = dataset.columns[column.name]!;
      expect({ name: column.name, type: column.type, comment: column.comment }).toEqual({
        name: column.name,
        type: declared.type,
        comment: declared.description,
      });
    }
  });

  it.each(DATASET_FILES)('$case carries steward parameters', ({ file }) => {
    const dataset = datasetNamed(file);
    const [database, table] = dataset.table.split('.');
    const input = tableInputFromDataset(dataset, `curated/${database}/${table}/`);

    expect(input.database).toBe(database);
    expect(input.name).toBe(table);
    expect(input.location).toBe(`curated/${database}/${table}/`);
    expect(input.description).toBe(dataset.description.trim());
    expect(input.description!.endsWith('\n')).toBe(false);
    expect(input.parameters).toEqual({
      classification: 'parquet',
      'carelake.owner': dataset.owner,
      'carelake.steward': dataset.steward,
      'carelake.domain': dataset.domain,
      'carelake.classification': dataset.classification,
      'carelake.retention': dataset.retention,
      'carelake.kind': dataset.kind,
      'carelake.update_frequency': dataset.updateFrequency,
      ...(dataset.key.length > 0 ? { 'carelake.key': dataset.key.join(',') } : {}),
    });
  });

  it('maps column steward metadata', () => {
    const input = tableInputFromDataset(
      datasetNamed('clinical.patients.dataset.yaml'),
      'curated/clinical/patients/',
    );
    const byName = new Map(input.columns.map((column) => [column.name, column.parameters]));
    expect(byName.get('sex')).toEqual({
      'carelake.classification': 'limited',
      'carelake.identifier': 'quasi',
      'carelake.vocabulary': 'administrative-gender',
    });
    expect(byName.get('patient_key')).toEqual({
      'carelake.classification': 'phi',
      'carelake.identifier': 'medical_record_number',
    });
    expect(byName.get('is_deleted')).toEqual({ 'carelake.classification': 'public' });
    // source_format is the partition key of clinical.patients.
    expect(input.partitionKeys).toEqual([
      {
        name: 'source_format',
        type: 'string',
        comment: 'hl7v2, fhir or csv',
        parameters: { 'carelake.classification': 'public' },
      },
    ]);
  });

  it('maps tags and optional fields', () => {
    const dataset: DatasetDefinition = {
      ...datasetNamed('raw.fhir_resources.dataset.yaml'),
      domain: undefined,
      updateFrequency: undefined,
      tags: { source: 'bulk-export', tier: 'gold' },
    };
    const parameters = tableInputFromDataset(dataset, 'raw/raw/fhir_resources/').parameters!;
    expect(parameters['carelake.tag.source']).toBe('bulk-export');
    expect(parameters['carelake.tag.tier']).toBe('gold');
    expect(parameters).not.toHaveProperty('carelake.domain');
    expect(parameters).not.toHaveProperty('carelake.update_frequency');
    // An append table without key columns gets no key parameter.
    expect(parameters).not.toHaveProperty('carelake.key');
  });
});

describe('registering dataset tables', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await makeTempDir();
  });

  afterEach(async () => {
    await removeTempDir(dir);
  });

  it('registers each dataset once', async () => {
    const catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite') });
    try {
      for (const { dataset } of datasets)
        await catalog.ensureDatabase(dataset.table.split('.')[0]!);
      for (const { dataset } of datasets) {
        const input = tableInputFromDataset(dataset, `lake/${dataset.table}/`);
        expect(await catalog.upsertTable(input)).toEqual({
          created: true,
          changed: true,
          version: 1,
        });
      }
      // Built again from the same files, as a second pipeline run does.
      for (const { dataset } of datasets) {
        const input = tableInputFromDataset(dataset, `lake/${dataset.table}/`);
        expect(await catalog.upsertTable(input)).toEqual({
          created: false,
          changed: false,
          version: 1,
        });
      }
      const tables = await catalog.listTables();
      expect(tables.map((table) => `${table.database}.${table.name}`)).toEqual(
        datasets.map((entry) => entry.dataset.table).sort(),
      );
    } finally {
      await catalog.close();
    }
  });
});
