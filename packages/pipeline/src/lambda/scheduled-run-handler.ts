import { silentLogger, type Logger } from '@carelake/core';
import { runPipeline, type RunSummary } from '../runner';
import type { RunnerInputs } from './runner-inputs';

/** The parts of an EventBridge scheduled event that the handler logs. */
export interface ScheduledRunEvent {
  id?: string;
  /** When the schedule fired, as an ISO 8601 time. */
  time?: string;
}

/** The parts of the Lambda context object the handler reads. */
export interface ScheduledRunContext {
  awsRequestId?: string;
}

export interface ScheduledRunHandlerOptions {
  /** Opens the lake and loads the pipeline; called once per invocation. */
  open: () => Promise<Pick<RunnerInputs, 'lake' | 'pipeline' | 'datasets'>>;
  logger?: Logger;
}

/** A Lambda handler that an EventBridge schedule invokes to run a file pipeline once. */
export type ScheduledRunHandler = (event: ScheduledRunEvent, context: ScheduledRunContext) => Promise<RunSummary>;

/**
 * Create the Lambda handler of a scheduled file pipeline. Each invocation opens the lake, runs the
 * pipeline as `carelake pipeline run` does and closes the lake, so two invocations share nothing
 * but the lake: files that an earlier run ingested are skipped through the ingest ledger.
 */
export function createScheduledRunHandler(options: ScheduledRunHandlerOptions): ScheduledRunHandler {
  const baseLogger = options.logger ?? silentLogger;

  return async (event, context) => {
    const logger = baseLogger.child({
      ...(context.awsRequestId !== undefined ? { requestId: context.awsRequestId } : {}),
      ...(event.time !== undefined ? { scheduledAt: event.time } : {}),
    });
    const { lake, pipeline, datasets } = await options.open();
    try {
      const summary = await runPipeline({ lake, pipeline, datasets, logger });
      const { rowsByTable: _tables, sftp: _sftp, codes: _codes, ...counts } = summary;
      logger.info(counts, 'scheduled pipeline run finished');
      return summary;
    } finally {
      await lake.close();
    }
  };
}
