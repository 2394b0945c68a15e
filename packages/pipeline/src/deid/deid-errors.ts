import { ConfigError } from '@carelake/core';
import { PipelineError } from '../errors';

/** Raised when a de-identification run cannot go on: a missing source table, a principal that may not run it, no key provider. */
export class DeidRunError extends PipelineError {}

/** Raised when a `*.deid.yaml` file is invalid, alone or against the dataset files, with every problem listed by key path. */
export class DeidProfileFileError extends ConfigError {}
