import {
  AthenaClient,
  StartQueryExecutionCommand,
  type ResultConfiguration,
} from '@aws-sdk/client-athena';
import type { AuditDetails, AuditLog } from '@carelake/audit';
import { sha256Hex, systemClock, type Clock, type Principal } from '@carelake/core';
import { QueryError, QueryInterruptedError } from '../errors';
import type { QueryColumn, QueryEngine, QueryResult, QueryValue } from '../query-engine';
import { AthenaQueryFailedError, AthenaRequestError, AthenaResultError } from './athena-errors';
import {
  DEFAULT_POLLING,
  validateEngineOptions,
  validateQueryOptions,
  type AthenaPollingOptions,
  type AthenaQueryEngineOptions,
  type AthenaQueryOptions,
  type Sleep,
} from './athena-options';
import { returnsHeaderRow } from './header-row';
import { abortableSleep, waitForQueryExecution } from './poll-execution';
import { resolveResultConfiguration } from './result-configuration';
import { openResultStream, type ResultStream } from './result-pages';
import { buildStartRequest, checkQuerySize } from './start-request';

interface EngineSettings {
  client: AthenaClient;
  ownsClient: boolean;
  workGroup: string;
  database: string;
  resultConfiguration: ResultConfiguration | undefined;
  audit: AuditLog | undefined;
  timeoutMs: number | undefined;
  polling: AthenaPollingOptions;
  clock: Clock;
  sleep: Sleep;
}

/**
 * The AWS query engine: each query runs in Athena in one workgroup, against the
 * Glue Data Catalog, and Lake Formation applies the caller's row and column
 * permissions there. Rows are read back page by page with GetQueryResults.
 */
export class AthenaQueryEngine implements QueryEngine {
  private closed = false;

  private constructor(private readonly settings: EngineSettings) {}

  /** Validate the options and read the workgroup's result settings (one GetWorkGroup call). */
  static async open(options: AthenaQueryEngineOptions): Promise<AthenaQueryEngine> {
    validateEngineOptions(options);
    const ownsClient = options.client === undefined;
    const client = options.client ?? new AthenaClient({ region: options.region });
    try {
      const resultConfiguration = await resolveResultConfiguration(client, options);
      return new AthenaQueryEngine({
        client,
        ownsClient,
        workGroup: options.workGroup,
        database: options.database,
        resultConfiguration,
        audit: options.audit,
        timeoutMs: options.timeoutMs,
        polling: { ...DEFAULT_POLLING, ...options.polling },
        clock: options.clock ?? systemClock,
        sleep: options.sleep ?? abortableSleep,
      });
    } catch (error) {
      if (ownsClient) client.destroy();
      throw error;
    }
  }

  /**
   * Start the query, wait for it to finish and fetch the first page of results.
   * Later pages are fetched as the caller reads `batches`.
   */
  async query(sql: string, options: AthenaQueryOptions): Promise<QueryResult> {
    if (this.closed) {
      throw new QueryError('the Athena query engine is closed', { hint: 'Open a new engine.' });
    }
    const startedMs = this.settings.clock.now().getTime();
    const details: AuditDetails = { sqlSha256: sha256Hex(sql), workGroup: this.settings.workGroup };

    let stream: ResultStream;
    try {
      validateQueryOptions(options);
      if (options.signal?.aborted) {
        throw new QueryInterruptedError('query was cancelled before it was sent to Athena', {
          cause: options.signal.reason,
        });
      }
      checkQuerySize(sql);
      const queryExecutionId = await this.start(sql, options);
      details.queryExecutionId = queryExecutionId;

      const execution = await waitForQueryExecution({
        client: this.settings.client,
        queryExecutionId,
        polling: this.settings.polling,
        clock: this.settings.clock,
        sleep: this.settings.sleep,
        signal: options.signal,
        timeoutMs: options.timeoutMs ?? this.settings.timeoutMs,
      });
      const scannedBytes = execution.Statistics?.DataScannedInBytes;
      if (scannedBytes !== undefined) details.dataScannedBytes = scannedBytes;

      stream = await openResultStream({
        client: this.settings.client,
        queryExecutionId,
        headerExpected: returnsHeaderRow(sql),
        limit: options.limit ?? Number.POSITIVE_INFINITY,
        signal: options.signal,
      });
    } catch (error) {
      if (error instanceof AthenaQueryFailedError && error.dataScannedBytes !== undefined) {
        details.dataScannedBytes = error.dataScannedBytes;
      }
      await this.record(options.principal, 'failure', {
        ...details,
        durationMs: this.elapsedMs(startedMs),
      });
      throw error;
    }

    return {
      columns: stream.columns,
      batches: this.audited(stream, options.principal, details, startedMs),
    };
  }

  async queryAll(
    sql: string,
    options: AthenaQueryOptions,
  ): Promise<{ columns: QueryColumn[]; rows: Record<string, QueryValue>[] }> {
    const result = await this.query(sql, options);
    const rows: Record<string, QueryValue>[] = [];
    for await (const batch of result.batches) rows.push(...batch);
    return { columns: result.columns, rows };
  }

  /** Destroy the client if the engine created it. Later queries are rejected. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.settings.ownsClient) this.settings.client.destroy();
  }

  private async start(sql: string, options: AthenaQueryOptions): Promise<string> {
    const request = buildStartRequest(sql, {
      workGroup: this.settings.workGroup,
      database: this.settings.database,
      resultConfiguration: this.settings.resultConfiguration,
      principal: options.principal.name,
      idempotencyKey: options.idempotencyKey,
    });
    // The abort signal is not passed here: an aborted request may still have
    // started the query, and without its id nothing could stop it. An abort is
    // acted on once the id is known.
    let queryExecutionId: string | undefined;
    try {
      queryExecutionId = (await this.settings.client.send(new StartQueryExecutionCommand(request)))
        .QueryExecutionId;
    } catch (error) {
      throw new AthenaRequestError('StartQueryExecution', undefined, error);
    }
    if (!queryExecutionId) {
      throw new AthenaResultError('Athena StartQueryExecution returned no QueryExecutionId');
    }
    return queryExecutionId;
  }

  /** Yield the stream's batches and record one audit event when reading ends, however it ends. */
  private async *audited(
    stream: ResultStream,
    principal: Principal,
    details: AuditDetails,
    startedMs: number,
  ): AsyncGenerator<Record<string, QueryValue>[]> {
    let outcome: 'success' | 'failure' = 'success';
    try {
      yield* stream.batches;
    } catch (error) {
      outcome = 'failure';
      throw error;
    } finally {
      await this.record(principal, outcome, {
        ...details,
        rows: stream.rowCount,
        durationMs: this.elapsedMs(startedMs),
      });
    }
  }

  private elapsedMs(startedMs: number): number {
    return this.settings.clock.now().getTime() - startedMs;
  }

  private async record(
    principal: Principal,
    outcome: 'success' | 'failure',
    details: AuditDetails,
  ): Promise<void> {
    await this.settings.audit?.append({
      principal: principal.name,
      action: 'query.run',
      // NOTE: Athena does not report which tables a query read, so the event lists none.
      resources: [],
      outcome,
      // The SQL text may quote field values, so only its hash is kept.
      details,
    });
  }
}
