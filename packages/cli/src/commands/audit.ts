import { join } from 'node:path';
import type { LoadedConfig } from '@carelake/core';
import { formatAuditProblem, readAuditEvents, verifyAuditLog, type AuditEvent, type AuditEventFilter } from '@carelake/audit';

/** Verify every segment of the lake's audit chain; returns the process exit code. */
export async function verifyAudit(config: LoadedConfig, write: (text: string) => void): Promise<number> {
  const result = await verifyAuditLog(join(config.lakeRoot, '_audit'));
  if (result.ok) {
    write(`audit log ok: ${result.events} event(s) in ${result.segments} segment(s)`);
    return 0;
  }
  write(`audit log broken: ${result.firstBreak ? formatAuditProblem(result.firstBreak) : 'no detail'}`);
  for (const problem of result.problems.slice(1)) write(`  also ${formatAuditProblem(problem)}`);
  return 1;
}

export interface AuditQueryOptions {
  principal?: string;
  /** A table (`clinical.patients`) or lake key the events acted on. */
  resource?: string;
  action?: string;
  since?: Date;
  until?: Date;
  format: 'text' | 'jsonl';
}

/** Writes the audit events that match every filter given, oldest first; returns how many matched. */
export async function queryAudit(config: LoadedConfig, options: AuditQueryOptions, write: (text: string) => void): Promise<number> {
  const filter: AuditEventFilter = {};
  if (options.principal !== undefined) filter.principal = options.principal;
  if (options.resource !== undefined) filter.resource = options.resource;
  if (options.action !== undefined) filter.action = options.action;
  if (options.since !== undefined) filter.since = options.since;
  if (options.until !== undefined) filter.until = options.until;

  let count = 0;
  for await (const event of readAuditEvents(join(config.lakeRoot, '_audit'), filter)) {
    count++;
    if (options.format === 'jsonl') {
      write(JSON.stringify(event));
      continue;
    }
    write(`${event.time}  ${event.principal}  ${event.action}  ${event.outcome}  ${event.resources.join(',')}  ${formatAuditDetails(event)}`.trimEnd());
  }
  if (options.format === 'text') write(`(${count} event${count === 1 ? '' : 's'})`);
  return count;
}

/** Returns an event's details as `key=value` pairs separated by spaces, for one line of text. */
export function formatAuditDetails(event: AuditEvent): string {
  return Object.entries(event.details)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
