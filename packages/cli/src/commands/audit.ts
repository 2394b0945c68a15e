import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, loadConfig, type LoadedConfig } from '@carelake/core';
import {
  S3AuditMirror,
  cliAuditMirrorPrefix,
  formatAuditProblem,
  readAuditEvents,
  readLakeMirroredAuditEvents,
  verifyAuditLog,
  type AuditEvent,
  type AuditEventFilter,
  type LakeAuditMirror,
} from '@carelake/audit';
import { createS3Client } from '@carelake/storage';
import type { GlobalOptions } from '../context';

/**
 * Load the configuration for `audit query` and `audit mirror`, which run on either backend,
 * with `--lake` taking precedence over the file and the environment as for other commands.
 */
export function loadAuditConfig(options: GlobalOptions): LoadedConfig {
  const env = { ...process.env };
  if (options.lake) env['CARELAKE_LAKE_ROOT'] = options.lake;
  return loadConfig({ ...(options.config ? { file: options.config } : {}), env });
}

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

/**
 * Days a mirrored audit chunk stays locked when `aws.auditRetentionDays` is absent: six years,
 * the retention that 45 CFR 164.316(b)(2)(i) sets for HIPAA security documentation.
 */
export const DEFAULT_AUDIT_RETENTION_DAYS = 2190;

/** Clients the AWS backend uses; tests pass their own. */
export interface AuditAwsClients {
  s3?: S3Client;
}

/**
 * Writes the audit events that match every filter given, oldest first; returns how many matched.
 * The local backend reads the lake's `_audit/` folder. The aws backend reads the Object Lock
 * mirror in `aws.auditBucket`: the chains of every writer under `<aws.prefix>_audit/` (the CLI's
 * and each pipeline runner's), checking each segment's chain as it reads.
 */
export async function queryAudit(
  config: LoadedConfig,
  options: AuditQueryOptions,
  write: (text: string) => void,
  clients: AuditAwsClients = {},
): Promise<number> {
  const filter: AuditEventFilter = {};
  if (options.principal !== undefined) filter.principal = options.principal;
  if (options.resource !== undefined) filter.resource = options.resource;
  if (options.action !== undefined) filter.action = options.action;
  if (options.since !== undefined) filter.since = options.since;
  if (options.until !== undefined) filter.until = options.until;

  const events =
    config.backend === 'aws'
      ? readLakeMirroredAuditEvents(lakeAuditMirror(config, clients), filter)
      : readAuditEvents(join(config.lakeRoot, '_audit'), filter);
  let count = 0;
  for await (const event of events) {
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

/**
 * Copies the lake's audit chain to the Object Lock bucket `aws.auditBucket`, only what it lacks,
 * under the CLI's prefix `<aws.prefix>_audit/cli/`. Returns the process exit code: 1 when a local
 * chain is broken, so its mirroring stopped.
 */
export async function mirrorAudit(config: LoadedConfig, write: (text: string) => void, clients: AuditAwsClients = {}): Promise<number> {
  const { client, bucket, lakePrefix } = lakeAuditMirror(config, clients);
  const location = { client, bucket, prefix: cliAuditMirrorPrefix(lakePrefix) };
  const mirror = new S3AuditMirror({
    ...location,
    retentionDays: config.aws?.auditRetentionDays ?? DEFAULT_AUDIT_RETENTION_DAYS,
    ...(config.keys.provider === 'kms' ? { kmsKeyId: config.keys.keyId } : {}),
  });
  const result = await mirror.mirror(join(config.lakeRoot, '_audit'));
  write(
    `audit mirror: ${result.eventsWritten} event(s) and ${result.indexRecordsWritten} index record(s) in ${result.chunksWritten} new chunk(s) to s3://${location.bucket}/${location.prefix}; ${result.segmentsSkipped} segment(s) already mirrored`,
  );
  for (const problem of result.problems) write(`  stopped at ${formatAuditProblem(problem)}`);
  return result.problems.length === 0 ? 0 : 1;
}

function lakeAuditMirror(config: LoadedConfig, clients: AuditAwsClients): LakeAuditMirror {
  const aws = config.aws;
  if (!aws?.auditBucket) {
    throw new ConfigError('the audit mirror bucket is not configured', [
      { keyPath: 'aws.auditBucket', message: 'is required to mirror or query the audit log on AWS: a bucket created with S3 Object Lock' },
    ]);
  }
  return { client: clients.s3 ?? createS3Client(aws), bucket: aws.auditBucket, lakePrefix: aws.prefix };
}

/** Returns an event's details as `key=value` pairs separated by spaces, for one line of text. */
export function formatAuditDetails(event: AuditEvent): string {
  return Object.entries(event.details)
    .map(([key, value]) => `${key}=${String(value)}`)
    .join(' ');
}
