import { CarelakeError } from '@carelake/core';

/** A command was called in a way it cannot run. */
export class CliUsageError extends CarelakeError {}
