import path from 'node:path';

import type { S3Client } from '@aws-sdk/client-s3';
import { systemClock, type Clock } from '@carelake/core';

import { INDEX_CHAIN_ID } from '../chain';
import { AuditMirrorError } from '../errors';
import { readTextLines } from '../json-lines';
import { INDEX_FILE, segmentFile, segmentPath } from '../layout';
import { parseAuditEvent, parseIndexRecord } from '../parse-records';
import { takeSnapshot } from '../snapshot';
import type { AuditProblem } from '../verify-result';
import { mirrorChain, type ChainMirrorTarget } from './mirror-chain';
import { MIRROR_SEGMENTS_FOLDER, indexFolder, normalizeMirrorPrefix } from './mirror-layout';
import { describeS3Error, listMirrorChunks } from './s3-calls';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface S3AuditMirrorOptions {
  client: S3Client;
  /** Bucket created with S3 Object Lock enabled. */
  bucket: string;
  /** Key prefix inside the bucket, such as 'lake/_audit/cli/'; '' by default. */
  prefix?: string;
  /** Days each chunk stays locked in compliance mode, counted from the put. */
  retentionDays: number;
  /** KMS key for SSE-KMS on every put; the bucket's default encryption applies without it. */
  kmsKeyId?: string;
  clock?: Clock;
}

export interface AuditMirrorResult {
  chunksWritten: number;
  /** Chunks already in the bucket under the same key, left as they are. */
  chunksFound: number;
  eventsWritten: number;
  indexRecordsWritten: number;
  /** Segments closed and wholly mirrored before this run, so not read again. */
  segmentsSkipped: number;
  /** Local lines that failed the chain check; each chain's mirroring stopped at its problem. */
  problems: AuditProblem[];
}

/**
 * Copies a lake's audit chain, segment events and index records, to an S3 bucket under
 * Object Lock in compliance mode, so that the chain survives anyone with delete rights
 * for the retention period. Each run copies only what the bucket lacks, found by
 * listing it, so running it again after a crash or on a schedule is safe.
 * NOTE: two runs over the same lake at the same time may each write a chunk for the
 * same events under different keys. Readers skip the repeated seqs.
 */
export class S3AuditMirror {
  private readonly client: S3Client;
  private readonly bucket: string;
  private readonly prefix: string;
  private readonly retentionDays: number;
  private readonly kmsKeyId: string | undefined;
  private readonly clock: Clock;

  constructor(options: S3AuditMirrorOptions) {
    if (!Number.isInteger(options.retentionDays) || options.retentionDays < 1) {
      throw new AuditMirrorError(
        `audit mirror retention must be a whole number of days, at least 1; found ${options.retentionDays}`,
        { position: { keyPath: 'aws.auditRetentionDays' } },
      );
    }
    this.client = options.client;
    this.bucket = options.bucket;
    this.prefix = normalizeMirrorPrefix(options.prefix ?? '');
    this.retentionDays = options.retentionDays;
    this.kmsKeyId = options.kmsKeyId;
    this.clock = options.clock ?? systemClock;
  }

  /**
   * Copy the whole lines of the `_audit` folder `dir` that the bucket lacks. A writer whose every
   * process starts a new `index.jsonl` at seq 0, such as a runner on Lambda, passes its segment
   * id as `indexId`. Each index is then kept under `index/<indexId>/`, so none is mistaken for
   * records of another index that the mirror already holds.
   */
  async mirror(dir: string, options: { indexId?: string } = {}): Promise<AuditMirrorResult> {
    const snapshot = await takeSnapshot(dir);
    const mirrored = await this.listMirroredThrough(options.indexId);
    const closes = await readCloses(dir, snapshot.indexSizeBytes);
    const target: ChainMirrorTarget = {
      client: this.client,
      bucket: this.bucket,
      prefix: this.prefix,
      retainUntil: new Date(this.clock.now().getTime() + this.retentionDays * DAY_MS),
      kmsKeyId: this.kmsKeyId,
    };
    const result: AuditMirrorResult = {
      chunksWritten: 0,
      chunksFound: 0,
      eventsWritten: 0,
      indexRecordsWritten: 0,
      segmentsSkipped: 0,
      problems: [],
    };

    // Segments first, so that the mirrored index never closes a segment whose events are not there yet.
    for (const segmentId of snapshot.segmentIds) {
      const mirroredThroughSeq = mirrored.get(segmentId) ?? -1;
      const closedAt = closes.get(segmentId);
      if (closedAt !== undefined && closedAt === mirroredThroughSeq) {
        result.segmentsSkipped += 1;
        continue;
      }
      const chain = await mirrorChain(
        {
          chainId: segmentId,
          filePath: segmentPath(dir, segmentId),
          file: segmentFile(segmentId),
          mirroredThroughSeq,
          parse: parseAuditEvent,
        },
        target,
      );
      result.chunksWritten += chain.chunksWritten;
      result.chunksFound += chain.chunksFound;
      result.eventsWritten += chain.recordsWritten;
      if (chain.problem) result.problems.push(chain.problem);
    }

    const index = await mirrorChain(
      {
        chainId: INDEX_CHAIN_ID,
        ...(options.indexId === undefined ? {} : { indexId: options.indexId }),
        filePath: path.join(dir, INDEX_FILE),
        file: INDEX_FILE,
        sizeBytes: snapshot.indexSizeBytes,
        mirroredThroughSeq: mirrored.get(INDEX_CHAIN_ID) ?? -1,
        parse: parseIndexRecord,
      },
      target,
    );
    result.chunksWritten += index.chunksWritten;
    result.chunksFound += index.chunksFound;
    result.indexRecordsWritten = index.recordsWritten;
    if (index.problem) result.problems.push(index.problem);
    return result;
  }

  /** Highest mirrored seq of each chain, by segment id or `index` (the index named `indexId`). */
  private async listMirroredThrough(indexId: string | undefined): Promise<Map<string, number>> {
    const through = new Map<string, number>();
    for (const folder of [MIRROR_SEGMENTS_FOLDER, indexFolder(indexId)]) {
      let chunks;
      try {
        chunks = await listMirrorChunks(this.client, this.bucket, this.prefix, folder);
      } catch (error) {
        const { name, httpStatusCode } = describeS3Error(error);
        const status = httpStatusCode === undefined ? '' : ` (HTTP ${httpStatusCode})`;
        throw new AuditMirrorError(
          `S3 ListObjectsV2 of ${this.prefix}${folder} in audit bucket ${this.bucket} failed: ${name}${status}`,
          {
            cause: error,
            hint: 'Check the bucket name (aws.auditBucket) and that the role may call s3:ListBucket on it.',
          },
        );
      }
      for (const chunk of chunks) {
        // Listing `index/` also returns the chunks of indexes with ids, which are other chains.
        if (chunk.chainId === INDEX_CHAIN_ID && chunk.indexId !== indexId) continue;
        through.set(chunk.chainId, Math.max(through.get(chunk.chainId) ?? -1, chunk.lastSeq));
      }
    }
    return through;
  }
}

/**
 * Last seq of each closed segment, from the whole lines of the local index: -1 for a
 * segment closed with no events. Lines that fail to parse are left to the index's own mirroring.
 */
async function readCloses(dir: string, sizeBytes: number): Promise<Map<string, number>> {
  const closes = new Map<string, number>();
  for await (const { text } of readTextLines(path.join(dir, INDEX_FILE), sizeBytes)) {
    const parsed = parseIndexRecord(text);
    if (parsed.ok && parsed.value.kind === 'close') {
      closes.set(parsed.value.segment, parsed.value.lastSeq ?? -1);
    }
  }
  return closes;
}
