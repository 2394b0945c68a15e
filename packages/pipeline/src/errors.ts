import { CarelakeError } from '@carelake/core';

/** Root of the errors the pipeline runner raises. */
export class PipelineError extends CarelakeError {}

/** A pipeline names a table that has no dataset file. */
export class DatasetNotFoundError extends PipelineError {}

/** A SQL transform failed to run, or returned rows its target table cannot take. */
export class SqlTransformError extends PipelineError {}
