// Real: the repository's policy and dataset YAML files, the YAML parser and schemas. Nothing is faked.
import { ConfigError, DATASET_PARSE_OPTIONS, datasetSchema, parseYamlDocument } from '@carelake/core';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { PolicyResolutionError } from './errors';
import { parseLifecyclePolicyFile, type LifecyclePolicyFile } from './policy-file';
import { resolveDatasetPolicy } from './resolve-policy';
import { validateLifecyclePolicies } from './validate';

const pipelinesDir = path.resolve(__dirname, '../../../pipelines');
const examplePath = path.join(pipelinesDir, 'policies/retention.lifecycle.yaml');

function loadExample(): LifecyclePolicyFile {
  return parseLifecyclePolicyFile(readFileSync(examplePath, 'utf8'), examplePath);
}

describe('parseLifecyclePolicyFile', () => {
  it('parses the example policies', () => {
    const file = loadExample();

    expect(Object.keys(file.policies)).toEqual(['phi-standard', 'deidentified-standard', 'reference-standard']);
    expect(file.policies['phi-standard']?.transitions.map((transition) => transition.days)).toEqual([90, 365, 1095]);
    expect(file.defaults.public).toBe('reference-standard');
  });

  it('validates the example against every dataset without errors', () => {
    const datasetsDir = path.join(pipelinesDir, 'datasets');
    const datasets = readdirSync(datasetsDir)
      .filter((name) => name.endsWith('.dataset.yaml'))
      .map((name) => parseYamlDocument(readFileSync(path.join(datasetsDir, name), 'utf8'), name, datasetSchema, DATASET_PARSE_OPTIONS));

    const issues = validateLifecyclePolicies(loadExample(), { datasets });

    expect(datasets.length).toBeGreaterThan(20);
    expect(issues).toEqual([]);
  });

  it('lists every invalid key path', () => {
    const text = [
      'policies:',
      '  phi-standard:',
      '    description: x',
      '    transitions:',
      '      - { days: -1, storageClass: STANDARD_IA }',
      '      - { days: 400, storageClass: REDUCED_REDUNDANCY }',
      '  Bad_Name: { description: y }',
      'defaults:',
      '  phi: missing-policy',
    ].join('\n');

    let caught: unknown;
    try {
      parseLifecyclePolicyFile(text, 'bad.lifecycle.yaml');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    const keyPaths = (caught as ConfigError).issues.map((issue) => issue.keyPath).sort();
    expect(keyPaths).toEqual([
      'policies.Bad_Name',
      'policies.phi-standard.transitions[0].days',
      'policies.phi-standard.transitions[1].storageClass',
    ]);
  });

  it('rejects a default naming an undeclared policy', () => {
    const text = 'policies:\n  a: { description: x }\ndefaults:\n  phi: b\n';

    expect(() => parseLifecyclePolicyFile(text, 'defaults.lifecycle.yaml')).toThrow(ConfigError);
    try {
      parseLifecyclePolicyFile(text, 'defaults.lifecycle.yaml');
    } catch (error) {
      expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual(['defaults.phi']);
    }
  });
});

describe('resolveDatasetPolicy', () => {
  it.each([
    { case: 'named by the dataset', retention: 'deidentified-standard', classification: 'phi' as const, policyName: 'deidentified-standard', source: 'dataset', expireAfterDays: 730 },
    { case: 'default of phi', retention: undefined, classification: 'phi' as const, policyName: 'phi-standard', source: 'classification', expireAfterDays: 3650 },
    { case: 'default of public', retention: undefined, classification: 'public' as const, policyName: 'reference-standard', source: 'classification', expireAfterDays: undefined },
  ])('resolves $case', ({ retention, classification, policyName, source, expireAfterDays }) => {
    const resolved = resolveDatasetPolicy({ table: 'clinical.encounters', classification, retention }, loadExample());

    expect(resolved.policyName).toBe(policyName);
    expect(resolved.source).toBe(source);
    expect(resolved.expireAfterDays).toBe(expireAfterDays);
  });

  it.each([
    { case: 'every jurisdiction', jurisdictions: undefined, retentionDays: 3650 },
    { case: 'a listed jurisdiction', jurisdictions: ['US'], retentionDays: 3650 },
    { case: 'no listed jurisdiction', jurisdictions: ['CA-ON'], retentionDays: undefined },
  ])('applies retention of $case', ({ jurisdictions, retentionDays }) => {
    const resolved = resolveDatasetPolicy({ table: 'clinical.encounters', classification: 'phi', retention: 'phi-standard' }, loadExample(), { jurisdictions });

    expect(resolved.retentionDays).toBe(retentionDays);
    expect(resolved.expireAfterDays).toBe(retentionDays);
  });

  it.each([
    { case: 'an undeclared policy', retention: 'phi-forever', keyPath: 'retention' },
    { case: 'no policy and no default', retention: undefined, keyPath: 'retention' },
  ])('rejects $case', ({ retention, keyPath }) => {
    const file: LifecyclePolicyFile = { ...loadExample(), defaults: {} };

    let caught: unknown;
    try {
      resolveDatasetPolicy({ table: 'clinical.encounters', classification: 'phi', retention }, file);
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(PolicyResolutionError);
    expect((caught as PolicyResolutionError).position?.keyPath).toBe(keyPath);
    expect((caught as PolicyResolutionError).message).toContain('clinical.encounters');
  });
});
