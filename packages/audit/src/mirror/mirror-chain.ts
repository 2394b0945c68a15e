import type { S3Client } from '@aws-sdk/client-s3';

import { ChainChecker, type ChainedRecord } from '../chain';
import { readTextLines } from '../json-lines';
import type { ParseResult } from '../parse-records';
import type { AuditProblem } from '../verify-result';
import { completeLinesLength } from './complete-lines';
import { chunkKey } from './mirror-layout';
import { putLockedChunk } from './put-chunk';

/** Records per chunk object at most; a chunk of audit events stays near a few MiB. */
export const MAX_CHUNK_RECORDS = 10_000;

export interface ChainMirrorTarget {
  client: S3Client;
  bucket: string;
  prefix: string;
  retainUntil: Date;
  kmsKeyId: string | undefined;
}

export interface ChainToMirror {
  /** Segment id, or `index`. */
  chainId: string;
  /** Id of the index chain in the mirror's keys, for the index of a writer that has many. */
  indexId?: string;
  filePath: string;
  /** File name for problems, relative to the `_audit` folder. */
  file: string;
  /** Bytes to read at most, such as the index's size at a snapshot. */
  sizeBytes?: number;
  /** Highest seq already in the mirror, or -1 when none is. */
  mirroredThroughSeq: number;
  parse(line: string): ParseResult<ChainedRecord>;
}

export interface ChainMirrorResult {
  chunksWritten: number;
  /** Chunks whose key already existed: a run that stopped after its put wrote them. */
  chunksFound: number;
  recordsWritten: number;
  /** The first malformed line or chain break, where mirroring of this chain stopped. */
  problem?: AuditProblem;
}

/**
 * Copy the whole lines of one local chain that the mirror lacks, in chunks. The chain is
 * checked from its genesis as it is read, and mirroring stops at the first line that
 * breaks it, so that an edited local file is never copied into locked storage.
 */
export async function mirrorChain(
  chain: ChainToMirror,
  target: ChainMirrorTarget,
): Promise<ChainMirrorResult> {
  const result: ChainMirrorResult = { chunksWritten: 0, chunksFound: 0, recordsWritten: 0 };
  const checker = new ChainChecker(chain.chainId);
  const completeBytes = await completeLinesLength(chain.filePath);
  const sizeBytes = Math.min(completeBytes, chain.sizeBytes ?? completeBytes);
  let pending: { firstSeq: number; lastSeq: number; lines: string[] } | undefined;

  const flush = async (): Promise<void> => {
    if (!pending) return;
    const key = chunkKey(
      target.prefix,
      chain.chainId,
      pending.firstSeq,
      pending.lastSeq,
      chain.indexId,
    );
    const outcome = await putLockedChunk({
      ...target,
      key,
      body: Buffer.from(pending.lines.map((line) => line + '\n').join(''), 'utf8'),
    });
    if (outcome === 'written') {
      result.chunksWritten += 1;
      result.recordsWritten += pending.lines.length;
    } else {
      result.chunksFound += 1;
    }
    pending = undefined;
  };

  for await (const { line, text } of readTextLines(chain.filePath, sizeBytes)) {
    const parsed = chain.parse(text);
    const segment = chain.chainId === 'index' ? {} : { segment: chain.chainId };
    if (!parsed.ok) {
      result.problem = {
        reason: 'malformed-line',
        file: chain.file,
        ...segment,
        line,
        message: parsed.message,
      };
      break;
    }
    const record = parsed.value;
    const chainBreak = checker.check(record);
    if (chainBreak) {
      result.problem = { ...chainBreak, file: chain.file, ...segment, line, seq: record.seq };
      break;
    }
    if (record.seq <= chain.mirroredThroughSeq) continue;

    pending ??= { firstSeq: record.seq, lastSeq: record.seq, lines: [] };
    pending.lines.push(text);
    pending.lastSeq = record.seq;
    if (pending.lines.length >= MAX_CHUNK_RECORDS) await flush();
  }
  await flush();
  return result;
}
