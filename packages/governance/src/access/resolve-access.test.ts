// resolveAccess and explainAccess on policy files written to a temp folder over in-memory dataset definitions; nothing is faked.
import { loadPolicies } from '../policy/load-policies';
import type { PolicySet } from '../policy/policy-set';
import { renderLakeFormationFilter } from '../filter/render-lake-formation';
import { temporaryFolder } from '../__fixtures__/repository';
import { SMALL_CONFIG, SMALL_DATASETS } from '../__fixtures__/small-lake';
import { explainAccess } from './explain-access';
import { resolveAccess } from './resolve-access';

const ARN = 'arn:aws:iam::111122223333:role/analysts';

function policies(text: string): PolicySet {
  const { folder, cleanup } = temporaryFolder({ 'p.policy.yaml': text });
  try {
    return loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS });
  } finally {
    cleanup();
  }
}

const FILTERS = [
  `groups:\n  analysts: { phiAllowed: true, arn: "${ARN}" }`,
  'dataCellsFilters:',
  "  - { name: east, table: clinical.visits, rows: \"facility = 'EAST'\", columns: { include: [visit_key, facility] } }",
  "  - { name: west, table: clinical.visits, rows: \"facility = 'WEST'\", columns: { include: [visit_key, facility, admit_date] } }",
  'grants:',
  '  - { group: analysts, table: clinical.visits, permissions: [select], filters: [east, west] }',
].join('\n');

describe('resolveAccess', () => {
  it('denies every table without a grant', () => {
    const resolution = resolveAccess(policies(FILTERS), 'rita');

    expect(resolution).toEqual({ principal: 'rita', tables: [] });
  });

  it('gives admins and owners whole tables', () => {
    const set = policies(FILTERS);

    expect(resolveAccess(set, 'admin').tables.map((access) => [access.table, access.basis, access.columns.length])).toEqual([
      ['patients', 'admin', 7],
      ['visits', 'admin', 5],
      ['visits', 'admin', 3],
    ]);
    const owner = resolveAccess(set, { name: 'dana', role: 'user', groups: ['data-engineering'] });
    expect(owner.tables.map((access) => `${access.database}.${access.table}:${access.basis}`)).toEqual(['clinical.patients:owner', 'clinical.visits:owner']);
  });

  it('unions the rows of several data cells filters and keeps cells per filter', () => {
    const access = resolveAccess(policies(FILTERS), 'ana').tables[0];

    expect(access?.select).toBe(true);
    expect(renderLakeFormationFilter(access?.rowFilter ?? { kind: 'isNull', column: 'none', negated: false })).toBe("facility = 'EAST' OR facility = 'WEST'");
    expect(access?.columns.map((column) => [column.name, column.rowFilter && renderLakeFormationFilter(column.rowFilter)])).toEqual([
      ['visit_key', undefined],
      ['admit_date', "facility = 'WEST'"],
      ['facility', undefined],
    ]);
    expect(access?.grants.map((origin) => origin.filter)).toEqual(['east', 'west']);
  });

  it('resolves a principal named by the ARN its group maps to', () => {
    const access = resolveAccess(policies(FILTERS), ARN).tables;

    expect(access.map((table) => `${table.database}.${table.table}`)).toEqual(['clinical.visits']);
  });

  it('lets an unfiltered grant widen the rows, as Lake Formation does', () => {
    const access = resolveAccess(policies(`${FILTERS}\n  - { principal: ana, table: clinical.visits, permissions: [select], columns: { include: [facility] } }\n`), 'ana').tables[0];

    expect(access?.rowFilter).toBeUndefined();
    expect(access?.columns.map((column) => [column.name, column.rowFilter && renderLakeFormationFilter(column.rowFilter)])).toEqual([
      ['visit_key', "facility = 'EAST' OR facility = 'WEST'"],
      ['admit_date', "facility = 'WEST'"],
      ['facility', undefined],
    ]);
  });

  it('matches columns by their effective LF-tags', () => {
    const set = policies(
      [
        'lfTags:',
        '  classification: { values: [phi, limited, deidentified, public], fromDatasets: classification }',
        'tagGrants:',
        '  - { principal: rita, resourceType: table, expression: { classification: [deidentified, public] }, permissions: [select] }',
      ].join('\n'),
    );

    const tables = resolveAccess(set, 'rita').tables.map((access) => [`${access.database}.${access.table}`, access.columns.map((column) => column.name)]);

    expect(tables).toEqual([
      ['clinical.patients', ['facility', 'source_format', 'visit_count']],
      ['clinical.visits', ['facility']],
      ['deid.visits', ['visit_month', 'facility']],
    ]);
  });

  it('gives DESCRIBE without rows', () => {
    const access = resolveAccess(policies('grants:\n  - { principal: sam, table: clinical.*, permissions: [describe] }\n'), 'sam').tables;

    expect(access.map((table) => [table.table, table.select, table.describe, table.columns.length])).toEqual([
      ['patients', false, true, 0],
      ['visits', false, true, 0],
    ]);
  });
});

describe('explainAccess', () => {
  it('lists tables, columns, rows and the grants behind them', () => {
    expect(explainAccess(policies(FILTERS), 'ana')).toBe(
      [
        'principal ana',
        'clinical.visits  select, describe  (2 grant(s))',
        '  columns (3 of 5): visit_key, admit_date, facility',
        "  rows: facility = 'EAST' OR facility = 'WEST'",
        "  column admit_date only where: facility = 'WEST'",
        '  from p.policy.yaml grants[0] through data cells filter east',
        '  from p.policy.yaml grants[0] through data cells filter west',
        '2 other table(s) denied: no grant reaches them',
      ].join('\n'),
    );
  });

  it.each([
    { case: 'a granted table', table: 'clinical.visits', second: 'clinical.visits  select, describe  (2 grant(s))' },
    { case: 'a denied table', table: 'clinical.patients', second: '  clinical.patients: denied, no grant reaches it' },
    { case: 'an unknown table', table: 'clinical.nothing', second: '  clinical.nothing: not governed by these policies; name it as database.table, and apply the policies again after registering a new table' },
  ])('describes one table: $case', ({ table, second }) => {
    const lines = explainAccess(policies(FILTERS), 'ana', { table }).split('\n');

    expect(lines[0]).toBe('principal ana');
    expect(lines[1]).toBe(second);
    expect(lines.some((line) => line.includes('other table(s) denied'))).toBe(false);
  });

  it('says when nothing is granted', () => {
    expect(explainAccess(policies(FILTERS), 'rita')).toBe('principal rita\n  no table: nothing is granted, so every table is denied');
  });
});
