import { ConfigError, type ConfigIssue } from '@carelake/core';

import { STREAM_NAME_PATTERN } from './kinesis-limits';

/** Add an issue unless `value` is an integer from `min` to `max`. */
export function checkInteger(
  issues: ConfigIssue[],
  keyPath: string,
  value: unknown,
  min: number,
  max: number,
): void {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    issues.push({
      keyPath,
      message: `must be an integer from ${min} to ${max}, got ${describeValue(value)}`,
    });
  }
}

/** Add an issue unless `value` is 1 to 128 characters of `[a-zA-Z0-9_.-]`, as Kinesis stream names are. */
export function checkKinesisName(issues: ConfigIssue[], keyPath: string, value: unknown): void {
  if (typeof value !== 'string' || !STREAM_NAME_PATTERN.test(value)) {
    issues.push({
      keyPath,
      message: `must be 1 to 128 characters of letters, digits, '_', '.' and '-', got ${describeValue(value)}`,
    });
  }
}

/** Raise one `ConfigError` that lists every issue, or return when there are none. */
export function throwIfIssues(issues: readonly ConfigIssue[], subject: string): void {
  if (issues.length === 0) return;
  const count = issues.length === 1 ? '1 invalid option' : `${issues.length} invalid options`;
  throw new ConfigError(`${subject}: ${count}`, issues, {
    hint: 'Fix the options listed and create it again.',
  });
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (
    typeof value === 'number' ||
    typeof value === 'boolean' ||
    value === undefined ||
    value === null
  ) {
    return String(value);
  }
  return typeof value;
}
