// Real: dataset YAML parsed by the schema the runner and the catalog use. Nothing is faked.
import { datasetSchema } from './dataset';
import { ConfigError } from './errors';
import { parseYamlDocument } from './yaml-document';

const base = {
  table: 'registry.visits',
  description: 'Visits of a registry.',
  classification: 'public',
  columns: { visit_id: { type: 'string' }, age_band: { type: 'string' } },
};

function keyPathsOf(dataset: object): string[] {
  try {
    parseYamlDocument(JSON.stringify(dataset), 'visits.dataset.yaml', datasetSchema);
    return [];
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.issues.map((issue) => `${issue.keyPath}: ${issue.message}`);
  }
}

describe('datasetSchema stewardship of PHI', () => {
  it('accepts public data without an owner', () => {
    expect(keyPathsOf(base)).toEqual([]);
  });

  it('requires all three for a phi table', () => {
    expect(keyPathsOf({ ...base, classification: 'phi' })).toEqual([
      'owner: is required because the table is classified phi (line 1)',
      'steward: is required because the table is classified phi (line 1)',
      'retention: is required because the table is classified phi (line 1)',
    ]);
  });

  it('names the first phi column', () => {
    const dataset = {
      ...base,
      owner: 'registry-team',
      columns: { ...base.columns, birth_date: { type: 'date', classification: 'phi' } },
    };

    expect(keyPathsOf(dataset)).toEqual([
      'steward: is required because column birth_date is classified phi (line 1)',
      'retention: is required because column birth_date is classified phi (line 1)',
    ]);
  });

  it('reports every problem at once', () => {
    const dataset = { ...base, classification: 'phi', key: ['missing_column'], kind: 'history' };

    expect(keyPathsOf(dataset)).toHaveLength(4);
  });
});
