// GlueCatalog error paths on a real GlueClient whose send is mocked (aws-sdk-client-mock) with recorded Glue errors; retries record their waits instead of sleeping.
import {
  CreateTableCommand,
  DeleteTableCommand,
  GetDatabaseCommand,
  GetTableCommand,
  GetTablesCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { CatalogError, DatabaseNotFoundError } from '../errors';
import { encountersInput, rejectionOf } from '../__fixtures__/catalog-fixtures';
import {
  mockedGlueClient,
  onlyInput,
  recordingRetry,
  sentInputs,
  TEST_BUCKET,
  TEST_PREFIX,
  type MockedGlue,
} from './__fixtures__/glue-client';
import { encountersGlueTable, glueErrors } from './__fixtures__/recorded-responses';
import { GlueCatalog } from './glue-catalog';
import { GlueDatabaseNotFoundError, GlueRequestError } from './glue-errors';

const DEPLOYMENT_HINT =
  'The Glue databases are created by the deployment: run `cdk deploy` of the CDK app in infra/ for this account and region, or fix the database name.';

describe('GlueCatalog errors', () => {
  let glue: MockedGlue;
  let retry: ReturnType<typeof recordingRetry>;
  let catalog: GlueCatalog;

  beforeEach(() => {
    glue = mockedGlueClient();
    retry = recordingRetry();
    catalog = new GlueCatalog({
      client: glue.client,
      bucket: TEST_BUCKET,
      prefix: TEST_PREFIX,
      retry: retry.options,
    });
  });

  afterEach(() => glue.release());

  it('retries throttling then succeeds', async () => {
    glue.mock
      .on(GetTableCommand)
      .rejectsOnce(glueErrors.throttling())
      .rejectsOnce(glueErrors.internal())
      .resolves({ Table: encountersGlueTable() });

    const table = await catalog.getTable('clinical', 'encounters');

    expect(table?.name).toBe('encounters');
    expect(glue.mock.commandCalls(GetTableCommand)).toHaveLength(3);
    expect(retry.sleepsMs).toEqual([100, 200]);
    expect(retry.retries.map((event) => [event.attempt, event.errorCode])).toEqual([
      [1, 'ThrottlingException'],
      [2, 'InternalServiceException'],
    ]);
  });

  it('gives up after 5 attempts', async () => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.throttling());

    const error = await rejectionOf(catalog.getTable('clinical', 'encounters'));

    expect(error).toBeInstanceOf(GlueRequestError);
    expect((error as GlueRequestError).message).toBe(
      'Glue GetTable on table clinical.encounters failed after 5 attempts: ThrottlingException (HTTP 400)',
    );
    expect((error as GlueRequestError).attempts).toBe(5);
    expect(glue.mock.commandCalls(GetTableCommand)).toHaveLength(5);
    expect(retry.sleepsMs).toEqual([100, 200, 400, 800]);
  });

  it('does not retry access denied', async () => {
    const denied = glueErrors.accessDenied();
    glue.mock.on(DeleteTableCommand).rejects(denied);

    const error = await rejectionOf(catalog.deleteTable('clinical', 'encounters'));

    expect(error).toBeInstanceOf(GlueRequestError);
    const requestError = error as GlueRequestError;
    expect(requestError.message).toBe(
      'Glue DeleteTable on table clinical.encounters failed: AccessDeniedException (HTTP 400)',
    );
    expect(requestError.errorCode).toBe('AccessDeniedException');
    expect(requestError.operation).toBe('DeleteTable');
    expect(requestError.hint).toBe(
      'Check the IAM policy and the Lake Formation permissions of the principal for this database and table.',
    );
    expect(requestError.cause).toBe(denied);
    expect(glue.mock.commandCalls(DeleteTableCommand)).toHaveLength(1);
    expect(retry.retries).toEqual([]);
  });

  it('reads missing table as undefined', async () => {
    glue.mock.on(GetTableCommand).rejects(glueErrors.tableNotFound());

    expect(await catalog.getTable('clinical', 'encounters')).toBeUndefined();
    expect(retry.retries).toEqual([]);
  });

  it.each([
    {
      case: 'ensureDatabase',
      run: (catalog: GlueCatalog) => catalog.ensureDatabase('deid'),
      mockMissing: (glue: MockedGlue) =>
        glue.mock.on(GetDatabaseCommand).rejects(glueErrors.databaseNotFound('deid')),
    },
    {
      case: 'listTables',
      run: (catalog: GlueCatalog) => catalog.listTables('deid'),
      mockMissing: (glue: MockedGlue) =>
        glue.mock.on(GetTablesCommand).rejects(glueErrors.databaseNotFound('deid')),
    },
    {
      case: 'upsertTable',
      run: (catalog: GlueCatalog) =>
        catalog.upsertTable({ ...encountersInput(), database: 'deid' }),
      mockMissing: (glue: MockedGlue) => {
        glue.mock.on(GetTableCommand).rejects(glueErrors.databaseNotFound('deid'));
        glue.mock.on(CreateTableCommand).rejects(glueErrors.databaseNotFound('deid'));
      },
    },
  ])('$case names deployment for missing database', async ({ run, mockMissing }) => {
    mockMissing(glue);

    const error = await rejectionOf(run(catalog));

    expect(error).toBeInstanceOf(GlueDatabaseNotFoundError);
    expect(error).toBeInstanceOf(DatabaseNotFoundError);
    expect((error as DatabaseNotFoundError).message).toBe(
      'database "deid" not found in the catalog',
    );
    expect((error as DatabaseNotFoundError).hint).toBe(DEPLOYMENT_HINT);
  });

  it('reads again after AlreadyExists', async () => {
    glue.mock
      .on(GetTableCommand)
      .rejectsOnce(glueErrors.tableNotFound())
      .resolves({ Table: encountersGlueTable() });
    glue.mock.on(CreateTableCommand).rejects(glueErrors.alreadyExists());

    // A concurrent creator registered the same definition, so nothing is left to write.
    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: false,
      changed: false,
      version: 1,
    });
    expect(glue.mock.commandCalls(GetTableCommand)).toHaveLength(2);
    expect(glue.mock.commandCalls(CreateTableCommand)).toHaveLength(1);
    expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
  });

  it('updates after AlreadyExists with other definition', async () => {
    glue.mock
      .on(GetTableCommand)
      .rejectsOnce(glueErrors.tableNotFound())
      .resolves({ Table: encountersGlueTable({ Description: 'Written by the other creator' }) });
    glue.mock.on(CreateTableCommand).rejects(glueErrors.alreadyExists());
    glue.mock.on(UpdateTableCommand).resolves({});

    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: false,
      changed: true,
      version: 2,
    });
    const update = onlyInput(glue.mock, UpdateTableCommand);
    expect(update.VersionId).toBe('0');
    expect(update.TableInput?.Description).toBe('One row per encounter version');
  });

  it('reads again after ConcurrentModification', async () => {
    const stale = { Description: 'Old text' };
    glue.mock
      .on(GetTableCommand)
      .resolvesOnce({ Table: encountersGlueTable({ ...stale, VersionId: '3' }) })
      .resolves({ Table: encountersGlueTable({ ...stale, VersionId: '4' }) });
    glue.mock.on(UpdateTableCommand).rejectsOnce(glueErrors.concurrentModification()).resolves({});

    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: false,
      changed: true,
      version: 6,
    });
    const versions = sentInputs(glue.mock, UpdateTableCommand).map((input) => input.VersionId);
    expect(versions).toEqual(['3', '4']);
  });

  it('stops after three concurrent changes', async () => {
    glue.mock
      .on(GetTableCommand)
      .resolves({ Table: encountersGlueTable({ Description: 'Old text' }) });
    glue.mock.on(UpdateTableCommand).rejects(glueErrors.concurrentModification());

    const error = await rejectionOf(catalog.upsertTable(encountersInput()));

    expect(error).toBeInstanceOf(CatalogError);
    expect((error as CatalogError).message).toBe(
      'table clinical.encounters was changed by another writer during each of 3 attempts to write it',
    );
    expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(3);
  });

  it('keeps Glue message out of errors', async () => {
    glue.mock
      .on(GetTableCommand)
      .rejects(glueErrors.accessDenied('not authorized, value Doe^Jane in request'));

    const error = await rejectionOf(catalog.getTable('clinical', 'encounters'));

    expect((error as GlueRequestError).describe()).not.toContain('Doe');
  });
});
