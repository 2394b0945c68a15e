import { dirname, join } from 'node:path';
import { RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, MllpIntake, type RunSummary } from '@carelake/pipeline';
import { withLake } from '../context';

export interface MllpListenOptions {
  port?: number;
  /** Resolves when the listener should stop; the CLI passes a promise settled by SIGINT or SIGTERM. */
  stopped: Promise<void>;
  write: (text: string) => void;
  onIngested: (summary: RunSummary) => void;
}

/**
 * Listen for HL7 v2 over MLLP for a pipeline whose source is `mllp`, until `stopped` resolves.
 * Then land what is in flight, ingest it and close the lake.
 */
export async function listenMllp(config: LoadedConfig, file: string, logger: Logger, options: MllpListenOptions): Promise<void> {
  const pipeline = loadPipelineFile(file);
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
    options.write(`listening for MLLP on ${host}:${port} for pipeline ${pipeline.name}; Ctrl-C stops`);

    await options.stopped;
    options.write('stopping: acknowledging and ingesting what has arrived');
    await intake.close();
  });
}
