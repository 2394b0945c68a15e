// GlueCatalog partition batches on a real GlueClient whose send is mocked (aws-sdk-client-mock) with recorded responses; retries record their waits instead of sleeping.
import {
  BatchCreatePartitionCommand,
  BatchDeletePartitionCommand,
  GetTableCommand,
  type PartitionError,
} from '@aws-sdk/client-glue';
import { PARQUET_STORAGE_FORMAT } from '../catalog';
import { TableNotFoundError } from '../errors';
import { rejectionOf } from '../__fixtures__/catalog-fixtures';
import {
  mockedGlueClient,
  sentInputs,
  recordingRetry,
  TEST_BUCKET,
  TEST_PREFIX,
  type MockedGlue,
} from './__fixtures__/glue-client';
import { encountersGlueTable, glueErrors } from './__fixtures__/recorded-responses';
import { GlueCatalog } from './glue-catalog';
import { GluePartitionBatchError, GlueRequestError } from './glue-errors';

/** Partitions for consecutive days from 2026-01-01, as many as asked. */
function dailyPartitions(count: number) {
  return Array.from({ length: count }, (_, index) => {
    const day = new Date(Date.UTC(2026, 0, 1 + index)).toISOString().slice(0, 10);
    return { values: [day], location: `curated/clinical/encounters/admit_month=${day}/` };
  });
}

function entryError(values: string[], code: string): PartitionError {
  return {
    PartitionValues: values,
    ErrorDetail: { ErrorCode: code, ErrorMessage: `${code} for entry` },
  };
}

describe('GlueCatalog partition batches', () => {
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
    glue.mock.on(GetTableCommand).resolves({ Table: encountersGlueTable() });
  });

  afterEach(() => glue.release());

  it('creates 250 in 100, 100, 50', async () => {
    glue.mock.on(BatchCreatePartitionCommand).resolves({});

    const result = await catalog.addPartitions('clinical', 'encounters', dailyPartitions(250));

    expect(result).toEqual({ added: 250 });
    const calls = sentInputs(glue.mock, BatchCreatePartitionCommand);
    expect(calls.map((input) => input.PartitionInputList?.length)).toEqual([100, 100, 50]);
    expect(calls.map((input) => input.PartitionInputList?.[0]?.Values)).toEqual([
      ['2026-01-01'],
      ['2026-04-11'],
      ['2026-07-20'],
    ]);
    expect(calls[0]?.DatabaseName).toBe('clinical');
    expect(calls[0]?.TableName).toBe('encounters');
    expect(calls[0]?.PartitionInputList?.[0]).toStrictEqual({
      Values: ['2026-01-01'],
      Parameters: {},
      StorageDescriptor: {
        Columns: encountersGlueTable().StorageDescriptor?.Columns,
        Location:
          's3://carelake-test-lake/lake/curated/clinical/encounters/admit_month=2026-01-01/',
        InputFormat: PARQUET_STORAGE_FORMAT.inputFormat,
        OutputFormat: PARQUET_STORAGE_FORMAT.outputFormat,
        SerdeInfo: { SerializationLibrary: PARQUET_STORAGE_FORMAT.serde },
      },
    });
  });

  it('deletes 60 in 25, 25, 10', async () => {
    glue.mock.on(BatchDeletePartitionCommand).resolves({});
    const values = dailyPartitions(60).map((partition) => partition.values);

    expect(await catalog.deletePartitions('clinical', 'encounters', values)).toEqual({
      deleted: 60,
    });

    const calls = sentInputs(glue.mock, BatchDeletePartitionCommand);
    expect(calls.map((input) => input.PartitionsToDelete?.length)).toEqual([25, 25, 10]);
    expect(calls[2]).toStrictEqual({
      DatabaseName: 'clinical',
      TableName: 'encounters',
      PartitionsToDelete: values.slice(50).map((entry) => ({ Values: entry })),
    });
  });

  it('counts existing and missing as skipped', async () => {
    glue.mock
      .on(BatchCreatePartitionCommand)
      .resolves({ Errors: [entryError(['2026-01-02'], 'AlreadyExistsException')] });
    glue.mock
      .on(BatchDeletePartitionCommand)
      .resolves({ Errors: [entryError(['2026-01-03'], 'EntityNotFoundException')] });

    expect(await catalog.addPartitions('clinical', 'encounters', dailyPartitions(3))).toEqual({
      added: 2,
    });
    const values = dailyPartitions(3).map((partition) => partition.values);
    expect(await catalog.deletePartitions('clinical', 'encounters', values)).toEqual({
      deleted: 2,
    });
    expect(retry.retries).toEqual([]);
  });

  it('retries only failed entries', async () => {
    glue.mock
      .on(BatchCreatePartitionCommand)
      .resolvesOnce({
        Errors: [
          entryError(['2026-01-02'], 'ThrottlingException'),
          entryError(['2026-01-04'], 'InternalServiceException'),
          entryError(['2026-01-05'], 'AlreadyExistsException'),
        ],
      })
      .resolvesOnce({});

    const result = await catalog.addPartitions('clinical', 'encounters', dailyPartitions(5));

    expect(result).toEqual({ added: 4 });
    const calls = sentInputs(glue.mock, BatchCreatePartitionCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.PartitionInputList?.map((input) => input.Values)).toEqual([
      ['2026-01-02'],
      ['2026-01-04'],
    ]);
    expect(retry.sleepsMs).toEqual([100]);
    expect(retry.retries).toEqual([
      {
        operation: 'BatchCreatePartition',
        target: { database: 'clinical', table: 'encounters' },
        attempt: 1,
        delayMs: 100,
        errorCode: 'ThrottlingException',
        retriedEntries: 2,
      },
    ]);
  });

  it('gives up on entry after 5 attempts', async () => {
    glue.mock
      .on(BatchCreatePartitionCommand)
      .resolves({ Errors: [entryError(['2026-01-01'], 'ThrottlingException')] });

    const error = await rejectionOf(
      catalog.addPartitions('clinical', 'encounters', dailyPartitions(2)),
    );

    expect(error).toBeInstanceOf(GluePartitionBatchError);
    expect((error as GluePartitionBatchError).failedCount).toBe(1);
    expect((error as GluePartitionBatchError).succeededCount).toBe(1);
    expect(glue.mock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(5);
    expect(retry.sleepsMs).toEqual([100, 200, 400, 800]);
  });

  it('reports other entry errors by code', async () => {
    glue.mock
      .on(BatchCreatePartitionCommand)
      .resolvesOnce({
        Errors: [
          entryError(['2026-01-01'], 'InvalidInputException'),
          entryError(['2026-01-03'], 'ResourceNumberLimitExceededException'),
          entryError(['2026-02-19'], 'InvalidInputException'),
        ],
      })
      .resolvesOnce({ Errors: [entryError(['2026-04-20'], 'InvalidInputException')] });
    const partitions = dailyPartitions(150);

    const error = await rejectionOf(catalog.addPartitions('clinical', 'encounters', partitions));

    expect(error).toBeInstanceOf(GluePartitionBatchError);
    const batchError = error as GluePartitionBatchError;
    expect(batchError.message).toBe(
      'Glue BatchCreatePartition failed for 4 of 150 partition(s) of clinical.encounters: InvalidInputException (3), ResourceNumberLimitExceededException (1)',
    );
    expect(batchError.errorCodes).toEqual({
      InvalidInputException: 3,
      ResourceNumberLimitExceededException: 1,
    });
    // The second call went out although the first had failures, and nothing failed was retried.
    expect(glue.mock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(2);
    expect(batchError.describe()).not.toContain('2026-01-01');
  });

  it('maps missing table to TableNotFoundError', async () => {
    glue.mock.on(BatchCreatePartitionCommand).rejects(glueErrors.tableNotFound());

    const error = await rejectionOf(
      catalog.addPartitions('clinical', 'encounters', dailyPartitions(1)),
    );

    expect(error).toBeInstanceOf(TableNotFoundError);
  });

  it('names operation and table for other errors', async () => {
    glue.mock
      .on(BatchDeletePartitionCommand)
      .rejects(glueErrors.accessDenied('denied for Doe^Jane'));

    const error = await rejectionOf(
      catalog.deletePartitions('clinical', 'encounters', [['2026-01-01']]),
    );

    expect(error).toBeInstanceOf(GlueRequestError);
    expect((error as GlueRequestError).message).toBe(
      'Glue BatchDeletePartition on table clinical.encounters failed: AccessDeniedException (HTTP 400)',
    );
    expect((error as GlueRequestError).describe()).not.toContain('Doe');
  });
});
