// Entry point of the stream runner functions that infra/ bundles; `handler` is what Lambda calls.
import { createLogger } from '@carelake/core';
import { openAwsLake, type AwsLake } from '../aws-lake';
import { createKinesisEventHandler, type KinesisEventHandler } from '../stream/kinesis-event-handler';
import { prepareStreamPipeline } from '../stream/stream-pipeline-setup';
import { readRunnerEnvironment } from './runner-environment';
import { openRunnerInputs } from './runner-inputs';

const logger = createLogger({ pretty: false });
let lake: AwsLake | undefined;

const handleEvent = createKinesisEventHandler({
  // The setup is kept between invocations of one execution environment, with its lake open.
  setup: async () => {
    const inputs = await openRunnerInputs(
      readRunnerEnvironment(process.env),
      async (config, options) => (lake = await openAwsLake(config, options)),
      logger,
    );
    return prepareStreamPipeline({ lake: inputs.lake, pipeline: inputs.pipeline, datasets: inputs.datasets, logger });
  },
});

/**
 * Handle the event, then copy its audit events to the Object Lock bucket: the lake is never
 * closed, because Lambda may end an execution environment without notice. A failed copy fails
 * the invocation, and Lambda delivers the records again; the tables skip ranges already committed.
 */
export const handler: KinesisEventHandler = async (event, context) => {
  try {
    return await handleEvent(event, context);
  } finally {
    await lake?.mirrorAudit();
  }
};
