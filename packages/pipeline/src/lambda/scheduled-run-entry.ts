// Entry point of the scheduled runner functions that infra/ bundles; `handler` is what Lambda calls.
import { createLogger } from '@carelake/core';
import { readRunnerEnvironment } from './runner-environment';
import { openRunnerInputs } from './runner-inputs';
import { createScheduledRunHandler } from './scheduled-run-handler';

const logger = createLogger({ pretty: false });

export const handler = createScheduledRunHandler({
  // Closing the lake after each run copies the run's audit events to the Object Lock bucket.
  open: () => openRunnerInputs(readRunnerEnvironment(process.env), undefined, logger),
  logger,
});
