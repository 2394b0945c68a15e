// readInForce and planLakeFormation against a real LakeFormationClient whose send is mocked (aws-sdk-client-mock) with recorded responses.
import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  ListDataCellsFilterCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
} from '@aws-sdk/client-lakeformation';
import { loadPolicies } from '../policy/load-policies';
import type { PolicySet } from '../policy/policy-set';
import { temporaryFolder } from '../__fixtures__/repository';
import { SMALL_CONFIG, SMALL_DATASETS } from '../__fixtures__/small-lake';
import { mockedLakeFormation, recordEmptyLake, sentInputs, serviceError, TEST_ACCOUNT, type MockedLakeFormation } from './__fixtures__/lake-formation-client';
import { lakeFormationScope, planLakeFormation } from './plan-lake-formation';
import { readInForce } from './read-in-force';

const ANALYSTS_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/analysts`;
const OTHER_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/someone-else`;

function smallPolicies(): PolicySet {
  const { folder, cleanup } = temporaryFolder({
    'p.policy.yaml': [
      'groups:',
      `  analysts: { phiAllowed: true, arn: "${ANALYSTS_ARN}" }`,
      'lfTags:',
      '  zone: { values: [east, west] }',
      'tagAssignments:',
      '  - { table: clinical.visits, tags: { zone: east } }',
      'grants:',
      '  - { group: analysts, table: clinical.visits, permissions: [select, describe] }',
    ].join('\n'),
  });
  try {
    return loadPolicies(folder, { config: SMALL_CONFIG, datasets: SMALL_DATASETS });
  } finally {
    cleanup();
  }
}

describe('readInForce', () => {
  let lake: MockedLakeFormation;

  beforeEach(() => {
    lake = mockedLakeFormation();
    recordEmptyLake(lake.mock);
  });

  afterEach(() => lake.release());

  it('follows NextToken through every page of ListPermissions', async () => {
    const selectAll = { TableWithColumns: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'visits', ColumnWildcard: {} } };
    lake.mock
      .on(ListPermissionsCommand)
      .resolvesOnce({
        PrincipalResourcePermissions: [
          { Principal: { DataLakePrincipalIdentifier: ANALYSTS_ARN }, Resource: selectAll, Permissions: ['SELECT'], PermissionsWithGrantOption: [] },
          { Principal: { DataLakePrincipalIdentifier: OTHER_ARN }, Resource: selectAll, Permissions: ['SELECT'] },
        ],
        NextToken: 'page-2',
      })
      .resolvesOnce({
        PrincipalResourcePermissions: [
          {
            Principal: { DataLakePrincipalIdentifier: ANALYSTS_ARN },
            Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'visits' } },
            Permissions: ['DESCRIBE'],
          },
          {
            Principal: { DataLakePrincipalIdentifier: ANALYSTS_ARN },
            Resource: { TableWithColumns: { DatabaseName: 'clinical', Name: 'patients', ColumnWildcard: { ExcludedColumnNames: ['family_name', 'birth_date'] } } },
            Permissions: ['SELECT'],
          },
        ],
      });
    const policySet = smallPolicies();

    const inForce = await readInForce(lake.client, lakeFormationScope(policySet, TEST_ACCOUNT));

    expect(sentInputs(lake.mock, ListPermissionsCommand)).toEqual([
      { CatalogId: TEST_ACCOUNT, NextToken: undefined },
      { CatalogId: TEST_ACCOUNT, NextToken: 'page-2' },
    ]);
    // SELECT on every column and DESCRIBE on the table are one entry; the unmanaged principal is left out.
    expect(Object.values(inForce.state.permissions)).toEqual([
      { principal: ANALYSTS_ARN, resource: { kind: 'table', database: 'clinical', table: 'visits' }, permissions: ['DESCRIBE', 'SELECT'], grantable: [] },
      {
        principal: ANALYSTS_ARN,
        resource: { kind: 'tableColumns', database: 'clinical', table: 'patients', excludedColumnNames: ['birth_date', 'family_name'] },
        permissions: ['SELECT'],
        grantable: [],
      },
    ]);
    expect(inForce.requestCounts).toEqual({
      GetDataLakeSettings: 1,
      ListPermissions: 2,
      ListLFTags: 1,
      GetResourceLFTags: 5,
      ListDataCellsFilter: 1,
      ListResources: 1,
    });
  });

  it('reads LF-tags, assignments and filters of managed keys and tables only', async () => {
    lake.mock.on(ListLFTagsCommand).resolves({ LFTags: [{ TagKey: 'zone', TagValues: ['west', 'east'] }, { TagKey: 'team', TagValues: ['a'] }] });
    lake.mock
      .on(GetResourceLFTagsCommand, { Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'visits' } } })
      .resolves({
        LFTagsOnTable: [{ TagKey: 'zone', TagValues: ['west'] }, { TagKey: 'team', TagValues: ['a'] }],
        LFTagsOnColumns: [{ Name: 'facility', LFTags: [{ TagKey: 'zone', TagValues: ['east'] }] }],
      });
    lake.mock.on(ListDataCellsFilterCommand).resolves({
      DataCellsFilters: [
        { TableCatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', TableName: 'visits', Name: 'east', RowFilter: { FilterExpression: "facility = 'EAST'" }, ColumnWildcard: { ExcludedColumnNames: ['postal_code'] } },
        { TableCatalogId: TEST_ACCOUNT, DatabaseName: 'other', TableName: 'things', Name: 'all', RowFilter: { AllRowsWildcard: {} }, ColumnNames: ['a'] },
      ],
    });

    const inForce = await readInForce(lake.client, lakeFormationScope(smallPolicies(), TEST_ACCOUNT));

    expect(inForce.state.lfTags).toEqual({ zone: ['east', 'west'] });
    expect(inForce.state.tagAssignments).toEqual({
      'clinical.visits': { resource: { kind: 'table', database: 'clinical', table: 'visits' }, tags: { zone: 'west' } },
      'clinical.visits.facility': { resource: { kind: 'column', database: 'clinical', table: 'visits', column: 'facility' }, tags: { zone: 'east' } },
    });
    expect(inForce.state.dataCellsFilters).toEqual({
      'clinical.visits/east': { database: 'clinical', table: 'visits', name: 'east', rowFilter: "facility = 'EAST'", excludedColumnNames: ['postal_code'] },
    });
    expect(sentInputs(lake.mock, GetResourceLFTagsCommand)[0]).toEqual({
      CatalogId: TEST_ACCOUNT,
      Resource: { Database: { CatalogId: TEST_ACCOUNT, Name: 'clinical' } },
      ShowAssignedLFTags: true,
    });
  });

  it('reports tables the Data Catalog lacks', async () => {
    lake.mock
      .on(GetResourceLFTagsCommand, { Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'deid', Name: 'visits' } } })
      .rejects(serviceError('EntityNotFoundException', 'Table not found'));
    const policySet = smallPolicies();

    const inForce = await readInForce(lake.client, lakeFormationScope(policySet, TEST_ACCOUNT));
    const plan = planLakeFormation(policySet, inForce);

    expect(inForce.missingTables).toEqual(['deid.visits']);
    expect(plan.warnings.map((warning) => warning.code)).toEqual(['table-not-registered']);
  });

  it.each([
    {
      case: 'default database permissions',
      settings: { CreateDatabaseDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL' as const] }] },
      permissions: [],
      refusal: 'CreateDatabaseDefaultPermissions grants ALL to IAM_ALLOWED_PRINCIPALS ("Use only IAM access control" for new resources)',
    },
    {
      case: 'default table permissions',
      settings: { CreateTableDefaultPermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Permissions: ['ALL' as const] }] },
      permissions: [],
      refusal: 'CreateTableDefaultPermissions grants ALL to IAM_ALLOWED_PRINCIPALS ("Use only IAM access control" for new resources)',
    },
    {
      case: 'a grant on a managed table',
      settings: {},
      permissions: [
        { Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Table: { DatabaseName: 'clinical', Name: 'patients' } }, Permissions: ['ALL' as const] },
      ],
      refusal: 'IAM_ALLOWED_PRINCIPALS has ALL on table:clinical.patients',
    },
  ])('finds IAMAllowedPrincipals access through $case', async ({ settings, permissions, refusal }) => {
    lake.mock.on(GetDataLakeSettingsCommand).resolves({ DataLakeSettings: settings });
    lake.mock.on(ListPermissionsCommand).resolves({ PrincipalResourcePermissions: permissions });
    const policySet = smallPolicies();

    const plan = planLakeFormation(policySet, await readInForce(lake.client, lakeFormationScope(policySet, TEST_ACCOUNT)));

    expect(plan.refusals).toEqual([refusal]);
  });

  it('ignores IAMAllowedPrincipals on tables carelake does not manage', async () => {
    lake.mock.on(ListPermissionsCommand).resolves({
      PrincipalResourcePermissions: [{ Principal: { DataLakePrincipalIdentifier: 'IAM_ALLOWED_PRINCIPALS' }, Resource: { Table: { DatabaseName: 'legacy', Name: 'x' } }, Permissions: ['ALL'] }],
    });
    const policySet = smallPolicies();

    const plan = planLakeFormation(policySet, await readInForce(lake.client, lakeFormationScope(policySet, TEST_ACCOUNT)));

    expect(plan.refusals).toEqual([]);
  });
});
