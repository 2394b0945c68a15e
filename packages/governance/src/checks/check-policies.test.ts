// checkPolicies on policy files written to a temp folder and the repository's examples; datasets are in-memory definitions or the repository's files.
import type { PolicyProblem } from '../errors';
import { loadPolicies } from '../policy/load-policies';
import { POLICIES_FOLDER, repositoryConfig, repositoryDatasets, temporaryFolder } from '../__fixtures__/repository';
import { SMALL_CONFIG, SMALL_DATASETS } from '../__fixtures__/small-lake';
import { checkPolicies } from './check-policies';

const TAGS = 'lfTags:\n  classification: { values: [phi, limited, deidentified, public], fromDatasets: classification }\n  zone: { values: [east, west] }\n';
const ANALYSTS_NO_PHI = 'groups:\n  analysts: { phiAllowed: false }\n';
const ANALYSTS_PHI = 'groups:\n  analysts: { phiAllowed: true }\n';
const EAST_FILTER = "dataCellsFilters:\n  - { name: east, table: clinical.visits, rows: \"facility = 'EAST'\", columns: { exclude: [postal_code] } }\n";

function problemsOf(text: string): PolicyProblem[] {
  const { folder, cleanup } = temporaryFolder({ 'p.policy.yaml': text });
  try {
    return checkPolicies(loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS }));
  } finally {
    cleanup();
  }
}

describe('checkPolicies', () => {
  it('finds nothing wrong in the repository examples', () => {
    const set = loadPolicies(POLICIES_FOLDER, { config: repositoryConfig(), datasets: repositoryDatasets() });

    expect(checkPolicies(set)).toEqual([]);
  });

  it('finds nothing wrong in a filtered grant without PHI', () => {
    expect(problemsOf(`${ANALYSTS_NO_PHI}${EAST_FILTER}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east] }\n`)).toEqual([]);
  });

  it.each([
    {
      case: 'unknown table',
      text: 'grants:\n  - { group: analysts, tables: [clinical.visits, clinical.nope], permissions: [describe] }\n',
      code: 'unknown-table',
      keyPath: 'grants[0].tables[1]',
      message: 'table clinical.nope is not described by a dataset file',
    },
    {
      case: 'unknown column',
      text: `${ANALYSTS_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: { exclude: [postcode] } }\n`,
      code: 'unknown-column',
      keyPath: 'grants[0].columns.exclude[0]',
      message: 'column "postcode" is not a column of clinical.visits',
    },
    {
      case: 'unknown principal',
      text: 'grants:\n  - { principal: bob, table: deid.visits, permissions: [select] }\n',
      code: 'unknown-principal',
      keyPath: 'grants[0]',
      message: 'principal bob is not declared under principals in carelake.yaml',
    },
    {
      case: 'unknown group',
      text: 'groups:\n  nurses: { phiAllowed: true }\n',
      code: 'unknown-principal',
      keyPath: 'groups.nurses',
      message: 'group nurses is not declared in carelake.yaml',
    },
    {
      case: 'unknown filter',
      text: 'grants:\n  - { group: analysts, table: deid.visits, permissions: [select], filters: [east] }\n',
      code: 'unknown-filter',
      keyPath: 'grants[0].filters[0]',
      message: 'data cells filter "east" is not declared for deid.visits under dataCellsFilters',
    },
    {
      case: 'include and exclude together',
      text: 'grants:\n  - { group: analysts, table: deid.visits, permissions: [select], columns: { include: [facility], exclude: [age_band] } }\n',
      code: 'include-and-exclude',
      keyPath: 'grants[0].columns',
      message: 'a column selection is an include list or an exclude list, not both (Lake Formation takes ColumnNames or ColumnWildcard)',
    },
    {
      case: 'phi to a group not allowed it',
      text: `${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: clinical.patients, permissions: [select], columns: { exclude: [sex] } }\n`,
      code: 'phi-not-allowed',
      keyPath: 'grants[0].table',
      message:
        'group analysts is not marked phiAllowed but would read 2 phi column(s) of clinical.patients: family_name, birth_date. ' +
        'Leave them out (columns.exclude, or excludeClassifications: [phi]) or set phiAllowed: true for it under groups:',
    },
    {
      case: 'phi through LF-tags',
      text: `${TAGS}tagGrants:\n  - { principal: rita, resourceType: table, expression: { classification: [phi, public] }, permissions: [select] }\n`,
      code: 'phi-not-allowed',
      keyPath: 'tagGrants[0]',
      message: expect.stringContaining('principal rita is not marked phiAllowed but would read 2 phi column(s) of clinical.patients through LF-tags: family_name, birth_date.'),
    },
    {
      case: 'data cells filter next to a tag grant',
      text: `${ANALYSTS_PHI}${TAGS}${EAST_FILTER}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east] }\ntagGrants:\n  - { principal: ana, resourceType: table, expression: { classification: limited }, permissions: [select] }\n`,
      code: 'filter-with-tag-grant',
      keyPath: 'tagGrants[0]',
      message:
        'this LF-tag grant gives principal ana SELECT on clinical.visits, which p.policy.yaml grants[0] grants group analysts only through data cells filters: ' +
        'Lake Formation unions the two, so the filters would restrict nothing',
    },
    {
      case: 'two values of one key',
      text: `${TAGS}tagAssignments:\n  - { table: clinical.visits, tags: { zone: [east, west] } }\n`,
      code: 'one-value-per-key',
      keyPath: 'tagAssignments[0].tags.zone',
      message: 'LF-tag "zone" gets 2 values on clinical.visits: Lake Formation allows one value per key on a resource',
    },
    {
      case: 'a second value of a key from another entry',
      text: `${TAGS}tagAssignments:\n  - { table: clinical.visits, tags: { zone: east } }\n  - { table: clinical.visits, tags: { zone: west } }\n`,
      code: 'one-value-per-key',
      keyPath: 'tagAssignments[1].tags.zone',
      message: 'LF-tag "zone" on clinical.visits is already "east" from p.policy.yaml tagAssignments[0].tags.zone: Lake Formation allows one value per key on a resource',
    },
    {
      case: 'undeclared tag value',
      text: `${TAGS}tagAssignments:\n  - { database: clinical, tags: { zone: north } }\n`,
      code: 'unknown-tag-value',
      keyPath: 'tagAssignments[0].tags.zone',
      message: 'LF-tag "zone" has no value north (declared: east, west)',
    },
    {
      case: 'row filter on a misspelt column',
      text: "dataCellsFilters:\n  - { name: f, table: deid.visits, rows: \"facilty = 'EAST'\" }\n",
      code: 'invalid-row-filter',
      keyPath: 'dataCellsFilters[0].rows',
      message: 'row filter on deid.visits: column "facilty" is not a column of deid.visits (did you mean "facility"?)',
    },
    {
      case: 'row filter on a date column',
      text: "dataCellsFilters:\n  - { name: f, table: clinical.visits, rows: \"admit_date > '2024-01-01'\" }\n",
      code: 'invalid-row-filter',
      keyPath: 'dataCellsFilters[0].rows',
      message: 'row filter on clinical.visits: column "admit_date" is of type date: Lake Formation row filters compare only STRING, numeric and BOOLEAN columns',
    },
    {
      case: 'row filter with a constant of the wrong type',
      text: 'dataCellsFilters:\n  - { name: f, table: clinical.patients, rows: "visit_count = \'3\'" }\n',
      code: 'invalid-row-filter',
      keyPath: 'dataCellsFilters[0].rows',
      message: 'row filter on clinical.patients: column "visit_count" is of type int and must be compared with a number, found a string constant',
    },
    {
      case: 'IS NULL on a partition column',
      text: 'dataCellsFilters:\n  - { name: f, table: clinical.patients, rows: "source_format IS NOT NULL" }\n',
      code: 'invalid-row-filter',
      keyPath: 'dataCellsFilters[0].rows',
      message: 'row filter on clinical.patients: IS NOT NULL is not allowed on partition column "source_format" (a Lake Formation restriction)',
    },
    {
      case: 'grant option with an exclude list',
      text: 'grants:\n  - { group: analysts, table: deid.visits, permissions: [select], grantOption: true, columns: { exclude: [age_band] } }\n',
      code: 'grant-option-exclude',
      keyPath: 'grants[0].columns',
      message: 'SELECT with the grant option and column filtering needs an include list, not an exclude list (a Lake Formation rule)',
    },
    {
      case: 'SELECT on a database',
      text: 'grants:\n  - { group: analysts, database: deid, permissions: [select] }\n',
      code: 'select-on-database',
      keyPath: 'grants[0].permissions',
      message: 'SELECT is granted on tables, not on database deid: write table: deid.*',
    },
    {
      case: 'eleven filters in one grant',
      text: `dataCellsFilters:\n  - { name: f, table: deid.visits }\ngrants:\n  - { group: analysts, table: deid.visits, permissions: [select], filters: [f, f, f, f, f, f, f, f, f, f, f] }\n`,
      code: 'too-many-filters',
      keyPath: 'grants[0].filters',
      message: "11 data cells filters in one grant, more than Lake Formation's 10",
    },
    {
      case: 'a filter that keeps no column',
      text: 'dataCellsFilters:\n  - { name: f, table: deid.visits, columns: { excludeClassifications: [deidentified, limited] } }\n',
      code: 'no-columns',
      keyPath: 'dataCellsFilters[0].columns',
      message: 'data cells filter "f" keeps no column of deid.visits',
    },
  ])('reports $case', ({ text, code, keyPath, message }) => {
    const problems = problemsOf(text);

    expect(problems).toContainEqual({ severity: 'error', code, file: 'p.policy.yaml', keyPath, message });
  });

  it('warns when a whole-table grant widens a filtered one', () => {
    const problems = problemsOf(
      `${ANALYSTS_PHI}principals:\n  ana: { phiAllowed: true }\n${EAST_FILTER}grants:\n` +
        '  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east] }\n' +
        '  - { principal: ana, table: clinical.visits, permissions: [select] }\n',
    );

    expect(problems).toEqual([
      {
        severity: 'warning',
        code: 'filter-widened',
        file: 'p.policy.yaml',
        keyPath: 'grants[1]',
        message:
          'this grant gives principal ana every row of clinical.visits, which p.policy.yaml grants[0] grants group analysts through data cells filters: ' +
          'Lake Formation unions them, so the filters restrict nothing',
      },
    ]);
  });

  it('warns when joined tables show more identifier kinds than either alone', () => {
    const problems = problemsOf(
      'principals:\n  rita: { phiAllowed: false }\ngrants:\n' +
        '  - { principal: rita, table: clinical.patients, permissions: [select], columns: { excludeClassifications: [phi] } }\n' +
        '  - { principal: rita, table: clinical.visits, permissions: [select], columns: { exclude: [postal_code] } }\n',
    );

    expect(problems).toEqual([
      {
        severity: 'warning',
        code: 'combined-identifiers',
        message:
          'principal rita can join clinical.patients, clinical.visits on patient_key, and together they show identifier kinds ' +
          'date, medical_record_number, other_unique, quasi of the same patients, more than any one of them alone',
      },
    ]);
  });

  it('does not warn when the tables share no identifier column', () => {
    const problems = problemsOf(
      'grants:\n' +
        '  - { principal: rita, table: clinical.patients, permissions: [select], columns: { include: [sex, facility] } }\n' +
        '  - { principal: rita, table: clinical.visits, permissions: [select], columns: { exclude: [postal_code, patient_key] } }\n',
    );

    expect(problems).toEqual([]);
  });
});
