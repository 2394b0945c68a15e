import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';

import { ChainChecker } from '../chain';
import { AuditMirrorError } from '../errors';
import type { AuditEvent } from '../event';
import { mergeSegmentEvents, type AuditEventFilter, type SegmentSource } from '../merge-events';
import { parseAuditEvent } from '../parse-records';
import { MIRROR_SEGMENTS_FOLDER, normalizeMirrorPrefix, type MirrorChunk } from './mirror-layout';
import { describeS3Error, listFolders, listMirrorChunks } from './s3-calls';
import { PIPELINE_WRITERS_FOLDER, auditMirrorRoot, cliAuditMirrorPrefix } from './writer-prefixes';

export interface AuditMirrorLocation {
  client: S3Client;
  bucket: string;
  /** Key prefix the mirror writes under; '' by default. */
  prefix?: string;
}

const HINT =
  'The mirrored chain is not what the writers wrote; keep the bucket as evidence and compare it with carelake audit verify on the lake.';

/**
 * Yield the mirrored events under one prefix that match `filter`, merged in time order like
 * `readAuditEvents`. Each segment's chain is checked from its genesis as its chunks
 * are read, and the first break throws `AuditMirrorError` naming the segment, the
 * chunk's key and the line, because a query must not return events that are not proven.
 */
export async function* readMirroredAuditEvents(
  location: AuditMirrorLocation,
  filter: AuditEventFilter = {},
): AsyncGenerator<AuditEvent> {
  yield* mergeSegmentEvents(await listSegmentSources(location), filter);
}

/** The audit bucket of a lake, whose writers each mirror under their own prefix. */
export interface LakeAuditMirror {
  client: S3Client;
  bucket: string;
  /** Key prefix of the lake (`aws.prefix`); '' for the bucket's root. */
  lakePrefix: string;
}

/**
 * Yield the mirrored events of every writer of a lake that match `filter`, merged in time
 * order: the CLI's chains, each pipeline runner's, and chains an earlier `carelake audit mirror`
 * wrote straight under `<lake prefix>_audit/`. Chains are checked as `readMirroredAuditEvents`
 * checks them.
 */
export async function* readLakeMirroredAuditEvents(
  mirror: LakeAuditMirror,
  filter: AuditEventFilter = {},
): AsyncGenerator<AuditEvent> {
  const root = auditMirrorRoot(mirror.lakePrefix);
  const pipelinesFolder = `${root}${PIPELINE_WRITERS_FOLDER}`;
  let pipelinePrefixes: string[];
  try {
    pipelinePrefixes = await listFolders(mirror.client, mirror.bucket, pipelinesFolder);
  } catch (error) {
    throw s3Failure('ListObjectsV2', pipelinesFolder, mirror.bucket, error);
  }

  const sources: SegmentSource[] = [];
  for (const prefix of [root, cliAuditMirrorPrefix(mirror.lakePrefix), ...pipelinePrefixes]) {
    sources.push(
      ...(await listSegmentSources({ client: mirror.client, bucket: mirror.bucket, prefix })),
    );
  }
  yield* mergeSegmentEvents(sources, filter);
}

/** List the mirrored segments under the location's prefix, as sources that the merge reads when it opens them. */
async function listSegmentSources(location: AuditMirrorLocation): Promise<SegmentSource[]> {
  const prefix = normalizeMirrorPrefix(location.prefix ?? '');
  let chunks: MirrorChunk[];
  try {
    chunks = await listMirrorChunks(
      location.client,
      location.bucket,
      prefix,
      MIRROR_SEGMENTS_FOLDER,
    );
  } catch (error) {
    throw s3Failure('ListObjectsV2', `${prefix}${MIRROR_SEGMENTS_FOLDER}`, location.bucket, error);
  }

  const bySegment = new Map<string, MirrorChunk[]>();
  for (const chunk of chunks) {
    const list = bySegment.get(chunk.chainId) ?? [];
    list.push(chunk);
    bySegment.set(chunk.chainId, list);
  }
  return [...bySegment].map(([segmentId, segmentChunks]) => ({
    segmentId,
    open: () => readMirroredSegment(location, segmentId, segmentChunks),
  }));
}

async function* readMirroredSegment(
  location: AuditMirrorLocation,
  segmentId: string,
  chunks: MirrorChunk[],
): AsyncGenerator<AuditEvent> {
  const checker = new ChainChecker(segmentId);
  let nextSeq = 0;
  const ordered = [...chunks].sort((a, b) => a.firstSeq - b.firstSeq || a.lastSeq - b.lastSeq);

  for (const chunk of ordered) {
    // A chunk wholly before nextSeq repeats events that two mirror runs both wrote.
    if (chunk.lastSeq < nextSeq) continue;
    if (chunk.firstSeq > nextSeq) {
      throw new AuditMirrorError(
        `audit segment ${segmentId} in the mirror lacks events ${nextSeq} to ${chunk.firstSeq - 1}`,
        { position: { file: chunk.key }, hint: HINT },
      );
    }
    const text = await getText(location, chunk.key);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();

    for (const [index, lineText] of lines.entries()) {
      const position = { file: chunk.key, line: index + 1 };
      const parsed = parseAuditEvent(lineText);
      if (!parsed.ok) {
        throw new AuditMirrorError(
          `mirrored line of audit segment ${segmentId} is not an event: ${parsed.message}`,
          {
            position,
            hint: HINT,
          },
        );
      }
      const event = parsed.value;
      // Overlapping chunks from two mirror runs: the earlier chunk already yielded this event.
      if (event.seq < nextSeq) continue;
      if (event.segment !== segmentId) {
        throw new AuditMirrorError(
          `mirrored event names segment ${event.segment}, not ${segmentId}`,
          {
            position,
            hint: HINT,
          },
        );
      }
      const chainBreak = checker.check(event);
      if (chainBreak) {
        throw new AuditMirrorError(
          `audit segment ${segmentId} breaks its chain at seq ${event.seq}: ${chainBreak.reason}: ${chainBreak.message}`,
          { position, hint: HINT },
        );
      }
      nextSeq = event.seq + 1;
      yield event;
    }
    if (nextSeq !== chunk.lastSeq + 1) {
      throw new AuditMirrorError(
        `audit chunk of segment ${segmentId} ends at seq ${nextSeq - 1}, but its key names seq ${chunk.lastSeq} as the last`,
        { position: { file: chunk.key }, hint: HINT },
      );
    }
  }
}

async function getText(location: AuditMirrorLocation, key: string): Promise<string> {
  try {
    const response = await location.client.send(
      new GetObjectCommand({ Bucket: location.bucket, Key: key }),
    );
    if (response.Body === undefined) throw new Error('S3 returned no body');
    return await response.Body.transformToString('utf8');
  } catch (error) {
    throw s3Failure('GetObject', key, location.bucket, error);
  }
}

function s3Failure(
  operation: string,
  key: string,
  bucket: string,
  error: unknown,
): AuditMirrorError {
  const { name, httpStatusCode } = describeS3Error(error);
  const status = httpStatusCode === undefined ? '' : ` (HTTP ${httpStatusCode})`;
  return new AuditMirrorError(
    `S3 ${operation} of ${key} in audit bucket ${bucket} failed: ${name}${status}`,
    {
      cause: error,
      hint: 'Check aws.auditBucket in carelake.yaml and that the role may call s3:ListBucket and s3:GetObject on it.',
    },
  );
}
