import { dirname, join } from 'node:path';
import { RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import {
  loadDatasets,
  loadPipelineFile,
  MllpIntake,
  MllpStreamPublisher,
  openLakeStreamEndpoint,
  StreamPublisher,
  streamPublishingSetup,
  type LoadedPipeline,
  type RunSummary,
} from '@carelake/pipeline';
import { withLake } from '../context';
import { streamKeyProviderFor } from './stream-keys';

export interface MllpListenOptions {
  port?: number;
  /** A stream pipeline file: put each message on its stream instead of landing it, and acknowledge once the stream accepted it. */
  publish?: string;
  /** Resolves when the listener should stop; the CLI passes a promise settled by SIGINT or SIGTERM. */
  stopped: Promise<void>;
  write: (text: string) => void;
  onIngested: (summary: RunSummary) => void;
}

/**
 * Listen for HL7 v2 over MLLP for a pipeline whose source is `mllp`, until `stopped` resolves.
 * Then land what is in flight, ingest it and close the lake.
 */
export async function listenMllp(
  config: LoadedConfig,
  file: string,
  logger: Logger,
  options: MllpListenOptions,
): Promise<void> {
  const pipeline = loadPipelineFile(file);
  if (options.publish !== undefined)
    return publishMllp(config, pipeline, loadPipelineFile(options.publish), logger, options);
  const datasets = loadDatasets(join(dirname(pipeline.file), 'datasets'));

  await withLake(config, async (lake) => {
    const intake = await MllpIntake.start({
      lake,
      pipeline,
      datasets,
      principal: RUNNER,
      logger,
      onIngested: options.onIngested,
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
    const { host, port } = intake.address;
    options.write(
      `listening for MLLP on ${host}:${port} for pipeline ${pipeline.name}; Ctrl-C stops`,
    );

    await options.stopped;
    options.write('stopping: acknowledging and ingesting what has arrived');
    await intake.close();
  });
}

/**
 * Listen for HL7 v2 over MLLP and put each message on a stream pipeline's stream, on the lake's
 * local endpoint, acknowledging it once the stream accepted it. Stops when `stopped` resolves.
 */
async function publishMllp(
  config: LoadedConfig,
  pipeline: LoadedPipeline,
  streamPipeline: LoadedPipeline,
  logger: Logger,
  options: MllpListenOptions,
): Promise<void> {
  await withLake(config, async (lake) => {
    const setup = streamPublishingSetup({
      lake,
      pipeline: streamPipeline,
      principal: RUNNER,
      logger,
    });
    const endpoint = await openLakeStreamEndpoint(lake.root);
    try {
      await endpoint.ensureStream(setup.source.stream, setup.source.shards);
      const keyProvider = streamKeyProviderFor(lake, logger);
      const publisher = new StreamPublisher({
        setup,
        client: endpoint.client,
        ...(keyProvider ? { keyProvider } : {}),
      });
      const listener = await MllpStreamPublisher.start({
        pipeline,
        publisher,
        clock: lake.clock,
        logger,
        ...(options.port !== undefined ? { port: options.port } : {}),
      });
      const { host, port } = listener.address;
      options.write(
        `listening for MLLP on ${host}:${port} for pipeline ${pipeline.name}, publishing to stream ${setup.source.stream}; Ctrl-C stops`,
      );

      await options.stopped;
      options.write('stopping: publishing and acknowledging what has arrived');
      await listener.close();
      const summary = await publisher.close();
      options.write(
        `published ${summary.recordsAccepted} message(s) to stream ${setup.source.stream}; not accepted: ${summary.recordsDeadLettered + summary.recordsFailed}`,
      );
    } finally {
      await endpoint.close();
    }
  });
}

