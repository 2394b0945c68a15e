// applyLakeFormationPlan against a real LakeFormationClient whose send is mocked (aws-sdk-client-mock) with recorded responses; retries record their waits instead of sleeping.
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  BatchRevokePermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
  UpdateLFTagCommand,
  type BatchPermissionsRequestEntry,
} from '@aws-sdk/client-lakeformation';
import { IamAllowedPrincipalsError, LakeFormationApplyError } from '../errors';
import type { GovernancePlan } from '../plan/governance-plan';
import type { PermissionEntry } from '../plan/governance-state';
import { mockedLakeFormation, sentCommandNames, sentInputs, serviceError, TEST_ACCOUNT, type MockedLakeFormation } from './__fixtures__/lake-formation-client';
import { applyLakeFormationPlan } from './apply-lake-formation';
import type { LakeFormationPlan } from './plan-lake-formation';

function emptyChanges(): GovernancePlan {
  return { createTags: [], updateTags: [], deleteTags: [], assignTags: [], unassignTags: [], createFilters: [], updateFilters: [], deleteFilters: [], grants: [], revokes: [] };
}

/** SELECT on deid.visits for `count` roles named reader-0, reader-1, ... */
function selectEntries(count: number): PermissionEntry[] {
  return Array.from({ length: count }, (_, index) => ({
    principal: `arn:aws:iam::${TEST_ACCOUNT}:role/reader-${index}`,
    resource: { kind: 'table', database: 'deid', table: 'visits' },
    permissions: ['SELECT'],
    grantable: [],
  }));
}

function planOf(changes: Partial<GovernancePlan>, refusals: string[] = []): LakeFormationPlan {
  return { changes: { ...emptyChanges(), ...changes }, refusals, warnings: [] };
}

describe('applyLakeFormationPlan', () => {
  let lake: MockedLakeFormation;
  let sleepsMs: number[];
  const options = () => ({ catalogId: TEST_ACCOUNT, retry: { sleep: async (delayMs: number) => void sleepsMs.push(delayMs) } });

  beforeEach(() => {
    lake = mockedLakeFormation();
    sleepsMs = [];
  });

  afterEach(() => lake.release());

  it('grants 45 entries in batches of 20, 20 and 5', async () => {
    lake.mock.on(BatchGrantPermissionsCommand).resolves({ Failures: [] });

    const report = await applyLakeFormationPlan(lake.client, planOf({ grants: selectEntries(45) }), options());

    const batches = sentInputs(lake.mock, BatchGrantPermissionsCommand);
    expect(batches.map((batch) => batch.Entries?.length)).toEqual([20, 20, 5]);
    expect(batches.map((batch) => batch.Entries?.[0]?.Id)).toEqual(['grant-0', 'grant-20', 'grant-40']);
    expect(batches[2]?.Entries?.[4]).toEqual({
      Id: 'grant-44',
      Principal: { DataLakePrincipalIdentifier: `arn:aws:iam::${TEST_ACCOUNT}:role/reader-44` },
      Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'deid', Name: 'visits' } },
      Permissions: ['SELECT'],
      PermissionsWithGrantOption: [],
    });
    expect(batches[0]?.CatalogId).toBe(TEST_ACCOUNT);
    expect(report).toEqual({ steps: [{ step: 'grant permissions', requests: 3 }], retriedEntries: 0 });
  });

  it('sends again only the entries that failed with a retryable error', async () => {
    lake.mock
      .on(BatchRevokePermissionsCommand)
      .callsFakeOnce((input: { Entries: BatchPermissionsRequestEntry[] }) => ({
        Failures: [input.Entries[3], input.Entries[17]].map((entry) => ({
          RequestEntry: entry,
          Error: { ErrorCode: 'ConcurrentModificationException', ErrorMessage: 'Another request changed the permissions' },
        })),
      }))
      .resolves({ Failures: [] });

    const report = await applyLakeFormationPlan(lake.client, planOf({ revokes: selectEntries(25) }), options());

    const calls = sentInputs(lake.mock, BatchRevokePermissionsCommand);
    expect(calls.map((call) => call.Entries?.map((entry) => entry.Id))).toEqual([
      Array.from({ length: 20 }, (_, index) => `revoke-${index}`),
      ['revoke-3', 'revoke-17'],
      ['revoke-20', 'revoke-21', 'revoke-22', 'revoke-23', 'revoke-24'],
    ]);
    expect(sleepsMs).toEqual([200]);
    expect(report.retriedEntries).toBe(2);
  });

  it('reports entries that failed for good, with the step and what went before', async () => {
    lake.mock.on(CreateLFTagCommand).resolves({});
    lake.mock.on(BatchGrantPermissionsCommand).callsFake((input: { Entries: BatchPermissionsRequestEntry[] }) => ({
      Failures: input.Entries.filter((entry) => entry.Id === 'grant-1').map((entry) => ({
        RequestEntry: entry,
        Error: { ErrorCode: 'InvalidInputException', ErrorMessage: 'Principal not found' },
      })),
    }));

    const apply = applyLakeFormationPlan(lake.client, planOf({ createTags: [{ key: 'zone', values: ['east'] }], grants: selectEntries(3) }), options());

    const error = await apply.then(
      () => undefined,
      (rejection: unknown) => rejection,
    );
    expect(error).toBeInstanceOf(LakeFormationApplyError);
    const failure = error as LakeFormationApplyError;
    expect(failure.message).toBe('Lake Formation rejected 1 request(s) in step "grant permissions"');
    expect(failure.completedSteps).toEqual(['create LF-tags']);
    expect(failure.failures).toEqual([
      {
        operation: 'BatchGrantPermissions',
        target: `SELECT on table:deid.visits to arn:aws:iam::${TEST_ACCOUNT}:role/reader-1`,
        errorCode: 'InvalidInputException',
        errorMessage: 'Principal not found',
      },
    ]);
    expect(sentInputs(lake.mock, BatchGrantPermissionsCommand)).toHaveLength(1);
  });

  it('retries a throttled single call, then gives up after four attempts', async () => {
    lake.mock.on(CreateLFTagCommand).rejects(serviceError('ThrottlingException', 'Rate exceeded'));

    const error = await applyLakeFormationPlan(lake.client, planOf({ createTags: [{ key: 'zone', values: ['east'] }] }), options()).catch((rejection: unknown) => rejection);

    expect(sentInputs(lake.mock, CreateLFTagCommand)).toHaveLength(4);
    expect(sleepsMs).toEqual([200, 400, 800]);
    expect((error as LakeFormationApplyError).failures[0]?.errorCode).toBe('ThrottlingException');
  });

  it('refuses while IAMAllowedPrincipals has access and sends nothing', async () => {
    const refusal = 'CreateTableDefaultPermissions grants ALL to IAM_ALLOWED_PRINCIPALS ("Use only IAM access control" for new resources)';

    const error = await applyLakeFormationPlan(lake.client, planOf({ grants: selectEntries(2) }, [refusal]), options()).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(IamAllowedPrincipalsError);
    expect((error as IamAllowedPrincipalsError).describe()).toBe(
      'Lake Formation permissions are not in force: IAMAllowedPrincipals still has access (1 finding(s)) ' +
        'The deployment must turn IAM-only access off: PutDataLakeSettings with empty CreateDatabaseDefaultPermissions and CreateTableDefaultPermissions, ' +
        'and revoke IAM_ALLOWED_PRINCIPALS from every database and table carelake manages.\n' +
        `  - ${refusal}`,
    );
    expect(sentCommandNames(lake.mock)).toEqual([]);
  });

  it('chunks tag values and groups columns', async () => {
    lake.mock.onAnyCommand().resolves({});
    const values = Array.from({ length: 120 }, (_, index) => `v${index}`);

    await applyLakeFormationPlan(
      lake.client,
      planOf({
        createTags: [{ key: 'code', values }],
        assignTags: [
          { resource: { kind: 'column', database: 'clinical', table: 'visits', column: 'facility' }, tags: { code: 'v1' } },
          { resource: { kind: 'column', database: 'clinical', table: 'visits', column: 'admit_date' }, tags: { code: 'v1' } },
          { resource: { kind: 'table', database: 'clinical', table: 'visits' }, tags: { code: 'v2' } },
        ],
      }),
      options(),
    );

    expect(sentInputs(lake.mock, CreateLFTagCommand)).toEqual([{ CatalogId: TEST_ACCOUNT, TagKey: 'code', TagValues: values.slice(0, 50) }]);
    expect(sentInputs(lake.mock, UpdateLFTagCommand).map((input) => input.TagValuesToAdd)).toEqual([values.slice(50, 100), values.slice(100)]);
    expect(sentInputs(lake.mock, AddLFTagsToResourceCommand)).toEqual([
      {
        CatalogId: TEST_ACCOUNT,
        Resource: { TableWithColumns: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'visits', ColumnNames: ['facility', 'admit_date'] } },
        LFTags: [{ TagKey: 'code', TagValues: ['v1'] }],
      },
      {
        CatalogId: TEST_ACCOUNT,
        Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'visits' } },
        LFTags: [{ TagKey: 'code', TagValues: ['v2'] }],
      },
    ]);
  });

  it('treats per-tag Failures of AddLFTagsToResource as failures', async () => {
    lake.mock.on(AddLFTagsToResourceCommand).resolves({
      Failures: [{ LFTag: { TagKey: 'zone', TagValues: ['east'] }, Error: { ErrorCode: 'EntityNotFoundException', ErrorMessage: 'Tag not found' } }],
    });

    const error = await applyLakeFormationPlan(
      lake.client,
      planOf({ assignTags: [{ resource: { kind: 'database', database: 'clinical' }, tags: { zone: 'east' } }] }),
      options(),
    ).catch((rejection: unknown) => rejection);

    expect((error as LakeFormationApplyError).failures).toEqual([
      { operation: 'AddLFTagsToResource', target: 'zone=east on clinical', errorCode: 'EntityNotFoundException', errorMessage: 'Tag not found' },
    ]);
  });

  it('runs revokes before grants and creates filters before both', async () => {
    lake.mock.onAnyCommand().resolves({});

    await applyLakeFormationPlan(
      lake.client,
      planOf({
        grants: selectEntries(1),
        revokes: selectEntries(1),
        createFilters: [{ database: 'clinical', table: 'visits', name: 'east', rowFilter: "facility = 'EAST'", excludedColumnNames: [] }],
      }),
      options(),
    );

    expect(sentCommandNames(lake.mock)).toEqual(['CreateDataCellsFilterCommand', 'BatchRevokePermissionsCommand', 'BatchGrantPermissionsCommand']);
    expect(sentInputs(lake.mock, CreateDataCellsFilterCommand)[0]).toEqual({
      TableData: {
        TableCatalogId: TEST_ACCOUNT,
        DatabaseName: 'clinical',
        TableName: 'visits',
        Name: 'east',
        RowFilter: { FilterExpression: "facility = 'EAST'" },
        ColumnWildcard: { ExcludedColumnNames: [] },
      },
    });
  });
});
