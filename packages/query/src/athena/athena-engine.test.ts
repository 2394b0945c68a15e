// AthenaQueryEngine with a real AthenaClient and a real FileAuditLog in a temp folder; aws-sdk-client-mock returns recorded responses to the Athena calls, and the clock and sleep are manual.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  GetWorkGroupCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { FileAuditLog, readAuditEvents, type AuditEvent } from '@carelake/audit';
import { ConfigError, ManualClock, sha256Hex } from '@carelake/core';
import { QueryExecutionError, QueryInterruptedError, QueryTimeoutError } from '../errors';
import {
  column,
  ENCOUNTER_COLUMNS,
  encounterRows,
  executionResponse,
  headerRow,
  QUERY_ID,
  resultsPage,
  row,
  WORK_GROUP,
  workGroupResponse,
} from './__fixtures__/athena-responses';
import {
  ANALYST,
  mockedAthena,
  recordingSleep,
  sentRequests,
  type MockedAthena,
} from './__fixtures__/mocked-athena';
import { AthenaQueryEngine } from './athena-engine';
import {
  AthenaQueryFailedError,
  AthenaResultError,
  AthenaQueryTimeoutError,
  QueryCancelledError,
  QueryTextTooLargeError,
} from './athena-errors';
import type { AthenaQueryEngineOptions } from './athena-options';

const SQL =
  "SELECT encounter_id, facility, length_of_stay_days FROM clinical.encounters WHERE facility = 'EAST'";
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const GET_WORK_GROUP = { command: 'GetWorkGroupCommand', input: { WorkGroup: WORK_GROUP } };
const POLL = { command: 'GetQueryExecutionCommand', input: { QueryExecutionId: QUERY_ID } };
const STOP = { command: 'StopQueryExecutionCommand', input: { QueryExecutionId: QUERY_ID } };

function start(sql = SQL): { command: string; input: unknown } {
  return {
    command: 'StartQueryExecutionCommand',
    input: {
      QueryString: sql,
      WorkGroup: WORK_GROUP,
      QueryExecutionContext: { Catalog: 'AwsDataCatalog', Database: 'clinical' },
      ClientRequestToken: expect.stringMatching(UUID_PATTERN),
    },
  };
}

function results(nextToken?: string): { command: string; input: unknown } {
  return {
    command: 'GetQueryResultsCommand',
    input: {
      QueryExecutionId: QUERY_ID,
      MaxResults: 1000,
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    },
  };
}

describe('AthenaQueryEngine', () => {
  let folder: string;
  let auditDir: string;
  let audit: FileAuditLog;
  let clock: ManualClock;
  let athena: MockedAthena;

  beforeEach(async () => {
    folder = await mkdtemp(path.join(os.tmpdir(), 'carelake-athena-'));
    auditDir = path.join(folder, '_audit');
    clock = new ManualClock('2026-03-02T08:15:00.000Z');
    audit = await FileAuditLog.open({ dir: auditDir, clock, fsync: false });
    athena = mockedAthena();
    athena.mock.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: QUERY_ID });
    athena.mock.on(StopQueryExecutionCommand).resolves({});
  });

  afterEach(async () => {
    athena.mock.restore();
    athena.client.destroy();
    await audit.close();
    await rm(folder, { recursive: true, force: true });
  });

  async function openEngine(
    options: Partial<AthenaQueryEngineOptions> & {
      enforce?: boolean;
      onSleep?: (call: number) => void;
    } = {},
  ): Promise<{ engine: AthenaQueryEngine; delaysMs: number[] }> {
    const { enforce = true, onSleep, ...engineOptions } = options;
    athena.mock.on(GetWorkGroupCommand).resolves(workGroupResponse(enforce));
    const { sleep, delaysMs } = recordingSleep(clock, onSleep);
    const engine = await AthenaQueryEngine.open({
      client: athena.client,
      workGroup: WORK_GROUP,
      database: 'clinical',
      audit,
      clock,
      sleep,
      ...engineOptions,
    });
    return { engine, delaysMs };
  }

  async function auditEvents(): Promise<AuditEvent[]> {
    await audit.close();
    const events: AuditEvent[] = [];
    for await (const event of readAuditEvents(auditDir)) events.push(event);
    return events;
  }

  function succeedAfterOnePoll(): void {
    athena.mock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(executionResponse('RUNNING'))
      .resolves(executionResponse('SUCCEEDED'));
  }

  it('streams three pages, header only on the first', async () => {
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        resultsPage(
          ENCOUNTER_COLUMNS,
          [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 999)],
          'token-page-2',
        ),
      )
      .resolvesOnce(resultsPage(ENCOUNTER_COLUMNS, encounterRows(1000, 1000), 'token-page-3'))
      .resolvesOnce(resultsPage(ENCOUNTER_COLUMNS, encounterRows(2000, 250)));
    const { engine } = await openEngine();

    const result = await engine.query(SQL, { principal: ANALYST });
    const batches = result.batches[Symbol.asyncIterator]();
    const first = await batches.next();
    const pagesAfterFirstBatch = athena.mock.commandCalls(GetQueryResultsCommand).length;
    const rest: Record<string, unknown>[][] = [];
    for (let next = await batches.next(); !next.done; next = await batches.next())
      rest.push(next.value);

    expect(pagesAfterFirstBatch).toBe(1);
    expect(result.columns).toEqual([
      { name: 'encounter_id', type: 'varchar' },
      { name: 'facility', type: 'varchar' },
      { name: 'length_of_stay_days', type: 'integer' },
    ]);
    const all = [first.value ?? [], ...rest];
    expect(all.map((batch) => batch.length)).toEqual([999, 1000, 250]);
    expect(all[0]?.[0]).toEqual({
      encounter_id: 'ENC-000001',
      facility: 'EAST',
      length_of_stay_days: 1,
    });
    expect(all[1]?.[0]).toEqual({
      encounter_id: 'ENC-001000',
      facility: 'EAST',
      length_of_stay_days: 1,
    });
    expect(all[2]?.[249]).toEqual({
      encounter_id: 'ENC-002249',
      facility: 'EAST',
      length_of_stay_days: 8,
    });
    expect(sentRequests(athena.mock)).toEqual([
      GET_WORK_GROUP,
      start(),
      POLL,
      POLL,
      results(),
      results('token-page-2'),
      results('token-page-3'),
    ]);
  });

  it('records one audit event per query', async () => {
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(
        resultsPage(ENCOUNTER_COLUMNS, [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 3)]),
      );
    const { engine } = await openEngine();

    await engine.queryAll(SQL, { principal: ANALYST });
    const events = await auditEvents();

    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      principal: 'analyst-east',
      action: 'query.run',
      resources: [],
      outcome: 'success',
      details: {
        sqlSha256: sha256Hex(SQL),
        workGroup: WORK_GROUP,
        queryExecutionId: QUERY_ID,
        dataScannedBytes: 52_428_800,
        rows: 3,
        durationMs: 100,
      },
    });
    expect(JSON.stringify(events[0])).not.toContain('EAST');
  });

  it('converts every type in the metadata', async () => {
    const columns = [
      column('is_inpatient', 'boolean'),
      column('bed_floor', 'tinyint', 3),
      column('bed_number', 'smallint', 5),
      column('length_of_stay_days', 'integer', 10),
      column('encounter_seq', 'bigint', 19),
      column('weight_kg', 'double', 17),
      column('temperature_c', 'real', 7),
      column('charge_usd', 'decimal', 10, 2),
      column('admit_date', 'date'),
      column('admitted_at', 'timestamp', 3),
      column('encounter_id', 'varchar', 2147483647),
      column('facility_code', 'char', 4),
      column('extension', 'json'),
      column('diagnosis_ranks', 'array'),
      column('diagnosis_codes', 'array'),
      column('code_counts', 'map'),
      column('attending', 'row'),
    ];
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(
        resultsPage(columns, [
          headerRow(columns),
          row(
            'true',
            '3',
            '412',
            '4',
            '9007199254740993',
            '81.25',
            '37.5',
            '1234.50',
            '2026-02-28',
            '2026-02-28 23:59:58.123',
            'ENC-000042',
            'EAST',
            '{"system":"http://loinc.org"}',
            '[1, 2, 3]',
            '[I10, E11.9]',
            '{I10=2, E11.9=1}',
            '{npi=1234567893, role=attending}',
          ),
        ]),
      );
    const { engine } = await openEngine();

    const { columns: queryColumns, rows } = await engine.queryAll(
      'SELECT * FROM clinical.encounter_summary',
      { principal: ANALYST },
    );

    expect(rows).toEqual([
      {
        is_inpatient: true,
        bed_floor: 3,
        bed_number: 412,
        length_of_stay_days: 4,
        encounter_seq: 9007199254740993n,
        weight_kg: 81.25,
        temperature_c: 37.5,
        charge_usd: '1234.50',
        admit_date: new Date('2026-02-28T00:00:00.000Z'),
        admitted_at: new Date('2026-02-28T23:59:58.123Z'),
        encounter_id: 'ENC-000042',
        facility_code: 'EAST',
        extension: '{"system":"http://loinc.org"}',
        diagnosis_ranks: [1, 2, 3],
        diagnosis_codes: '[I10, E11.9]',
        code_counts: '{I10=2, E11.9=1}',
        attending: '{npi=1234567893, role=attending}',
      },
    ]);
    expect(queryColumns.find((info) => info.name === 'charge_usd')).toEqual({
      name: 'charge_usd',
      type: 'decimal(10,2)',
    });
  });

  it('keeps NULL apart from the empty string', async () => {
    const columns = [
      column('middle_name_code', 'varchar', 2147483647),
      column('suffix', 'varchar', 2147483647),
      column('parity', 'integer', 10),
    ];
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(
        resultsPage(columns, [headerRow(columns), row(null, '', null), row('', null, '0')]),
      );
    const { engine } = await openEngine();

    const { rows } = await engine.queryAll(
      'SELECT middle_name_code, suffix, parity FROM clinical.patients',
      { principal: ANALYST },
    );

    expect(rows).toEqual([
      { middle_name_code: null, suffix: '', parity: null },
      { middle_name_code: '', suffix: null, parity: 0 },
    ]);
  });

  it('drops a label-like row only on the first page', async () => {
    const columns = [column('facility', 'varchar', 2147483647)];
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolvesOnce(resultsPage(columns, [headerRow(columns), row('EAST')], 'token-page-2'))
      .resolvesOnce(resultsPage(columns, [row('facility'), row('WEST')]));
    const { engine } = await openEngine();

    const { rows } = await engine.queryAll('SELECT facility FROM clinical.facilities', {
      principal: ANALYST,
    });

    expect(rows).toEqual([{ facility: 'EAST' }, { facility: 'facility' }, { facility: 'WEST' }]);
  });

  it('reports a failed query with reason and id', async () => {
    const reason =
      "COLUMN_NOT_FOUND: line 1:8: Column 'admit_dt' cannot be resolved or requester is not authorized to access requested resources";
    athena.mock.on(GetQueryExecutionCommand).resolves(
      executionResponse(
        'FAILED',
        {
          StateChangeReason: reason,
          AthenaError: {
            ErrorCategory: 2,
            ErrorType: 1006,
            Retryable: false,
            ErrorMessage: reason,
          },
        },
        1024,
      ),
    );
    const { engine } = await openEngine();

    const error = await engine
      .query('SELECT admit_dt FROM clinical.encounters', { principal: ANALYST })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AthenaQueryFailedError);
    expect(error).toBeInstanceOf(QueryExecutionError);
    const failed = error as AthenaQueryFailedError;
    expect(failed.queryExecutionId).toBe(QUERY_ID);
    expect(failed.stateChangeReason).toBe(reason);
    expect(failed.errorCategory).toBe(2);
    expect(failed.errorType).toBe(1006);
    expect(failed.retryable).toBe(false);
    expect(failed.message).toBe(
      `Athena query ${QUERY_ID} failed: error category 2 (user), error type 1006`,
    );
    expect(sentRequests(athena.mock)).toEqual([
      GET_WORK_GROUP,
      start('SELECT admit_dt FROM clinical.encounters'),
      POLL,
    ]);
    const [event] = await auditEvents();
    expect(event?.outcome).toBe('failure');
    expect(event?.details).toMatchObject({
      queryExecutionId: QUERY_ID,
      dataScannedBytes: 1024,
      durationMs: 0,
    });
  });

  it('stops the query when the signal aborts while polling', async () => {
    const controller = new AbortController();
    athena.mock.on(GetQueryExecutionCommand).resolves(executionResponse('RUNNING'));
    const reason = new Error('Ctrl-C');
    const { engine } = await openEngine({
      onSleep: (call) => call === 2 && controller.abort(reason),
    });

    const error = await engine
      .query(SQL, { principal: ANALYST, signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(error).toBeInstanceOf(QueryInterruptedError);
    expect((error as QueryCancelledError).queryExecutionId).toBe(QUERY_ID);
    expect((error as QueryCancelledError).cause).toBe(reason);
    expect((error as QueryCancelledError).stopFailure).toBeUndefined();
    expect(sentRequests(athena.mock)).toEqual([GET_WORK_GROUP, start(), POLL, POLL, STOP]);
    const [event] = await auditEvents();
    expect(event?.outcome).toBe('failure');
  });

  it('stops the query when the signal aborts while paging', async () => {
    const controller = new AbortController();
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        resultsPage(
          ENCOUNTER_COLUMNS,
          [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 999)],
          'token-page-2',
        ),
      )
      .resolves(resultsPage(ENCOUNTER_COLUMNS, encounterRows(1000, 5)));
    const { engine } = await openEngine();

    const result = await engine.query(SQL, { principal: ANALYST, signal: controller.signal });
    const batches = result.batches[Symbol.asyncIterator]();
    await batches.next();
    controller.abort();
    const error = await batches.next().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(sentRequests(athena.mock)).toEqual([
      GET_WORK_GROUP,
      start(),
      POLL,
      POLL,
      results(),
      STOP,
    ]);
    const [event] = await auditEvents();
    expect(event).toMatchObject({ outcome: 'failure', details: { rows: 999 } });
  });

  it('stops the query on abort during a real sleep', async () => {
    athena.mock.on(GetWorkGroupCommand).resolves(workGroupResponse(true));
    athena.mock.on(GetQueryExecutionCommand).resolves(executionResponse('QUEUED'));
    const engine = await AthenaQueryEngine.open({
      client: athena.client,
      workGroup: WORK_GROUP,
      database: 'clinical',
      polling: { initialDelayMs: 60_000 },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);

    const startedMs = Date.now();
    const error = await engine
      .query(SQL, { principal: ANALYST, signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryCancelledError);
    expect(Date.now() - startedMs).toBeLessThan(5_000);
    expect(sentRequests(athena.mock).at(-1)).toEqual(STOP);
  });

  it('sends nothing after an earlier abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const { engine } = await openEngine();
    athena.mock.resetHistory();

    const error = await engine
      .query(SQL, { principal: ANALYST, signal: controller.signal })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryInterruptedError);
    expect(error).not.toBeInstanceOf(QueryCancelledError);
    expect(sentRequests(athena.mock)).toEqual([]);
  });

  it('reports a query cancelled in Athena', async () => {
    athena.mock
      .on(GetQueryExecutionCommand)
      .resolves(executionResponse('CANCELLED', { StateChangeReason: 'Query cancelled by user' }));
    const { engine } = await openEngine();

    const error = await engine
      .query(SQL, { principal: ANALYST })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(QueryCancelledError);
    expect((error as QueryCancelledError).message).toBe(
      `Athena query ${QUERY_ID} was cancelled in Athena`,
    );
    expect(sentRequests(athena.mock)).toEqual([GET_WORK_GROUP, start(), POLL]);
  });

  it('keeps polling after RUNNING goes back to QUEUED', async () => {
    athena.mock
      .on(GetQueryExecutionCommand)
      .resolvesOnce(executionResponse('RUNNING'))
      .resolvesOnce(executionResponse('QUEUED'))
      .resolvesOnce(executionResponse('RUNNING'))
      .resolves(executionResponse('SUCCEEDED'));
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(
        resultsPage(ENCOUNTER_COLUMNS, [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 2)]),
      );
    const { engine, delaysMs } = await openEngine();

    const { rows } = await engine.queryAll(SQL, { principal: ANALYST });

    expect(rows).toHaveLength(2);
    expect(delaysMs).toEqual([100, 200, 400]);
    expect(sentRequests(athena.mock)).toEqual([
      GET_WORK_GROUP,
      start(),
      POLL,
      POLL,
      POLL,
      POLL,
      results(),
    ]);
  });

  it('stops the query after timeoutMs', async () => {
    athena.mock.on(GetQueryExecutionCommand).resolves(executionResponse('RUNNING'));
    const { engine, delaysMs } = await openEngine();

    const error = await engine
      .query(SQL, { principal: ANALYST, timeoutMs: 1000 })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AthenaQueryTimeoutError);
    expect(error).toBeInstanceOf(QueryTimeoutError);
    expect((error as AthenaQueryTimeoutError).queryExecutionId).toBe(QUERY_ID);
    expect((error as AthenaQueryTimeoutError).timeoutMs).toBe(1000);
    expect(delaysMs).toEqual([100, 200, 400, 300]);
    expect(sentRequests(athena.mock)).toEqual([
      GET_WORK_GROUP,
      start(),
      POLL,
      POLL,
      POLL,
      POLL,
      POLL,
      STOP,
    ]);
  });

  it('rejects over-long SQL without a request', async () => {
    // 'é' is 2 bytes in UTF-8, so the text is under the limit in characters and over it in bytes.
    const sql = `SELECT '${'é'.repeat(131_070)}'`;
    const { engine } = await openEngine();
    athena.mock.resetHistory();

    const error = await engine
      .query(sql, { principal: ANALYST })
      .catch((caught: unknown) => caught);

    expect(sql.length).toBeLessThan(262_144);
    expect(error).toBeInstanceOf(QueryTextTooLargeError);
    expect((error as Error).message).toBe(
      "query text is 262149 bytes in UTF-8, more than Athena's maximum of 262144",
    );
    expect(sentRequests(athena.mock)).toEqual([]);
  });

  it.each([
    {
      case: 'enforcing workgroup',
      enforce: true,
      options: { outputLocation: 's3://ignored-results/' },
      expected: undefined,
    },
    {
      case: 'SSE_KMS',
      enforce: false,
      options: {
        outputLocation: 's3://carelake-results/athena/',
        encryption: {
          encryptionOption: 'SSE_KMS' as const,
          kmsKey: 'arn:aws:kms:us-east-1:111122223333:key/results',
        },
      },
      expected: {
        OutputLocation: 's3://carelake-results/athena/',
        EncryptionConfiguration: {
          EncryptionOption: 'SSE_KMS',
          KmsKey: 'arn:aws:kms:us-east-1:111122223333:key/results',
        },
      },
    },
    {
      case: 'SSE_S3',
      enforce: false,
      options: {
        outputLocation: 's3://carelake-results/athena/',
        encryption: { encryptionOption: 'SSE_S3' as const },
      },
      expected: {
        OutputLocation: 's3://carelake-results/athena/',
        EncryptionConfiguration: { EncryptionOption: 'SSE_S3' },
      },
    },
    { case: 'workgroup default location', enforce: false, options: {}, expected: undefined },
  ])('sends result configuration for $case', async ({ enforce, options, expected }) => {
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(resultsPage(ENCOUNTER_COLUMNS, [headerRow(ENCOUNTER_COLUMNS)]));
    const { engine } = await openEngine({ enforce, ...options });

    await engine.queryAll(SQL, { principal: ANALYST });
    const [call] = athena.mock.commandCalls(StartQueryExecutionCommand);

    if (expected === undefined) {
      expect(call?.args[0].input).not.toHaveProperty('ResultConfiguration');
    } else {
      expect(call?.args[0].input.ResultConfiguration).toEqual(expected);
    }
  });

  it('stops paging once limit is reached', async () => {
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolvesOnce(
        resultsPage(
          ENCOUNTER_COLUMNS,
          [headerRow(ENCOUNTER_COLUMNS), ...encounterRows(1, 999)],
          'token-page-2',
        ),
      )
      .resolves(resultsPage(ENCOUNTER_COLUMNS, encounterRows(1000, 1000)));
    const { engine } = await openEngine();

    const { rows } = await engine.queryAll(SQL, { principal: ANALYST, limit: 10 });

    expect(rows).toHaveLength(10);
    expect(rows.at(-1)?.encounter_id).toBe('ENC-000010');
    expect(sentRequests(athena.mock)).toEqual([GET_WORK_GROUP, start(), POLL, POLL, results()]);
    const [event] = await auditEvents();
    expect(event?.details.rows).toBe(10);
  });

  it('reuses the token for one idempotency key', async () => {
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(resultsPage(ENCOUNTER_COLUMNS, [headerRow(ENCOUNTER_COLUMNS)]));
    const { engine } = await openEngine();

    await engine.queryAll(SQL, { principal: ANALYST, idempotencyKey: 'monthly-census-2026-02' });
    await engine.queryAll(SQL, { principal: ANALYST, idempotencyKey: 'monthly-census-2026-02' });
    await engine.queryAll(SQL, { principal: ANALYST, idempotencyKey: 'monthly-census-2026-03' });
    const tokens = athena.mock
      .commandCalls(StartQueryExecutionCommand)
      .map((call) => call.args[0].input.ClientRequestToken);

    expect(tokens[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(tokens[1]).toBe(tokens[0]);
    expect(tokens[2]).not.toBe(tokens[0]);
  });

  it('rejects an invalid value with its position', async () => {
    const columns = [
      column('encounter_id', 'varchar', 2147483647),
      column('length_of_stay_days', 'integer', 10),
    ];
    succeedAfterOnePoll();
    athena.mock
      .on(GetQueryResultsCommand)
      .resolves(
        resultsPage(columns, [
          headerRow(columns),
          row('ENC-000001', '3'),
          row('ENC-000002', 'three'),
        ]),
      );
    const { engine } = await openEngine();

    const error = await engine
      .queryAll(SQL, { principal: ANALYST })
      .catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AthenaResultError);
    expect((error as AthenaResultError).position).toEqual({
      record: 1,
      field: 'length_of_stay_days',
    });
    expect((error as Error).message).not.toContain('three');
  });

  it('reports every invalid engine option', async () => {
    const error = await AthenaQueryEngine.open({
      workGroup: '',
      database: 'clinical',
      outputLocation: 'carelake-results/athena',
      encryption: { encryptionOption: 'SSE_KMS', kmsKey: '' },
      timeoutMs: -5,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual([
      'region',
      'workGroup',
      'outputLocation',
      'encryption.kmsKey',
      'timeoutMs',
    ]);
    expect(sentRequests(athena.mock)).toEqual([]);
  });

  it('requires an output location the workgroup lacks', async () => {
    athena.mock
      .on(GetWorkGroupCommand)
      .resolves({ WorkGroup: { Name: WORK_GROUP, State: 'ENABLED', Configuration: {} } });

    const error = await AthenaQueryEngine.open({
      client: athena.client,
      workGroup: WORK_GROUP,
      database: 'clinical',
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual(['outputLocation']);
  });
});
