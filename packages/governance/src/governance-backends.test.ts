// The repository's policy files on both backends: local apply to a temp lake folder and resolution from the stored snapshot, and the Lake Formation requests of apply on a real LakeFormationClient whose send is mocked (aws-sdk-client-mock).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import {
  AddLFTagsToResourceCommand,
  BatchGrantPermissionsCommand,
  CreateDataCellsFilterCommand,
  CreateLFTagCommand,
} from '@aws-sdk/client-lakeformation';
import { resolveAccess } from './access/resolve-access';
import { GovernanceSnapshotError } from './errors';
import { renderLakeFormationFilter } from './filter/render-lake-formation';
import { renderDuckDbFilter } from './filter/render-duckdb';
import { LakeFormationGovernance } from './lakeformation/lake-formation-governance';
import { mockedLakeFormation, recordEmptyLake, sentInputs, TEST_ACCOUNT, type MockedLakeFormation } from './lakeformation/__fixtures__/lake-formation-client';
import { applyLocal, planLocal, readGovernanceSnapshot } from './local/local-snapshot';
import { isEmptyPlan } from './plan/governance-plan';
import { loadPolicies } from './policy/load-policies';
import { POLICIES_FOLDER, repositoryConfig, repositoryDatasets, temporaryFolder } from './__fixtures__/repository';

/** Columns of clinical.patients that are phi or identify a patient by themselves: hidden from analysts. */
const PATIENT_COLUMNS_HIDDEN = ['birth_date', 'city', 'family_name', 'given_name', 'merged_into_key', 'patient_id', 'patient_key', 'postal_code'];
const PATIENT_COLUMNS_SHOWN = [
  'assigning_authority', 'sex', 'state', 'country', 'primary_facility', 'primary_care_provider_id', 'event_type', 'is_deleted',
  'event_time', 'record_hash', 'source_format', 'source_system', 'source_id', 'source_file', 'source_position', 'ingested_at', 'facility',
];
const ANALYSTS_ARN = 'arn:aws:iam::111122223333:role/carelake-analysts';

describe('the repository policies on both backends', () => {
  const policySet = () => loadPolicies(POLICIES_FOLDER, { config: repositoryConfig(), datasets: repositoryDatasets() });
  let lake: { folder: string; cleanup: () => void };
  let aws: MockedLakeFormation;

  beforeEach(() => {
    lake = temporaryFolder();
    aws = mockedLakeFormation();
    recordEmptyLake(aws.mock);
    aws.mock.on(CreateLFTagCommand).resolves({});
    aws.mock.on(AddLFTagsToResourceCommand).resolves({ Failures: [] });
    aws.mock.on(CreateDataCellsFilterCommand).resolves({});
    aws.mock.on(BatchGrantPermissionsCommand).resolves({ Failures: [] });
  });

  afterEach(() => {
    aws.release();
    lake.cleanup();
  });

  it('resolves each principal locally from the applied snapshot', () => {
    applyLocal(lake.folder, policySet(), { clock: new ManualClock('2026-03-01T10:00:00Z') });
    const stored = readGovernanceSnapshot(lake.folder);
    if (stored === undefined) throw new Error('no snapshot was stored');

    const analyst = resolveAccess(stored.policySet, 'analyst');
    expect(analyst.tables.map((access) => `${access.database}.${access.table}`)).toHaveLength(10);
    expect(analyst.tables.every((access) => access.database === 'clinical' && access.select)).toBe(true);
    const patients = analyst.tables.find((access) => access.table === 'patients');
    expect(patients?.columns.map((column) => column.name)).toEqual(PATIENT_COLUMNS_SHOWN);
    expect(renderLakeFormationFilter(patients?.rowFilter ?? { kind: 'isNull', column: '-', negated: false })).toBe("facility = 'NORTH_CLINIC'");
    expect(renderDuckDbFilter(patients?.rowFilter ?? { kind: 'isNull', column: '-', negated: false }, () => 'string')).toBe(`"facility" = 'NORTH_CLINIC'`);

    // No table is classified deidentified yet, so the researcher's tag grant matches none.
    expect(resolveAccess(stored.policySet, 'researcher').tables).toEqual([]);
    const steward = resolveAccess(stored.policySet, 'steward').tables;
    expect(steward).toHaveLength(25);
    expect(steward.filter((access) => access.select).map((access) => `${access.database}.${access.table}`)).toEqual(['restricted.deid_crosswalk']);
    expect(stored.appliedAt).toBe('2026-03-01T10:00:00.000Z');
  });

  it('plans nothing once applied, and rejects a snapshot changed by hand', () => {
    applyLocal(lake.folder, policySet());

    const again = planLocal(policySet(), readGovernanceSnapshot(lake.folder));
    expect(again.unchanged).toBe(true);
    expect(isEmptyPlan(again.plan)).toBe(true);

    const file = join(lake.folder, '_state/governance/applied.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace("NORTH_CLINIC'", "SOUTH_CLINIC'"));
    expect(() => readGovernanceSnapshot(lake.folder)).toThrow(GovernanceSnapshotError);
  });

  it('sends Lake Formation the same columns and rows', async () => {
    const governance = new LakeFormationGovernance({ client: aws.client, catalogId: TEST_ACCOUNT, lakeLocation: { bucket: 'carelake-test-lake', prefix: 'lake/' } });

    const plan = await governance.plan(policySet());
    expect(plan.refusals).toEqual([]);
    expect(plan.warnings).toEqual([]);
    const report = await governance.apply(plan);

    expect(report.steps).toEqual([
      { step: 'create LF-tags', requests: 1 },
      { step: 'attach LF-tags', requests: expect.any(Number) },
      { step: 'create data cells filters', requests: 10 },
      { step: 'grant permissions', requests: 1 },
    ]);
    expect(sentInputs(aws.mock, CreateLFTagCommand)).toEqual([
      { CatalogId: TEST_ACCOUNT, TagKey: 'classification', TagValues: ['deidentified', 'limited', 'phi', 'public'] },
    ]);
    const patientsFilter = sentInputs(aws.mock, CreateDataCellsFilterCommand).find((input) => input.TableData?.TableName === 'patients');
    expect(patientsFilter).toEqual({
      TableData: {
        TableCatalogId: TEST_ACCOUNT,
        DatabaseName: 'clinical',
        TableName: 'patients',
        Name: 'north_clinic_limited',
        RowFilter: { FilterExpression: "facility = 'NORTH_CLINIC'" },
        ColumnWildcard: { ExcludedColumnNames: PATIENT_COLUMNS_HIDDEN },
      },
    });
    expect(sentInputs(aws.mock, AddLFTagsToResourceCommand).find((input) => input.Resource?.Table?.Name === 'patients')).toEqual({
      CatalogId: TEST_ACCOUNT,
      Resource: { Table: { CatalogId: TEST_ACCOUNT, DatabaseName: 'clinical', Name: 'patients' } },
      LFTags: [{ TagKey: 'classification', TagValues: ['phi'] }],
    });

    const entries = sentInputs(aws.mock, BatchGrantPermissionsCommand)[0]?.Entries ?? [];
    expect(entries).toHaveLength(20);
    const analysts = entries.filter((entry) => entry.Principal?.DataLakePrincipalIdentifier === ANALYSTS_ARN);
    expect(analysts.map((entry) => [entry.Resource?.DataCellsFilter?.TableName ?? entry.Resource?.Database?.Name, entry.Permissions])).toEqual([
      ['clinical', ['DESCRIBE']],
      ...['appointments', 'conditions', 'documents', 'encounters', 'immunizations', 'medications', 'observations', 'orders', 'patients', 'procedures'].map((table) => [table, ['SELECT']]),
    ]);
    expect(entries.find((entry) => entry.Resource?.LFTagPolicy !== undefined)).toEqual({
      Id: expect.stringMatching(/^grant-\d+$/),
      Principal: { DataLakePrincipalIdentifier: 'arn:aws:iam::111122223333:role/carelake-researcher' },
      Resource: { LFTagPolicy: { CatalogId: TEST_ACCOUNT, ResourceType: 'TABLE', Expression: [{ TagKey: 'classification', TagValues: ['deidentified'] }] } },
      Permissions: ['DESCRIBE', 'SELECT'],
      PermissionsWithGrantOption: [],
    });
  });
});
