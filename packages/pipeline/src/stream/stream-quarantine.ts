import { sha256Hex, type ErrorPosition } from '@carelake/core';
import { landFile } from '../landing';
import { quarantine, type QuarantinedStreamRecord, type QuarantineItem } from '../quarantine';
import type { StreamPipelineSetup } from './stream-pipeline-setup';

/** A stream record to keep in the lake because it, or parts of it, reached no table. */
export interface QuarantinedRecordInput {
  /** Name the bytes land under, such as the shard and sequence number. */
  landingName: string;
  data: Uint8Array;
  streamRecord: QuarantinedStreamRecord;
  problems: Array<{
    position: ErrorPosition;
    stage: QuarantineItem['stage'];
    reason: string;
    content?: string;
  }>;
}

/**
 * Land a record's bytes and write one quarantine item per problem, pointing at them. A stream
 * keeps records only for its retention period, so a rejected record is landed like a file:
 * under its SHA-256, once whatever it is called. Returns the number of items written.
 */
export async function quarantineStreamRecord(
  setup: Pick<StreamPipelineSetup, 'lake' | 'pipeline' | 'principal'>,
  input: QuarantinedRecordInput,
): Promise<number> {
  const { lake, pipeline } = setup;
  const sha256 = sha256Hex(input.data);
  const landed = await landFile(lake.store, pipeline.name, input.landingName, sha256, input.data);
  await lake.audit.append({
    principal: setup.principal.name,
    action: 'file.land',
    resources: [landed.landingKey],
    outcome: 'success',
    details: { sha256, sizeBytes: landed.sizeBytes, written: landed.written, via: 'kinesis' },
  });
  for (const problem of input.problems) {
    await quarantine(lake.store, pipeline.name, {
      landingKey: landed.landingKey,
      fileSha256: sha256,
      position: problem.position,
      stage: problem.stage,
      reason: problem.reason,
      ...(problem.content !== undefined ? { content: problem.content } : {}),
      streamRecord: input.streamRecord,
    });
  }
  return input.problems.length;
}

/** Landing name of a record the stream stored: `<shard>_<sequenceNumber>.<subSequenceNumber>.record`. */
export function landingNameOf(
  shardId: string,
  sequenceNumber: string,
  subSequenceNumber: number,
): string {
  return `${shardId}_${sequenceNumber}.${subSequenceNumber}.record`;
}
