// Real: carelake query on the aws backend, the Athena engine and a real AthenaClient, the text
// writers, openLake with its audit chain and mirror. Faked: Athena (responses in the shapes of its
// API reference), S3 and Glue (in-memory fakes), all behind aws-sdk-client-mock.
import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { describeError } from '@carelake/core';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
/* eslint-disable @nx/enforce-module-boundaries -- the recorded Athena responses are a test fixture
   of the query package, shared here rather than written twice. */
import {
  ENCOUNTER_COLUMNS,
  encounterRows,
  executionResponse,
  headerRow,
  QUERY_ID,
  resultsPage,
  WORK_GROUP,
  workGroupResponse,
} from '../../../query/src/athena/__fixtures__/athena-responses';
/* eslint-enable @nx/enforce-module-boundaries */
import { withLake } from '../context';
import { createAwsProject, type AwsProject } from './__fixtures__/aws-lake';
import { IAM_CALLER, runLakeQuery } from './query-athena';
import { interruptionExitCode, type RunQueryOptions } from './query';

const SQL = "SELECT encounter_id, facility, length_of_stay_days FROM encounters WHERE facility = 'EAST'";

describe('carelake query on the aws backend', () => {
  let project: AwsProject;
  let athena: AwsClientStub<AthenaClient>;
  let output: string[];
  const options = (overrides: Partial<RunQueryOptions> = {}): RunQueryOptions => ({
    principal: IAM_CALLER,
    format: 'csv',
    write: (text) => void output.push(text),
    ...overrides,
  });

  beforeEach(async () => {
    project = await createAwsProject({ aws: `athena: { workgroup: ${WORK_GROUP} }` });
    athena = mockClient(AthenaClient);
    athena.on(GetWorkGroupCommand).resolves(workGroupResponse(true));
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.on(GetQueryExecutionCommand).resolves(executionResponse('SUCCEEDED'));
    athena
      .on(GetQueryResultsCommand)
      .resolvesOnce(resultsPage(ENCOUNTER_COLUMNS, [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 2)], 'page-2'))
      .resolves(resultsPage(ENCOUNTER_COLUMNS, encounterRows(3, 1)));
    output = [];
  });

  afterEach(async () => {
    athena.restore();
    await project.cleanup();
  });

  it('runs SQL in configured workgroup', async () => {
    const rows = await withLake(project.config, (lake) => runLakeQuery(project.config, lake, SQL, options()));

    const started = athena.commandCalls(StartQueryExecutionCommand).map((call) => call.args[0].input);
    expect(started).toHaveLength(1);
    expect(started[0]).toMatchObject({
      QueryString: SQL,
      WorkGroup: WORK_GROUP,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'clinical' },
    });
    // The workgroup enforces its result settings, so the request carries none.
    expect(started[0]?.ResultConfiguration).toBeUndefined();
    const pages = athena.commandCalls(GetQueryResultsCommand).map((call) => call.args[0].input);
    expect(pages.map((page) => [page.QueryExecutionId, page.NextToken])).toEqual([
      [QUERY_ID, undefined],
      [QUERY_ID, 'page-2'],
    ]);
    expect(rows).toBe(3);
    expect(output.join('\n').split('\n')).toEqual([
      'encounter_id,facility,length_of_stay_days',
      'ENC-000001,EAST,1',
      'ENC-000002,EAST,2',
      'ENC-000003,EAST,3',
    ]);
  });

  it('records query in audit mirror', async () => {
    await withLake(project.config, (lake) => runLakeQuery(project.config, lake, SQL, options()));

    const events = project.auditEvents().filter((event) => event.action === 'query.run');
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ principal: 'iam-caller', outcome: 'success', details: { queryExecutionId: QUERY_ID, workGroup: WORK_GROUP, rows: 3 } });
    expect(JSON.stringify(events[0])).not.toContain('EAST');
  });

  it('names denied Athena call', async () => {
    athena.on(StartQueryExecutionCommand).rejects(Object.assign(new Error('User is not authorized to perform: athena:StartQueryExecution'), { name: 'AccessDeniedException' }));

    const error = await withLake(project.config, (lake) => runLakeQuery(project.config, lake, SQL, options())).catch((rejection: unknown) => rejection);

    expect(describeError(error)).toBe('Athena StartQueryExecution failed: AccessDeniedException Grant the IAM role athena:StartQueryExecution on the workgroup.');
    expect(output).toEqual([]);
  });

  it('stops timed-out query in Athena', async () => {
    athena.on(GetQueryExecutionCommand).resolves(executionResponse('RUNNING'));
    athena.on(StopQueryExecutionCommand).resolves({});

    const error = await withLake(project.config, (lake) => runLakeQuery(project.config, lake, SQL, options({ timeoutSeconds: 0.3 }))).catch((rejection: unknown) => rejection);

    expect(interruptionExitCode(error)).toBe(124);
    expect(athena.commandCalls(StopQueryExecutionCommand).map((call) => call.args[0].input)).toEqual([{ QueryExecutionId: QUERY_ID }]);
    expect(athena.commandCalls(GetQueryResultsCommand)).toHaveLength(0);
  });

  it('rejects parquet before any request', async () => {
    const error = await withLake(project.config, (lake) => runLakeQuery(project.config, lake, SQL, options({ format: 'parquet', out: `${project.folder}/result.parquet` }))).catch(
      (rejection: unknown) => rejection,
    );

    expect(describeError(error)).toMatch(/^--format parquet is not available on the aws backend Use --format arrow --out FILE, csv or jsonl/);
    expect(athena.calls()).toHaveLength(0);
  });
});
