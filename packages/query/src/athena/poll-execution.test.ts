// waitForQueryExecution with a real AthenaClient; aws-sdk-client-mock returns recorded responses to GetQueryExecution and StopQueryExecution, and the clock and sleep are manual.
import { GetQueryExecutionCommand, StopQueryExecutionCommand } from '@aws-sdk/client-athena';
import { ManualClock } from '@carelake/core';
import { executionResponse, QUERY_ID } from './__fixtures__/athena-responses';
import {
  mockedAthena,
  recordingSleep,
  sentRequests,
  type MockedAthena,
} from './__fixtures__/mocked-athena';
import { AthenaQueryTimeoutError, AthenaRequestError } from './athena-errors';
import { waitForQueryExecution } from './poll-execution';

describe('waitForQueryExecution', () => {
  let athena: MockedAthena;
  let clock: ManualClock;

  beforeEach(() => {
    athena = mockedAthena();
    clock = new ManualClock();
  });

  afterEach(() => {
    athena.mock.restore();
    athena.client.destroy();
  });

  function pendingThenSucceeded(pendingPolls: number): void {
    const behavior = athena.mock.on(GetQueryExecutionCommand);
    for (let index = 0; index < pendingPolls; index += 1)
      behavior.resolvesOnce(executionResponse('RUNNING'));
    behavior.resolves(executionResponse('SUCCEEDED'));
  }

  it.each([
    {
      case: 'doubling',
      initialDelayMs: 100,
      maxDelayMs: 3000,
      pendingPolls: 4,
      expected: [100, 200, 400, 800],
    },
    {
      case: 'capped',
      initialDelayMs: 200,
      maxDelayMs: 500,
      pendingPolls: 5,
      expected: [200, 400, 500, 500, 500],
    },
    {
      case: 'immediate success',
      initialDelayMs: 100,
      maxDelayMs: 3000,
      pendingPolls: 0,
      expected: [],
    },
  ])('backs off $case', async ({ initialDelayMs, maxDelayMs, pendingPolls, expected }) => {
    pendingThenSucceeded(pendingPolls);
    const { sleep, delaysMs } = recordingSleep(clock);

    const execution = await waitForQueryExecution({
      client: athena.client,
      queryExecutionId: QUERY_ID,
      polling: { initialDelayMs, maxDelayMs },
      clock,
      sleep,
    });

    expect(execution.Status?.State).toBe('SUCCEEDED');
    expect(delaysMs).toEqual(expected);
    expect(athena.mock.commandCalls(GetQueryExecutionCommand)).toHaveLength(pendingPolls + 1);
  });

  it('keeps the stop failure as cause', async () => {
    athena.mock.on(GetQueryExecutionCommand).resolves(executionResponse('RUNNING'));
    const stopFailure = new Error('socket hang up');
    athena.mock.on(StopQueryExecutionCommand).rejects(stopFailure);
    const { sleep } = recordingSleep(clock);

    const error = await waitForQueryExecution({
      client: athena.client,
      queryExecutionId: QUERY_ID,
      polling: { initialDelayMs: 100, maxDelayMs: 100 },
      clock,
      sleep,
      timeoutMs: 250,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AthenaQueryTimeoutError);
    expect((error as AthenaQueryTimeoutError).stopFailure).toBe(stopFailure);
    expect((error as AthenaQueryTimeoutError).hint).toContain(`--query-execution-id ${QUERY_ID}`);
    expect(sentRequests(athena.mock).map((request) => request.command)).toEqual([
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'GetQueryExecutionCommand',
      'StopQueryExecutionCommand',
    ]);
  });

  it('wraps a failed GetQueryExecution', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), {
      name: 'TooManyRequestsException',
    });
    athena.mock.on(GetQueryExecutionCommand).rejects(throttled);
    const { sleep } = recordingSleep(clock);

    const error = await waitForQueryExecution({
      client: athena.client,
      queryExecutionId: QUERY_ID,
      polling: { initialDelayMs: 100, maxDelayMs: 100 },
      clock,
      sleep,
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AthenaRequestError);
    expect((error as AthenaRequestError).message).toBe(
      `Athena GetQueryExecution for query ${QUERY_ID} failed: TooManyRequestsException`,
    );
    expect((error as AthenaRequestError).cause).toBe(throttled);
  });
});
