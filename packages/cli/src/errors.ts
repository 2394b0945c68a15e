import { CarelakeError, ConfigError, describeError, formatPosition } from '@carelake/core';

/** A command was called in a way it cannot run. */
export class CliUsageError extends CarelakeError {}

/**
 * Format an error for the terminal: what went wrong and where on the first line (with the
 * invalid settings of a configuration error below it), then what to do on its own line.
 */
export function formatCliError(error: unknown): string {
  if (!(error instanceof CarelakeError)) return describeError(error);
  const hint = error.hint ? `\n  ${error.hint}` : '';
  if (error instanceof ConfigError) return `${error.describe()}${hint}`;
  const where = formatPosition(error.position);
  return `${where ? `${where}: ` : ''}${error.message}${hint}`;
}
