import { mkdtemp, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Clock, Logger } from '@carelake/core';
import { FileAuditLog, S3AuditMirror, formatAuditProblem, type AuditMirrorResult } from '@carelake/audit';
import { PipelineError } from './errors';

export interface MirroredAuditLogOptions {
  /** Folder that the private audit folder is created in, such as a Lambda function's /tmp. */
  parentDir: string;
  client: S3Client;
  /** Bucket with S3 Object Lock. */
  bucket: string;
  /** Key prefix of the mirror inside the bucket. */
  prefix: string;
  retentionDays: number;
  kmsKeyId: string;
  clock: Clock;
  logger?: Logger;
}

/**
 * An audit chain kept in a private local folder and copied to an S3 Object Lock bucket, for
 * processes whose disk does not outlive them, such as a Lambda function. `close` copies what
 * the bucket lacks and removes the folder only once the copy succeeded. Each process starts a new
 * `index.jsonl` chain at seq 0, so the index is mirrored under `index/<segment id>/`, apart from
 * the indexes of earlier processes that mirrored to the same prefix.
 */
export class MirroredAuditLog {
  private constructor(
    readonly log: FileAuditLog,
    /** The private folder (mode 0700) that keeps the chain until it is mirrored. */
    readonly dir: string,
    private readonly mirrorTo: S3AuditMirror,
    private readonly location: string,
    private readonly logger: Logger | undefined,
  ) {}

  static async open(options: MirroredAuditLogOptions): Promise<MirroredAuditLog> {
    // Built before the folder exists, so that an invalid retention leaves nothing behind.
    const mirror = new S3AuditMirror({
      client: options.client,
      bucket: options.bucket,
      prefix: options.prefix,
      retentionDays: options.retentionDays,
      kmsKeyId: options.kmsKeyId,
      clock: options.clock,
    });
    const dir = await mkdtemp(join(options.parentDir, 'carelake-audit-'));
    try {
      const log = await FileAuditLog.open({ dir, clock: options.clock });
      return new MirroredAuditLog(log, dir, mirror, `s3://${options.bucket}/${options.prefix}`, options.logger);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  /**
   * Copy the events written so far that the bucket lacks, for a process that stays open across
   * requests and may be stopped without `close`.
   * @throws AuditMirrorError when S3 rejects a call; PipelineError when the local chain is broken.
   */
  async mirror(): Promise<AuditMirrorResult> {
    const result = await this.mirrorTo.mirror(this.dir, { indexId: this.log.segmentId });
    if (result.problems.length > 0) {
      const [first] = result.problems;
      throw new PipelineError(
        `the audit chain in ${this.dir} has ${result.problems.length} problem(s), so mirroring to ${this.location} stopped at ${first ? formatAuditProblem(first) : 'an unknown line'}`,
        { hint: 'Keep the folder as evidence; carelake audit verify on it names every broken line.' },
      );
    }
    return result;
  }

  /**
   * Close the segment, copy the rest of the chain to the bucket and remove the folder.
   * On failure the folder is kept, so that the events are not lost while the process lives.
   */
  async close(): Promise<AuditMirrorResult> {
    await this.log.close();
    let result: AuditMirrorResult;
    try {
      result = await this.mirror();
    } catch (error) {
      this.logger?.error({ folder: this.dir, mirror: this.location }, 'audit mirror failed; the audit events stay in the folder');
      throw error;
    }
    await rm(this.dir, { recursive: true, force: true });
    return result;
  }

  /** Close the segment and remove the folder without mirroring, for an open that failed before any event. */
  async discard(): Promise<void> {
    await this.log.close().catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}
