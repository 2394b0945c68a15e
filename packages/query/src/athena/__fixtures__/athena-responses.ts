// Athena API responses written by hand in the shapes of the Athena API reference
// (GetWorkGroup, GetQueryExecution, GetQueryResults), with synthetic clinical values.
import type {
  ColumnInfo,
  GetQueryExecutionOutput,
  GetQueryResultsOutput,
  GetWorkGroupOutput,
  QueryExecutionState,
  QueryExecutionStatus,
  Row,
} from '@aws-sdk/client-athena';

export const QUERY_ID = '3c9f2b1e-7d4a-4e0b-9a51-8f2d6c0e4b17';
export const WORK_GROUP = 'carelake-analysts';
export const RESULTS_BUCKET = 's3://carelake-athena-results-111122223333/';

/** Build the GetWorkGroup output for a workgroup that does or does not enforce its result settings. */
export function workGroupResponse(enforce: boolean): GetWorkGroupOutput {
  return {
    WorkGroup: {
      Name: WORK_GROUP,
      State: 'ENABLED',
      Configuration: {
        ResultConfiguration: {
          OutputLocation: `${RESULTS_BUCKET}${WORK_GROUP}/`,
          EncryptionConfiguration: {
            EncryptionOption: 'SSE_KMS',
            KmsKey: 'arn:aws:kms:us-east-1:111122223333:key/lake',
          },
        },
        EnforceWorkGroupConfiguration: enforce,
        PublishCloudWatchMetricsEnabled: true,
        RequesterPaysEnabled: false,
        EngineVersion: {
          SelectedEngineVersion: 'AUTO',
          EffectiveEngineVersion: 'Athena engine version 3',
        },
      },
      CreationTime: new Date('2026-01-05T10:00:00.000Z'),
    },
  };
}

/** Build the GetQueryExecution output for the query in `state`. */
export function executionResponse(
  state: QueryExecutionState,
  status: Partial<QueryExecutionStatus> = {},
  dataScannedBytes = 52_428_800,
): GetQueryExecutionOutput {
  const finished = state === 'SUCCEEDED' || state === 'FAILED' || state === 'CANCELLED';
  return {
    QueryExecution: {
      QueryExecutionId: QUERY_ID,
      Query: 'SELECT ...',
      StatementType: 'DML',
      SubstatementType: 'SELECT',
      ResultConfiguration: { OutputLocation: `${RESULTS_BUCKET}${QUERY_ID}.csv` },
      QueryExecutionContext: { Database: 'clinical', Catalog: 'awsdatacatalog' },
      Status: {
        State: state,
        SubmissionDateTime: new Date('2026-03-02T08:15:00.000Z'),
        ...(finished ? { CompletionDateTime: new Date('2026-03-02T08:15:04.250Z') } : {}),
        ...status,
      },
      Statistics: {
        EngineExecutionTimeInMillis: 3810,
        DataScannedInBytes: finished ? dataScannedBytes : 0,
        TotalExecutionTimeInMillis: 4250,
        QueryQueueTimeInMillis: 140,
        QueryPlanningTimeInMillis: 620,
        ServiceProcessingTimeInMillis: 95,
        ResultReuseInformation: { ReusedPreviousResult: false },
      },
      WorkGroup: WORK_GROUP,
      EngineVersion: {
        SelectedEngineVersion: 'AUTO',
        EffectiveEngineVersion: 'Athena engine version 3',
      },
    },
  };
}

/** Build a ColumnInfo as Athena engine version 3 reports it for a query result. */
export function column(name: string, type: string, precision = 0, scale = 0): ColumnInfo {
  return {
    CatalogName: 'hive',
    SchemaName: '',
    TableName: '',
    Name: name,
    Label: name,
    Type: type,
    Precision: precision,
    Scale: scale,
    Nullable: 'UNKNOWN',
    CaseSensitive: type === 'varchar',
  };
}

/** Build a result row; `null` becomes a Datum without VarCharValue, as Athena sends NULL. */
export function row(...values: (string | null)[]): Row {
  return { Data: values.map((value) => (value === null ? {} : { VarCharValue: value })) };
}

/** Build the header row Athena puts first on the first page of a SELECT. */
export function headerRow(columns: readonly ColumnInfo[]): Row {
  return row(...columns.map((info) => info.Label ?? null));
}

/** Build one GetQueryResults page. */
export function resultsPage(
  columns: ColumnInfo[],
  rows: Row[],
  nextToken?: string,
): GetQueryResultsOutput {
  return {
    UpdateCount: 0,
    ResultSet: { Rows: rows, ResultSetMetadata: { ColumnInfo: columns } },
    ...(nextToken === undefined ? {} : { NextToken: nextToken }),
  };
}

export const ENCOUNTER_COLUMNS: ColumnInfo[] = [
  column('encounter_id', 'varchar', 2147483647),
  column('facility', 'varchar', 2147483647),
  column('length_of_stay_days', 'integer', 10),
];

/** Build `count` encounter rows numbered from `first`, all at facility EAST. */
export function encounterRows(first: number, count: number): Row[] {
  return Array.from({ length: count }, (_, index) => {
    const number = first + index;
    return row(`ENC-${String(number).padStart(6, '0')}`, 'EAST', String(number % 9));
  });
}
