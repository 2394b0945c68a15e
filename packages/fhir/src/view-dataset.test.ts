// Real: the view compiler on views written in the test, and the shipped view and dataset files; nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, datasetSchema, parseYamlDocument, type DatasetDefinition } from '@carelake/core';
import { deriveViewDataset } from './view-dataset';
import { compileFhirViews } from './view-set';
import { compileViewDefinition } from './views';

const PIPELINES_DIR = path.resolve(__dirname, '../../../pipelines');

const vitalsView = {
  resourceType: 'ViewDefinition',
  name: 'vitals',
  resource: 'Observation',
  select: [
    {
      column: [
        { name: 'id', path: 'id' },
        { name: 'value', path: 'value.ofType(Quantity).value' },
        { name: 'has_member', path: 'hasMember.exists()' },
        { name: 'categories', path: 'category.coding.code', collection: true },
      ],
    },
  ],
};

/** Builds a dataset file for vitalsView, as a steward would write it, with one change applied. */
function stewardDataset(change: (dataset: DatasetDefinition) => void = () => undefined): DatasetDefinition {
  const dataset = deriveViewDataset(compileViewDefinition(vitalsView));
  const steward: DatasetDefinition = {
    ...dataset,
    description: 'Vital signs for the ward dashboards',
    owner: 'analytics',
    classification: 'limited',
    columns: { ...dataset.columns, value: { type: 'double', nullable: true, classification: 'limited', description: 'Measured value' } },
  };
  change(steward);
  return steward;
}

/** Returns the keyPath of every issue of the ConfigError that `run` throws. */
function issueKeyPaths(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.keyPath);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('deriveViewDataset', () => {
  it('types view columns and appends the lineage columns', () => {
    const dataset = deriveViewDataset(compileViewDefinition(vitalsView));

    expect(dataset.table).toBe('fhir.vitals');
    expect(Object.entries(dataset.columns).map(([name, column]) => [name, column.type])).toEqual([
      ['id', 'string'],
      ['value', 'double'],
      ['has_member', 'boolean'],
      ['categories', 'string'],
      ['resource_key', 'string'],
      ['version_id', 'string'],
      ['last_updated', 'timestamp'],
      ['is_deleted', 'boolean'],
      ['record_hash', 'string'],
      ['source_file', 'string'],
      ['source_position', 'bigint'],
      ['ingested_at', 'timestamp'],
    ]);
  });

  it('keeps every version of each resource', () => {
    const dataset = deriveViewDataset(compileViewDefinition(vitalsView));

    expect(dataset).toMatchObject({
      kind: 'history',
      key: ['resource_key'],
      dedupeBy: 'record_hash',
      versionOrder: ['last_updated', 'ingested_at', 'source_position'],
      deletedFlag: 'is_deleted',
      rowsPerVersion: 'many',
      classification: 'phi',
    });
    expect(datasetSchema.safeParse(dataset).success).toBe(true);
  });

  it('takes the steward metadata of a matching dataset file', () => {
    const dataset = deriveViewDataset(compileViewDefinition(vitalsView), stewardDataset());

    expect(dataset.description).toBe('Vital signs for the ward dashboards');
    expect(dataset.owner).toBe('analytics');
    expect(dataset.classification).toBe('limited');
    expect(dataset.columns['value']).toEqual({ type: 'double', nullable: true, classification: 'limited', description: 'Measured value' });
    expect(dataset.columns['resource_key']?.nullable).toBe(false);
  });

  it.each([
    {
      case: 'a missing column',
      change: (dataset: DatasetDefinition) => delete dataset.columns['has_member'],
      keyPaths: ['columns.has_member'],
    },
    {
      case: 'an extra column',
      change: (dataset: DatasetDefinition) => (dataset.columns['unit'] = { type: 'string', nullable: true }),
      keyPaths: ['columns.unit'],
    },
    {
      case: 'another type',
      change: (dataset: DatasetDefinition) => (dataset.columns['value'] = { type: 'int', nullable: true }),
      keyPaths: ['columns.value.type'],
    },
    {
      case: 'another lineage type',
      change: (dataset: DatasetDefinition) => (dataset.columns['source_position'] = { type: 'int', nullable: false }),
      keyPaths: ['columns.source_position.type'],
    },
    {
      case: 'a non-nullable view column',
      change: (dataset: DatasetDefinition) => (dataset.columns['id'] = { type: 'string', nullable: false }),
      keyPaths: ['columns.id.nullable'],
    },
    {
      case: 'other history settings',
      change: (dataset: DatasetDefinition) => {
        dataset.kind = 'append';
        dataset.rowsPerVersion = 'one';
        dataset.versionOrder = ['ingested_at'];
      },
      keyPaths: ['kind', 'versionOrder', 'rowsPerVersion'],
    },
  ])('reports a dataset file with $case', ({ change, keyPaths }) => {
    const view = compileViewDefinition(vitalsView);
    expect(issueKeyPaths(() => deriveViewDataset(view, stewardDataset(change)))).toEqual(keyPaths);
  });

  it.each([
    { case: 'an upper-case name', view: { ...vitalsView, name: 'Vitals' }, keyPaths: ['name'] },
    {
      case: 'an upper-case column name',
      view: { ...vitalsView, select: [{ column: [{ name: 'birthDate', path: 'id' }] }] },
      keyPaths: ['columns.birthDate'],
    },
    {
      case: 'a lineage column name',
      view: { ...vitalsView, select: [{ column: [{ name: 'last_updated', path: 'meta.lastUpdated' }] }] },
      keyPaths: ['columns.last_updated'],
    },
  ])('rejects a view with $case', ({ view, keyPaths }) => {
    expect(issueKeyPaths(() => deriveViewDataset(compileViewDefinition(view)))).toEqual(keyPaths);
  });
});

describe('shipped views and dataset files', () => {
  const viewsDir = path.join(PIPELINES_DIR, 'views', 'fhir');
  const sources = readdirSync(viewsDir)
    .filter((name) => name.endsWith('.view.json'))
    .sort()
    .map((name) => ({ file: path.join(viewsDir, name), text: readFileSync(path.join(viewsDir, name), 'utf8') }));

  const datasetsDir = path.join(PIPELINES_DIR, 'datasets');
  const datasets = new Map(
    readdirSync(datasetsDir)
      .filter((name) => name.startsWith('fhir.') && name.endsWith('.dataset.yaml'))
      .map((name) => {
        const dataset = parseYamlDocument(readFileSync(path.join(datasetsDir, name), 'utf8'), name, datasetSchema);
        return [dataset.table, dataset] as const;
      }),
  );

  it('ship one dataset file for each view', () => {
    const tables = compileFhirViews(sources).tables.map((table) => table.table).sort();
    expect([...datasets.keys()].sort()).toEqual(tables);
    expect(tables).toEqual([
      'fhir.allergy_intolerance',
      'fhir.claim',
      'fhir.condition',
      'fhir.diagnostic_report',
      'fhir.encounter',
      'fhir.explanation_of_benefit',
      'fhir.immunization',
      'fhir.medication_request',
      'fhir.observation',
      'fhir.observation_component',
      'fhir.patient',
      'fhir.procedure',
    ]);
  });

  it('match their views', () => {
    const compiled = compileFhirViews(sources, { datasets });
    const patient = compiled.find('fhir.patient');
    expect(patient?.dataset.columns['birth_date']).toMatchObject({ classification: 'phi', identifier: 'date' });
  });
});
