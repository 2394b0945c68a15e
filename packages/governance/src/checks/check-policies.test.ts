// checkPolicies on policy files written to a temp folder and the repository's examples; datasets are in-memory definitions or the repository's files.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetSchema, type DatasetDefinition } from '@carelake/core';
import { resolveAccess } from '../access/resolve-access';
import type { PolicyProblem } from '../errors';
import { loadPolicies, POLICY_FILE_SUFFIX } from '../policy/load-policies';
import { POLICIES_FOLDER, repositoryConfig, repositoryDatasets, temporaryFolder } from '../__fixtures__/repository';
import { SMALL_CONFIG, SMALL_DATASETS } from '../__fixtures__/small-lake';
import { checkPolicies } from './check-policies';

const TAGS = 'lfTags:\n  classification: { values: [phi, limited, deidentified, public], fromDatasets: classification }\n  zone: { values: [east, west] }\n';
const ANALYSTS_NO_PHI = 'groups:\n  analysts: { phiAllowed: false }\n';
const ANALYSTS_PHI = 'groups:\n  analysts: { phiAllowed: true }\n';
const ANALYSTS_LIMITED = 'groups:\n  analysts: { phiAllowed: false, limitedAllowed: true }\n';
const EAST_FILTER = "dataCellsFilters:\n  - { name: east, table: clinical.visits, rows: \"facility = 'EAST'\", columns: { exclude: [postal_code] } }\n";

const LIMITED_FIX =
  'Leave them out (columns.exclude, or excludeClassifications: [limited]) or, for a principal under a data use agreement, set limitedAllowed: true for it under';

/** A table of a limited data set, as de-identification writes it: the table and every column classified limited. */
const LIMITED_DATA_SET: DatasetDefinition = datasetSchema.parse({
  table: 'deid_limited.patients',
  description: 'Limited data set of patients.',
  classification: 'limited',
  columns: {
    patient_key: { type: 'string' },
    birth_month: { type: 'string', identifier: 'date' },
    city: { type: 'string', identifier: 'geographic' },
    postal_code: { type: 'string', identifier: 'geographic' },
  },
});

/** A Safe Harbor table with one column classified limited, which a tag grant on deidentified must not reach. */
const SAFE_HARBOR_PATIENTS: DatasetDefinition = datasetSchema.parse({
  table: 'deid.patients',
  description: 'De-identified patients.',
  classification: 'deidentified',
  columns: {
    study_id: { type: 'string' },
    birth_year: { type: 'int' },
    visit_month: { type: 'string', classification: 'limited', identifier: 'date' },
  },
});

function problemsOf(text: string, datasets: readonly DatasetDefinition[] = SMALL_DATASETS): PolicyProblem[] {
  const { folder, cleanup } = temporaryFolder({ 'p.policy.yaml': text });
  try {
    return checkPolicies(loadPolicies(folder, { config: SMALL_CONFIG, datasets }));
  } finally {
    cleanup();
  }
}

/** Load the repository's policy files with `extra` files beside them, over its datasets and the two de-identified tables. */
function repositoryPoliciesWith(extra: Record<string, string>) {
  const files: Record<string, string> = { ...extra };
  for (const name of readdirSync(POLICIES_FOLDER).filter((file) => file.endsWith(POLICY_FILE_SUFFIX))) {
    files[name] = readFileSync(join(POLICIES_FOLDER, name), 'utf8');
  }
  const { folder, cleanup } = temporaryFolder(files);
  try {
    return loadPolicies(folder, { config: repositoryConfig(), datasets: [...repositoryDatasets(), LIMITED_DATA_SET, SAFE_HARBOR_PATIENTS] });
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
    expect(problemsOf(`${ANALYSTS_LIMITED}${EAST_FILTER}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east] }\n`)).toEqual([]);
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
      'principals:\n  rita: { phiAllowed: false, limitedAllowed: true }\ngrants:\n' +
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
      'principals:\n  rita: { limitedAllowed: true }\ngrants:\n' +
        '  - { principal: rita, table: clinical.patients, permissions: [select], columns: { include: [sex, facility] } }\n' +
        '  - { principal: rita, table: clinical.visits, permissions: [select], columns: { exclude: [postal_code, patient_key] } }\n',
    );

    expect(problems).toEqual([]);
  });

  describe('limited columns', () => {
    it.each([
      {
        case: 'a named table',
        text: `${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: { exclude: [postal_code] } }\n`,
        problems: [
          {
            keyPath: 'grants[0].table',
            message: `group analysts is not marked limitedAllowed but would read 3 limited column(s) of clinical.visits: visit_key, patient_key, admit_date. ${LIMITED_FIX} groups:`,
          },
        ],
      },
      {
        case: 'a data cells filter',
        text: `${ANALYSTS_NO_PHI}${EAST_FILTER}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east] }\n`,
        problems: [
          {
            keyPath: 'grants[0].table',
            message:
              'group analysts is not marked limitedAllowed but would read 3 limited column(s) of clinical.visits through data cells filter "east": ' +
              `visit_key, patient_key, admit_date. ${LIMITED_FIX} groups:`,
          },
        ],
      },
      {
        case: 'LF-tags',
        text: `${TAGS}tagGrants:\n  - { principal: rita, resourceType: table, expression: { classification: limited }, permissions: [select] }\n`,
        problems: [
          {
            keyPath: 'tagGrants[0]',
            message: `principal rita is not marked limitedAllowed but would read 2 limited column(s) of clinical.patients through LF-tags: patient_key, sex. ${LIMITED_FIX} principals:`,
          },
          {
            keyPath: 'tagGrants[0]',
            message: `principal rita is not marked limitedAllowed but would read 3 limited column(s) of clinical.visits through LF-tags: visit_key, patient_key, admit_date. ${LIMITED_FIX} principals:`,
          },
          {
            keyPath: 'tagGrants[0]',
            message: `principal rita is not marked limitedAllowed but would read 4 limited column(s) of deid_limited.patients through LF-tags: patient_key, birth_month, city, postal_code. ${LIMITED_FIX} principals:`,
          },
          {
            keyPath: 'tagGrants[0]',
            message: `principal rita is not marked limitedAllowed but would read 1 limited column(s) of deid.visits through LF-tags: age_band. ${LIMITED_FIX} principals:`,
          },
        ],
      },
      {
        case: 'every table of a limited data set',
        text: 'principals:\n  rita: { phiAllowed: false }\ngrants:\n  - { principal: rita, table: deid_limited.*, permissions: [select] }\n',
        problems: [
          {
            keyPath: 'grants[0].table',
            message: `principal rita is not marked limitedAllowed but would read 4 limited column(s) of deid_limited.patients: patient_key, birth_month, city, postal_code. ${LIMITED_FIX} principals:`,
          },
        ],
      },
    ])('reports a grant through $case', ({ text, problems }) => {
      // The LF-tag grant also lets rita join patients and visits, which is a warning of its own.
      const errors = problemsOf(text, [...SMALL_DATASETS, LIMITED_DATA_SET]).filter((problem) => problem.severity === 'error');

      expect(errors).toEqual(
        problems.map(({ keyPath, message }) => ({ severity: 'error', code: 'limited-not-allowed', file: 'p.policy.yaml', keyPath, message })),
      );
    });

    it('reports phi before limited, each column once', () => {
      const problems = problemsOf(`${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select] }\n`);

      expect(problems.map((problem) => [problem.code, problem.keyPath])).toEqual([
        ['phi-not-allowed', 'grants[0].table'],
        ['limited-not-allowed', 'grants[0].table'],
      ]);
      expect(problems[0]?.message).toContain('would read 1 phi column(s) of clinical.visits: postal_code.');
      expect(problems[1]?.message).toContain('would read 3 limited column(s) of clinical.visits: visit_key, patient_key, admit_date.');
    });

    it.each([
      { case: 'limitedAllowed', text: `${ANALYSTS_LIMITED}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: { exclude: [postal_code] } }\n` },
      { case: 'phiAllowed, which implies it', text: `${ANALYSTS_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select] }\n` },
      {
        case: 'limitedAllowed on the ARN of the grantee',
        text:
          'groups:\n  analysts: { limitedAllowed: true, arn: "arn:aws:iam::111122223333:role/analysts" }\ngrants:\n' +
          '  - { principal: "arn:aws:iam::111122223333:role/analysts", table: clinical.visits, permissions: [select], columns: { exclude: [postal_code] } }\n',
      },
      {
        case: 'limited columns excluded by name',
        text: `${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: { exclude: [visit_key, patient_key, admit_date, postal_code] } }\n`,
      },
      {
        case: 'limited columns excluded by classification',
        text: `${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: clinical.visits, permissions: [select], columns: { excludeClassifications: [phi, limited] } }\n`,
      },
      { case: 'describe only', text: `${ANALYSTS_NO_PHI}grants:\n  - { group: analysts, table: deid_limited.patients, permissions: [describe] }\n` },
    ])('accepts a grant with $case', ({ text }) => {
      expect(problemsOf(text, [...SMALL_DATASETS, LIMITED_DATA_SET])).toEqual([]);
    });

    it('reports limitedAllowed declared two ways', () => {
      const { folder, cleanup } = temporaryFolder({
        'a.policy.yaml': 'groups:\n  analysts: { limitedAllowed: true }\n',
        'b.policy.yaml': 'groups:\n  analysts: { limitedAllowed: false }\n',
      });
      try {
        const problems = checkPolicies(loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS }));

        expect(problems).toEqual([
          {
            severity: 'error',
            code: 'conflicting-principal',
            file: 'b.policy.yaml',
            keyPath: 'groups.analysts',
            message: 'group analysts is also declared in a.policy.yaml groups.analysts with other attributes; declare it once',
          },
        ]);
      } finally {
        cleanup();
      }
    });

    it('takes phiAllowed with and without limitedAllowed as one declaration', () => {
      const { folder, cleanup } = temporaryFolder({
        'a.policy.yaml': 'groups:\n  analysts: { phiAllowed: true }\n',
        'b.policy.yaml': 'groups:\n  analysts: { phiAllowed: true, limitedAllowed: true }\n',
      });
      try {
        expect(checkPolicies(loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS }))).toEqual([]);
      } finally {
        cleanup();
      }
    });

    it('keeps limited columns from the repository researcher', () => {
      const set = repositoryPoliciesWith({});

      expect(checkPolicies(set)).toEqual([]);
      const researcher = resolveAccess(set, 'researcher').tables;
      expect(researcher.map((access) => `${access.database}.${access.table}`)).toEqual(['deid.patients']);
      expect(researcher[0]?.columns.map((column) => column.name)).toEqual(['study_id', 'birth_year']);
    });

    it('reports a limited data set granted to the repository researcher', () => {
      const set = repositoryPoliciesWith({ 'limited-grant.policy.yaml': 'grants:\n  - { principal: researcher, table: deid_limited.*, permissions: [select] }\n' });

      expect(checkPolicies(set)).toEqual([
        {
          severity: 'error',
          code: 'limited-not-allowed',
          file: 'limited-grant.policy.yaml',
          keyPath: 'grants[0].table',
          message: `principal researcher is not marked limitedAllowed but would read 4 limited column(s) of deid_limited.patients: patient_key, birth_month, city, postal_code. ${LIMITED_FIX} principals:`,
        },
      ]);
    });
  });
});
