import { PipelineError } from './errors';

/**
 * A vocabulary release cannot be loaded: its files are missing or unreadable, its version or
 * effective date is unknown or out of order, or another refresh of the system is running.
 */
export class VocabRefreshError extends PipelineError {}

/** Codes cannot be checked as asked, such as against a date column the dataset does not declare. */
export class VocabCheckError extends PipelineError {}
