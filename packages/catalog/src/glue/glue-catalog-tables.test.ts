// GlueCatalog table calls on a real GlueClient whose send is mocked (aws-sdk-client-mock) with recorded Glue responses; the tests assert the exact requests.
import {
  CreateTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { COLUMN_TYPES } from '@carelake/core';
import { PARQUET_STORAGE_FORMAT } from '../catalog';
import { InvalidTableInputError } from '../errors';
import { encountersInput, rejectionOf } from '../__fixtures__/catalog-fixtures';
import {
  mockedGlueClient,
  onlyInput,
  TEST_BUCKET,
  TEST_LAKE_URI,
  TEST_PREFIX,
  type MockedGlue,
} from './__fixtures__/glue-client';
import {
  CREATED_AT,
  encountersGlueTable,
  glueErrors,
  UPDATED_AT,
} from './__fixtures__/recorded-responses';
import { GlueCatalog } from './glue-catalog';
import { UnsupportedGlueColumnTypeError } from './glue-responses';

const PARQUET_DESCRIPTOR = {
  InputFormat: PARQUET_STORAGE_FORMAT.inputFormat,
  OutputFormat: PARQUET_STORAGE_FORMAT.outputFormat,
  SerdeInfo: { SerializationLibrary: PARQUET_STORAGE_FORMAT.serde },
};

describe('GlueCatalog tables', () => {
  let glue: MockedGlue;
  let catalog: GlueCatalog;

  beforeEach(() => {
    glue = mockedGlueClient();
    catalog = new GlueCatalog({ client: glue.client, bucket: TEST_BUCKET, prefix: TEST_PREFIX });
  });

  afterEach(() => glue.release());

  it('creates table with Parquet descriptor', async () => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.tableNotFound());
    glue.mock.on(CreateTableCommand).resolves({});

    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: true,
      changed: true,
      version: 1,
    });

    expect(onlyInput(glue.mock, CreateTableCommand)).toStrictEqual({
      DatabaseName: 'clinical',
      TableInput: {
        Name: 'encounters',
        Description: 'One row per encounter version',
        TableType: 'EXTERNAL_TABLE',
        Parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
        PartitionKeys: [{ Name: 'admit_month', Type: 'string', Parameters: {} }],
        StorageDescriptor: {
          Columns: [
            {
              Name: 'encounter_key',
              Type: 'string',
              Comment: 'Source-qualified encounter id',
              Parameters: {},
            },
            {
              Name: 'patient_key',
              Type: 'string',
              Parameters: { 'carelake.classification': 'phi' },
            },
            { Name: 'admit_time', Type: 'timestamp', Parameters: {} },
          ],
          Location: 's3://carelake-test-lake/lake/curated/clinical/encounters/',
          ...PARQUET_DESCRIPTOR,
        },
      },
    });
    expect(onlyInput(glue.mock, GetTableCommand)).toStrictEqual({
      DatabaseName: 'clinical',
      Name: 'encounters',
    });
  });

  it('maps every column type to Hive', async () => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.tableNotFound());
    glue.mock.on(CreateTableCommand).resolves({});
    const input = encountersInput();
    input.columns = COLUMN_TYPES.map((type) => ({ name: `c_${type}`, type }));

    await catalog.upsertTable(input);

    const sent = onlyInput(glue.mock, CreateTableCommand);
    expect(sent.TableInput?.StorageDescriptor?.Columns?.map((column) => column.Type)).toEqual([
      'string',
      'int',
      'bigint',
      'double',
      'boolean',
      'date',
      'timestamp',
    ]);
  });

  it.each([
    {
      case: 'lake key prefix',
      location: 'curated/clinical/encounters/',
      sent: 's3://carelake-test-lake/lake/curated/clinical/encounters/',
    },
    {
      case: 's3 URI in another bucket',
      location: 's3://partner-exports/encounters/',
      sent: 's3://partner-exports/encounters/',
    },
  ])('sends $case as s3 URI', async ({ location, sent }) => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.tableNotFound());
    glue.mock.on(CreateTableCommand).resolves({});

    await catalog.upsertTable({ ...encountersInput(), location });

    const input = onlyInput(glue.mock, CreateTableCommand);
    expect(input.TableInput?.StorageDescriptor?.Location).toBe(sent);
  });

  it('adds parquet classification when missing', async () => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.tableNotFound());
    glue.mock.on(CreateTableCommand).resolves({});

    await catalog.upsertTable({ ...encountersInput(), parameters: { 'carelake.owner': 'x' } });

    const input = onlyInput(glue.mock, CreateTableCommand);
    expect(input.TableInput?.Parameters).toStrictEqual({
      'carelake.owner': 'x',
      classification: 'parquet',
    });
  });

  it.each([
    {
      case: 'file URI',
      location: 'file:///var/lake/encounters/',
      message: 'location has the scheme file://, expected a lake key prefix or an s3:// URI',
    },
    {
      case: 'absolute path',
      location: '/var/lake/encounters/',
      message:
        'location starts with "/", expected a lake key prefix relative to the lake, such as curated/clinical/patients/',
    },
    {
      case: 's3 URI without bucket',
      location: 's3:///encounters/',
      message: 'location is an s3:// URI without a bucket',
    },
  ])('rejects $case before sending', async ({ location, message }) => {
    const error = await rejectionOf(catalog.upsertTable({ ...encountersInput(), location }));

    expect(error).toBeInstanceOf(InvalidTableInputError);
    expect((error as InvalidTableInputError).issues).toEqual([{ keyPath: 'location', message }]);
    expect(glue.mock.calls()).toHaveLength(0);
  });

  it('equal definition sends no UpdateTable', async () => {
    glue.mock.on(GetTableCommand).resolves({ Table: encountersGlueTable({ VersionId: '4' }) });

    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: false,
      changed: false,
      version: 5,
    });
    expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
    expect(glue.mock.commandCalls(CreateTableCommand)).toHaveLength(0);
  });

  it('s3 URI inside lake compares equal', async () => {
    glue.mock.on(GetTableCommand).resolves({ Table: encountersGlueTable() });
    const input = {
      ...encountersInput(),
      location: `${TEST_LAKE_URI}curated/clinical/encounters/`,
    };

    expect((await catalog.upsertTable(input)).changed).toBe(false);
    expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('changed definition sends VersionId', async () => {
    glue.mock
      .on(GetTableCommand)
      .resolves({ Table: encountersGlueTable({ VersionId: '4', Description: 'Old text' }) });
    glue.mock.on(UpdateTableCommand).resolves({});

    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: false,
      changed: true,
      version: 6,
    });

    const input = onlyInput(glue.mock, UpdateTableCommand);
    expect(input.DatabaseName).toBe('clinical');
    expect(input.VersionId).toBe('4');
    expect(input.TableInput?.Name).toBe('encounters');
    expect(input.TableInput?.Description).toBe('One row per encounter version');
    expect(input.TableInput?.StorageDescriptor?.Location).toBe(
      's3://carelake-test-lake/lake/curated/clinical/encounters/',
    );
  });

  it('reads Glue table into catalog model', async () => {
    const recorded = encountersGlueTable({ VersionId: '2' });
    const columns = recorded.StorageDescriptor?.Columns?.slice(0, 2) ?? [];
    columns.push(
      { Name: 'admit_time', Type: 'TIMESTAMP' },
      { Name: 'visit_count', Type: 'integer' },
    );
    recorded.StorageDescriptor = { ...recorded.StorageDescriptor, Columns: columns };
    glue.mock.on(GetTableCommand).resolves({ Table: recorded });

    const table = await catalog.getTable('clinical', 'encounters');

    expect(table?.location).toBe('curated/clinical/encounters/');
    expect(table?.columns.slice(2)).toEqual([
      { name: 'admit_time', type: 'timestamp', parameters: {} },
      { name: 'visit_count', type: 'int', parameters: {} },
    ]);
    expect(table?.createdAt).toEqual(CREATED_AT);
    expect(table?.updatedAt).toEqual(UPDATED_AT);
    expect(table?.version).toBe(3);
  });

  it('keeps location outside lake as URI', async () => {
    const recorded = encountersGlueTable();
    recorded.StorageDescriptor = {
      ...recorded.StorageDescriptor,
      Location: 's3://partner-exports/encounters/',
    };
    glue.mock.on(GetTableCommand).resolves({ Table: recorded });

    expect((await catalog.getTable('clinical', 'encounters'))?.location).toBe(
      's3://partner-exports/encounters/',
    );
  });

  it('rejects unsupported column type', async () => {
    const recorded = encountersGlueTable();
    recorded.StorageDescriptor?.Columns?.push({ Name: 'amount', Type: 'decimal(10,2)' });
    glue.mock.on(GetTableCommand).resolves({ Table: recorded });

    const error = await rejectionOf(catalog.getTable('clinical', 'encounters'));

    expect(error).toBeInstanceOf(UnsupportedGlueColumnTypeError);
    expect((error as Error).message).toBe(
      'column "amount" of Glue table clinical.encounters has type "decimal(10,2)", which carelake does not read; expected one of string, int, bigint, double, boolean, date, timestamp',
    );
  });

  it('ensureDatabase only reads database', async () => {
    glue.mock.on(GetDatabaseCommand).resolves({
      Database: { Name: 'clinical', Description: 'As deployed', CreateTime: CREATED_AT },
    });

    await catalog.ensureDatabase('clinical', 'A different description');

    expect(glue.mock.calls()).toHaveLength(1);
    expect(onlyInput(glue.mock, GetDatabaseCommand)).toStrictEqual({
      Name: 'clinical',
    });
  });
});
