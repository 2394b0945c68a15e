// loadPolicies on real policy files: the repository's examples and files written to a temp folder; datasets are real dataset files or in-memory definitions.
import { ConfigError } from '@carelake/core';
import { POLICIES_FOLDER, repositoryConfig, repositoryDatasets, temporaryFolder } from '../__fixtures__/repository';
import { SMALL_CONFIG, SMALL_DATASETS } from '../__fixtures__/small-lake';
import { loadPolicies } from './load-policies';

/** Return the ConfigError a load raises, or fail the test when it raises none. */
function loadError(files: Record<string, string>): ConfigError {
  const { folder, cleanup } = temporaryFolder(files);
  try {
    loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  } finally {
    cleanup();
  }
  throw new Error('expected the policies to be rejected');
}

describe('loadPolicies', () => {
  it('reads the repository examples into one set', () => {
    const set = loadPolicies(POLICIES_FOLDER, { config: repositoryConfig(), datasets: repositoryDatasets() });

    expect(set.files).toEqual(['analysts.policy.yaml', 'researcher.policy.yaml', 'steward.policy.yaml', 'tags.policy.yaml']);
    expect(set.tables).toHaveLength(32);
    // One filter per clinical table, each parsed into the same tree.
    expect(set.dataCellsFilters).toHaveLength(10);
    expect(set.dataCellsFilters[0]?.rowFilter?.tree).toEqual({
      kind: 'comparison',
      column: 'facility',
      operator: '=',
      value: { kind: 'string', value: 'NORTH_CLINIC' },
    });
    expect(set.grants.filter((grant) => grant.filters !== undefined)).toHaveLength(10);
    expect(set.grants.find((grant) => grant.resource.kind === 'allTables')?.resource).toEqual({ kind: 'allTables', database: 'clinical' });
    expect(set.tagGrants[0]?.expression).toEqual([{ key: 'classification', values: ['deidentified'] }]);
  });

  it('tags tables and differing columns from their classification', () => {
    const { folder, cleanup } = temporaryFolder({
      'tags.policy.yaml': 'lfTags:\n  classification: { values: [phi, limited, deidentified, public], fromDatasets: classification }\n',
    });
    try {
      const set = loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS });
      const visits = set.tagAssignments.filter((assignment) => 'table' in assignment.resource && assignment.resource.table === 'visits');

      expect(visits.map((assignment) => [assignment.resource, assignment.values])).toEqual([
        [{ kind: 'table', database: 'clinical', table: 'visits' }, ['limited']],
        [{ kind: 'column', database: 'clinical', table: 'visits', column: 'postal_code' }, ['phi']],
        [{ kind: 'column', database: 'clinical', table: 'visits', column: 'facility' }, ['public']],
        [{ kind: 'table', database: 'deid', table: 'visits' }, ['deidentified']],
        [{ kind: 'column', database: 'deid', table: 'visits', column: 'age_band' }, ['limited']],
      ]);
    } finally {
      cleanup();
    }
  });

  it('reports every problem of every file with its key path', () => {
    const error = loadError({
      'a.policy.yaml': [
        'grants:',
        '  - group: analysts',
        '    table: clinical.patients',
        '    permissions: [read]',
        '  - principal: Ana',
        '    permissions: [select]',
      ].join('\n'),
      'b.policy.yaml': [
        'dataCellsFilters:',
        '  - name: east',
        '    table: clinical.patients',
        "    rows: \"upper(facility) = 'EAST'\"",
        'lfTags:',
        '  Zone: { values: [a] }',
      ].join('\n'),
      'notes.yaml': 'not: [a policy file',
    });

    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      'a.policy.yaml grants[0].permissions[0]',
      'a.policy.yaml grants[1].principal',
      'a.policy.yaml grants[1]',
      'b.policy.yaml lfTags.Zone',
      'b.policy.yaml dataCellsFilters[0].rows',
    ]);
    expect(error.issues[2]?.message).toMatch(/needs one of database, table, tables/);
    expect(error.issues[4]?.message).toBe(
      'invalid row filter: function calls are not allowed (upper) at character 1 (line 4)',
    );
  });

  it.each([
    { case: 'two grantees', text: 'grants:\n  - { principal: ana, group: analysts, table: clinical.visits, permissions: [select] }\n', keyPath: 'x.policy.yaml grants[0].group', message: /only one of principal, group/ },
    { case: 'upper case tag value', text: 'tagAssignments:\n  - { table: clinical.visits, tags: { zone: East } }\n', keyPath: 'x.policy.yaml tagAssignments[0].tags.zone', message: /lower case/ },
    { case: 'tag over 50 characters', text: `lfTags:\n  ${'k'.repeat(51)}: { values: [a] }\n`, keyPath: `x.policy.yaml lfTags.${'k'.repeat(51)}`, message: /1 to 50/ },
    { case: 'columns without table', text: 'tagAssignments:\n  - { database: clinical, columns: [sex], tags: { zone: a } }\n', keyPath: 'x.policy.yaml tagAssignments[0].columns', message: /needs table/ },
    { case: 'invalid ARN', text: 'principals:\n  "arn:aws:iam::12:role/x": {}\n', keyPath: 'x.policy.yaml principals.arn:aws:iam::12:role/x', message: /IAM role or user ARN/ },
    { case: 'empty column selection', text: 'grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: {} }\n', keyPath: 'x.policy.yaml grants[0].columns', message: /needs include, exclude/ },
    { case: 'limitedAllowed false with phiAllowed', text: 'groups:\n  analysts: { phiAllowed: true, limitedAllowed: false }\n', keyPath: 'x.policy.yaml groups.analysts.limitedAllowed', message: /must not be false when phiAllowed is true/ },
  ])('rejects $case', ({ text, keyPath, message }) => {
    const error = loadError({ 'x.policy.yaml': text });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.keyPath).toBe(keyPath);
    expect(error.issues[0]?.message).toMatch(message);
  });

  it.each([
    { case: 'neither attribute', attributes: '{}', phiAllowed: false, limitedAllowed: false },
    { case: 'limitedAllowed alone', attributes: '{ limitedAllowed: true }', phiAllowed: false, limitedAllowed: true },
    { case: 'phiAllowed alone', attributes: '{ phiAllowed: true }', phiAllowed: true, limitedAllowed: true },
    { case: 'both', attributes: '{ phiAllowed: true, limitedAllowed: true }', phiAllowed: true, limitedAllowed: true },
  ])('reads data attributes from $case', ({ attributes, phiAllowed, limitedAllowed }) => {
    const { folder, cleanup } = temporaryFolder({ 'x.policy.yaml': `principals:\n  rita: ${attributes}\n` });
    try {
      const [rita] = loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS }).principals;

      expect(rita?.phiAllowed).toBe(phiAllowed);
      expect(rita?.limitedAllowed).toBe(limitedAllowed);
    } finally {
      cleanup();
    }
  });

  it('rejects a missing folder', () => {
    expect(() => loadPolicies('/nonexistent/policies', { config: SMALL_CONFIG, datasets: SMALL_DATASETS })).toThrow(
      'policy folder /nonexistent/policies not found',
    );
  });
});
