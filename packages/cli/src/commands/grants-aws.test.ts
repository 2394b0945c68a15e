// Real: the grants commands, policy loading and checks, the Lake Formation planner and apply, a real
// LakeFormationClient, openLake on the aws backend and its audit mirror. Faked: Lake Formation
// (recorded responses), S3 and Glue (in-memory fakes), all behind aws-sdk-client-mock.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  BatchGrantPermissionsCommand,
  CreateDataCellsFilterCommand,
  LakeFormationClient,
  ListPermissionsCommand,
  type BatchPermissionsRequestEntry,
} from '@aws-sdk/client-lakeformation';
import { describeError, loadConfig, resolvePrincipal } from '@carelake/core';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
/* eslint-disable @nx/enforce-module-boundaries -- the recorded Lake Formation responses are a test
   fixture of the governance package, shared here rather than written twice. */
import { recordEmptyLake } from '../../../governance/src/lakeformation/__fixtures__/lake-formation-client';
/* eslint-enable @nx/enforce-module-boundaries */
import { createAwsProject, TEST_ACCOUNT, VISITS_DATASET, type AwsProject } from './__fixtures__/aws-lake';
import { applyGrants, checkGrants, planGrants, showGrants } from './grants';
import { awsCatalogId, LakeFormationAccessDeniedError } from './grants-aws';

const ANALYSTS_ARN = `arn:aws:iam::${TEST_ACCOUNT}:role/carelake-analysts`;

const POLICY = `groups:
  analysts:
    arn: ${ANALYSTS_ARN}
dataCellsFilters:
  - name: east_only
    table: clinical.visits
    rows: "facility = 'EAST'"
grants:
  - group: analysts
    table: clinical.visits
    permissions: [select]
    filters: [east_only]
`;

describe('grants commands on the aws backend', () => {
  let project: AwsProject;
  let lakeFormation: AwsClientStub<LakeFormationClient>;
  let output: string[];
  const write = (text: string): void => void output.push(text);

  beforeEach(async () => {
    project = await createAwsProject();
    await mkdir(join(project.folder, 'pipelines', 'policies'), { recursive: true });
    await mkdir(join(project.folder, 'pipelines', 'datasets'));
    await writeFile(join(project.folder, 'pipelines', 'policies', 'analysts.policy.yaml'), POLICY);
    await writeFile(join(project.folder, 'pipelines', 'datasets', 'clinical.visits.dataset.yaml'), VISITS_DATASET);
    lakeFormation = mockClient(LakeFormationClient);
    recordEmptyLake(lakeFormation);
    lakeFormation.on(CreateDataCellsFilterCommand).resolves({});
    lakeFormation.on(BatchGrantPermissionsCommand).resolves({ Failures: [] });
    output = [];
  });

  afterEach(async () => {
    lakeFormation.restore();
    await project.cleanup();
  });

  it('check reads tables from Glue', async () => {
    const exitCode = await checkGrants(project.config, {}, write);

    expect(exitCode).toBe(0);
    expect(output.at(-1)).toMatch(/: 0 error\(s\), 0 warning\(s\) in 1 policy file\(s\) over 1 table\(s\)$/);
    expect(project.glue.calls().length).toBeGreaterThan(0);
    expect(lakeFormation.calls()).toHaveLength(0);
  });

  it('plan lists changes without sending', async () => {
    await planGrants(project.config, {}, write);

    expect(output.at(-1)).toBe('plan: 1 new data cells filter(s), 1 grant(s); run carelake grants apply to put it in force');
    expect(output.join('\n')).toContain(ANALYSTS_ARN);
    expect(lakeFormation.commandCalls(ListPermissionsCommand)[0]?.args[0].input.CatalogId).toBe(TEST_ACCOUNT);
    expect(lakeFormation.commandCalls(CreateDataCellsFilterCommand)).toHaveLength(0);
    expect(lakeFormation.commandCalls(BatchGrantPermissionsCommand)).toHaveLength(0);
  });

  it('apply creates filter and grant', async () => {
    await applyGrants(project.config, {}, resolvePrincipal(project.config, 'admin'), write);

    const filters = lakeFormation.commandCalls(CreateDataCellsFilterCommand).map((call) => call.args[0].input.TableData);
    expect(filters).toEqual([
      {
        TableCatalogId: TEST_ACCOUNT,
        DatabaseName: 'clinical',
        TableName: 'visits',
        Name: 'east_only',
        RowFilter: { FilterExpression: "facility = 'EAST'" },
        ColumnWildcard: { ExcludedColumnNames: [] },
      },
    ]);
    const grants = lakeFormation.commandCalls(BatchGrantPermissionsCommand).map((call) => call.args[0].input);
    expect(grants).toHaveLength(1);
    expect(grants[0]?.CatalogId).toBe(TEST_ACCOUNT);
    expect(grants[0]?.Entries).toEqual([
      expect.objectContaining({
        Principal: { DataLakePrincipalIdentifier: ANALYSTS_ARN },
        Resource: { DataCellsFilter: { TableCatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', TableName: 'visits', Name: 'east_only' } },
        Permissions: ['SELECT'],
      }),
    ]);
    expect(output.at(-1)).toMatch(/^applied policies [0-9a-f]{12} to Lake Formation: 1 new data cells filter\(s\), 1 grant\(s\)$/);
  });

  it('apply records local audit events', async () => {
    await applyGrants(project.config, {}, resolvePrincipal(project.config, 'admin'), write);

    const events = project.auditEvents().filter((event) => event.action !== 'table.open');
    expect(events.map((event) => [event.action, event.principal, event.outcome])).toEqual([
      ['permission.grant', 'admin', 'success'],
      ['data_cells_filter.create', 'admin', 'success'],
      ['governance.apply', 'admin', 'success'],
    ]);
    expect(events[0]?.details).toMatchObject({ grantee: ANALYSTS_ARN, permissions: 'SELECT', resourceKind: 'dataCellsFilter' });
    expect(events[1]?.details).toMatchObject({ filter: 'east_only', rowFilter: "facility = 'EAST'" });
  });

  it('apply rejects non-admin principal', async () => {
    const error = await applyGrants(project.config, {}, resolvePrincipal(project.config, 'ana'), write).catch((rejection: unknown) => rejection);

    expect(describeError(error)).toBe('principal ana may not apply policies: it is not an admin Run carelake grants apply --as an admin principal of carelake.yaml.');
    expect(lakeFormation.calls()).toHaveLength(0);
    expect(project.auditEvents().map((event) => [event.action, event.outcome])).toEqual([['governance.apply', 'denied']]);
  });

  it('plan names denied reads', async () => {
    lakeFormation.on(ListPermissionsCommand).rejects(Object.assign(new Error('Insufficient Lake Formation permission(s)'), { name: 'AccessDeniedException' }));

    const error = await planGrants(project.config, {}, write).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(LakeFormationAccessDeniedError);
    expect(describeError(error)).toMatch(/^Lake Formation denied reading the permissions in force \(GetDataLakeSettings, ListPermissions, .*\) Run this as an IAM identity that is a Lake Formation data lake administrator/);
  });

  it('apply names denied operation', async () => {
    lakeFormation.on(BatchGrantPermissionsCommand).callsFake((input: { Entries: BatchPermissionsRequestEntry[] }) => ({
      Failures: input.Entries.map((entry) => ({ RequestEntry: entry, Error: { ErrorCode: 'AccessDeniedException', ErrorMessage: 'Insufficient Lake Formation permission(s)' } })),
    }));

    const error = await applyGrants(project.config, {}, resolvePrincipal(project.config, 'admin'), write).catch((rejection: unknown) => rejection);

    expect(error).toBeInstanceOf(LakeFormationAccessDeniedError);
    expect((error as Error).message).toBe('Lake Formation denied BatchGrantPermissions for 1 request(s) (steps done before: create data cells filters)');
    expect(project.auditEvents().map((event) => [event.action, event.outcome, event.details?.['completedSteps']])).toEqual([['governance.apply', 'failure', 1]]);
  });

  it('show explains access and state', async () => {
    await showGrants(project.config, 'ana', write);

    const lines = output.join('\n').split('\n');
    expect(lines[1]).toBe('clinical.visits  select, describe  (1 grant(s))');
    expect(lines[3]).toBe("  rows: facility = 'EAST'");
    expect(output.at(-1)).toBe('not in force: Lake Formation differs from the policy files by 2 change(s); run carelake grants plan, then carelake grants apply');
  });
});

describe('awsCatalogId', () => {
  it.each([
    { case: 'a key ARN', keyId: `arn:aws:kms:eu-west-1:${TEST_ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, expected: TEST_ACCOUNT },
    { case: 'an alias ARN', keyId: 'arn:aws-us-gov:kms:us-gov-west-1:444455556666:alias/carelake-lake', expected: '444455556666' },
  ])('reads the account of $case', ({ keyId, expected }) => {
    const config = { ...loadConfig({ env: {} }), keys: { provider: 'kms' as const, keyId } };

    expect(awsCatalogId(config)).toBe(expected);
  });

  it('rejects a bare key id', () => {
    const config = { ...loadConfig({ env: {} }), keys: { provider: 'kms' as const, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' } };

    expect(() => awsCatalogId(config)).toThrow('keys.keyId must be the ARN of the lake key, so that the account of the Data Catalog is known');
  });
});
