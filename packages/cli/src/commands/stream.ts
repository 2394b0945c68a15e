import { basename, dirname, join } from 'node:path';
import { describeError, RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import {
  loadDatasets,
  loadPipelineFile,
  openLakeStreamEndpoint,
  prepareStreamPipeline,
  recordsOfFile,
  StreamPipelineWorker,
  StreamPublisher,
  streamPublishingSetup,
  type LakeStreamEndpoint,
  type PublishSummary,
  type StreamPublishingSetup,
  type StreamRunSummary,
} from '@carelake/pipeline';
import { withLake } from '../context';
import { streamKeyProviderFor } from './stream-keys';

/** Records published and not settled yet before `stream put` waits, so that memory stays bounded. */
const MAX_UNSETTLED_PUTS = 5000;
/** Failed records logged one by one; the rest are only counted. */
const MAX_LOGGED_FAILURES = 10;

export interface StreamRunOptions {
  /** Stop once every shard that can be read has no newer record, instead of at `stopped`. */
  untilCaughtUp: boolean;
  /** Resolves when the run should stop; the CLI passes a promise settled by SIGINT or SIGTERM. */
  stopped: Promise<void>;
  write: (text: string) => void;
}

/**
 * Read a stream pipeline's stream from the lake's local endpoint into its tables, until `stopped`
 * resolves or, with `untilCaughtUp`, until the stream is read. The stream is created when missing.
 */
export async function runStreamPipelineFile(
  config: LoadedConfig,
  file: string,
  logger: Logger,
  options: StreamRunOptions,
): Promise<StreamRunSummary> {
  const pipeline = loadPipelineFile(file);
  const datasets = loadDatasets(join(dirname(pipeline.file), 'datasets'));

  return withLake(config, async (lake) => {
    const setup = await prepareStreamPipeline({
      lake,
      pipeline,
      datasets,
      principal: RUNNER,
      logger,
    });
    const keyProvider = streamKeyProviderFor(lake, logger);
    return withEndpoint(lake.root, setup, async (endpoint) => {
      const worker = new StreamPipelineWorker({
        setup,
        client: endpoint.client,
        ...(keyProvider ? { keyProvider } : {}),
        onMicroBatch: (counts) =>
          options.write(
            `micro-batch ${counts.microBatches} committed: ${counts.recordsIn} record(s) in, ${counts.rowsOut} row(s) out so far`,
          ),
      });
      void options.stopped.then(() => worker.stop());
      const until = options.untilCaughtUp ? 'until the stream is read' : 'Ctrl-C stops';
      options.write(
        `reading stream ${setup.source.stream} on ${endpoint.endpoint} for pipeline ${pipeline.name}; ${until}`,
      );
      return worker.run({ untilCaughtUp: options.untilCaughtUp });
    });
  });
}

export interface StreamPutSummary extends PublishSummary {
  stream: string;
  files: number;
  /** Records cut from the files and handed to the publisher. */
  records: number;
  /** Records the stream did not accept: dead-lettered (also counted in `quarantined`) or rejected before sending. */
  failed: number;
}

/** Publish HL7 v2 and FHIR files to a stream pipeline's stream, one message or resource per record. */
export async function putStreamFiles(
  config: LoadedConfig,
  file: string,
  inputs: readonly string[],
  logger: Logger,
): Promise<StreamPutSummary> {
  const pipeline = loadPipelineFile(file);
  return withLake(config, async (lake) => {
    const setup = streamPublishingSetup({ lake, pipeline, principal: RUNNER, logger });
    const keyProvider = streamKeyProviderFor(lake, logger);
    return withEndpoint(lake.root, setup, async (endpoint) => {
      const publisher = new StreamPublisher({
        setup,
        client: endpoint.client,
        ...(keyProvider ? { keyProvider } : {}),
      });
      const unsettled = new Set<Promise<unknown>>();
      let failed = 0;
      let records = 0;
      const settle = (put: Promise<unknown>): void => {
        const tracked: Promise<unknown> = put.catch((error: unknown) => {
          failed++;
          if (failed <= MAX_LOGGED_FAILURES)
            logger.error({ reason: describeError(error) }, 'record not published');
        });
        unsettled.add(tracked);
        void tracked.finally(() => unsettled.delete(tracked));
      };

      for (const input of inputs) {
        for await (const record of recordsOfFile(input)) {
          records++;
          settle(publisher.publish(record.data, { name: basename(input), record: record.record }));
          if (unsettled.size >= MAX_UNSETTLED_PUTS) await Promise.race(unsettled);
        }
      }
      await Promise.all(unsettled);
      const summary = await publisher.close();
      return { ...summary, stream: setup.source.stream, files: inputs.length, records, failed };
    });
  });
}

/** Open the lake's local endpoint, make sure the pipeline's stream exists, run `work`, and close it. */
async function withEndpoint<T>(
  lakeRoot: string,
  setup: StreamPublishingSetup,
  work: (endpoint: LakeStreamEndpoint) => Promise<T>,
): Promise<T> {
  const endpoint = await openLakeStreamEndpoint(lakeRoot);
  try {
    await endpoint.ensureStream(setup.source.stream, setup.source.shards);
    return await work(endpoint);
  } finally {
    await endpoint.close();
  }
}

export function formatStreamRunSummary(summary: StreamRunSummary): string {
  const tables = Object.entries(summary.rowsByTable)
    .map(([table, rows]) => `    ${table}: ${rows}`)
    .join('\n');
  return [
    `pipeline ${summary.pipeline}: stream ${summary.stream}, consumer ${summary.consumer}, ${summary.microBatches} micro-batch(es)`,
    `  records in: ${summary.recordsIn} (unreadable: ${summary.recordsUnreadable})`,
    `  rows out: ${summary.rowsOut} (duplicates skipped: ${summary.rowsSkippedAsDuplicate}, already committed: ${summary.rowsAlreadyCommitted})`,
    ...(tables ? [tables] : []),
    `  quarantined: ${summary.quarantined}`,
    `  duration: ${summary.durationMs} ms`,
  ].join('\n');
}

export function formatStreamPutSummary(summary: StreamPutSummary): string {
  return [
    `stream ${summary.stream}: ${summary.records} record(s) from ${summary.files} file(s)`,
    `  accepted: ${summary.recordsAccepted}`,
    `  not accepted: ${summary.failed} (dead-lettered to quarantine: ${summary.recordsDeadLettered})`,
    `  PutRecords calls: ${summary.putRecordsCalls} (entries retried: ${summary.entriesRetried})`,
  ].join('\n');
}
