import {
  AccessDeniedException,
  AlreadyExistsException,
  ConcurrentModificationException,
  EntityNotFoundException,
  InternalServiceException,
  ThrottlingException,
  type Partition,
  type Table,
} from '@aws-sdk/client-glue';
import { PARQUET_STORAGE_FORMAT } from '../../catalog';
import { TEST_LAKE_URI } from './glue-client';

// Glue responses shaped like those of the GetTable and GetPartitions API
// reference, with the fields Glue adds (CatalogId, CreatedBy, NumberOfBuckets,
// IsRegisteredWithLakeFormation) that the catalog must ignore.

export const CREATED_AT = new Date('2026-03-01T08:00:00.000Z');
export const UPDATED_AT = new Date('2026-03-02T09:30:00.000Z');

const $metadata = { httpStatusCode: 400, requestId: 'f3b1c7de-0000-4000-8000-000000000000' };

/** Build the Glue table that `encountersInput()` registers, at `VersionId` "0". */
export function encountersGlueTable(overrides: Partial<Table> = {}): Table {
  return {
    Name: 'encounters',
    DatabaseName: 'clinical',
    Description: 'One row per encounter version',
    Owner: 'arn:aws:iam::111122223333:role/carelake-runner',
    CreateTime: CREATED_AT,
    UpdateTime: UPDATED_AT,
    Retention: 0,
    StorageDescriptor: {
      Columns: [
        {
          Name: 'encounter_key',
          Type: 'string',
          Comment: 'Source-qualified encounter id',
          Parameters: {},
        },
        { Name: 'patient_key', Type: 'string', Parameters: { 'carelake.classification': 'phi' } },
        { Name: 'admit_time', Type: 'timestamp', Parameters: {} },
      ],
      Location: `${TEST_LAKE_URI}curated/clinical/encounters/`,
      InputFormat: PARQUET_STORAGE_FORMAT.inputFormat,
      OutputFormat: PARQUET_STORAGE_FORMAT.outputFormat,
      Compressed: false,
      NumberOfBuckets: 0,
      SerdeInfo: { SerializationLibrary: PARQUET_STORAGE_FORMAT.serde, Parameters: {} },
      SortColumns: [],
      StoredAsSubDirectories: false,
    },
    PartitionKeys: [{ Name: 'admit_month', Type: 'string', Parameters: {} }],
    TableType: 'EXTERNAL_TABLE',
    Parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
    CreatedBy: 'arn:aws:sts::111122223333:assumed-role/carelake-runner/session',
    IsRegisteredWithLakeFormation: false,
    CatalogId: '111122223333',
    VersionId: '0',
    ...overrides,
  };
}

/** Build a partition of `encountersGlueTable()` as GetPartitions returns it with `ExcludeColumnSchema`. */
export function encountersGluePartition(month: string): Partition {
  return {
    Values: [month],
    DatabaseName: 'clinical',
    TableName: 'encounters',
    CreationTime: CREATED_AT,
    StorageDescriptor: {
      Location: `${TEST_LAKE_URI}curated/clinical/encounters/admit_month=${month}/`,
      InputFormat: PARQUET_STORAGE_FORMAT.inputFormat,
      OutputFormat: PARQUET_STORAGE_FORMAT.outputFormat,
      SerdeInfo: { SerializationLibrary: PARQUET_STORAGE_FORMAT.serde },
    },
    Parameters: {},
    CatalogId: '111122223333',
  };
}

/** Glue errors as the SDK throws them, with the message Glue sends. */
export const glueErrors = {
  tableNotFound: () =>
    new EntityNotFoundException({ message: 'Table encounters not found.', $metadata }),
  databaseNotFound: (name: string) =>
    new EntityNotFoundException({ message: `Database ${name} not found.`, $metadata }),
  alreadyExists: () => new AlreadyExistsException({ message: 'Table already exists.', $metadata }),
  concurrentModification: () =>
    new ConcurrentModificationException({
      message: 'Update table failed due to concurrent modifications.',
      $metadata,
    }),
  throttling: () => new ThrottlingException({ message: 'Rate exceeded', $metadata }),
  internal: () =>
    new InternalServiceException({
      message: 'Internal service error',
      $metadata: { ...$metadata, httpStatusCode: 500 },
    }),
  accessDenied: (message = 'User is not authorized to perform: glue:GetTable') =>
    new AccessDeniedException({ message, $metadata }),
};
