import { StreamError } from '../errors';
import { SEQUENCE_NUMBER_PATTERN } from '../kinesis-limits';

/**
 * Position of a user record in its shard: the Kinesis sequence number, and the
 * 0-based sub-sequence number inside a KPL aggregated record (0 for a plain record).
 */
export interface StreamPosition {
  /** Decimal string of up to 129 digits, far above 2^53: compare it only as a BigInt. */
  sequenceNumber: string;
  subSequenceNumber: number;
}

/** Parse a sequence number into a BigInt, checking the decimal format Kinesis uses. */
export function parseSequenceNumber(sequenceNumber: string): bigint {
  if (!SEQUENCE_NUMBER_PATTERN.test(sequenceNumber)) {
    throw new StreamError(`invalid sequence number ${JSON.stringify(sequenceNumber)}`, {
      hint: 'Sequence numbers are decimal strings of up to 129 digits without leading zeros, as Kinesis returns them.',
    });
  }
  return BigInt(sequenceNumber);
}

/** Order two positions in one shard: negative when `a` comes first, 0 when equal, positive after. */
export function compareStreamPositions(a: StreamPosition, b: StreamPosition): number {
  const sequenceA = parseSequenceNumber(a.sequenceNumber);
  const sequenceB = parseSequenceNumber(b.sequenceNumber);
  if (sequenceA !== sequenceB) return sequenceA < sequenceB ? -1 : 1;
  return Math.sign(a.subSequenceNumber - b.subSequenceNumber);
}

/**
 * Whether a record was already committed: its position is at or before the
 * checkpoint of its shard. A consumer restarted from a checkpoint, or a table
 * that committed rows before the checkpoint was saved, reads such records again.
 */
export function isReplayed(
  record: StreamPosition,
  checkpoint: StreamPosition | undefined,
): boolean {
  return checkpoint !== undefined && compareStreamPositions(record, checkpoint) <= 0;
}

/**
 * Keep the records that come after the checkpoint of their shard. `checkpoints`
 * maps shard ids to the last committed position; shards without one keep all.
 */
export function dropReplayed<T extends StreamPosition & { shardId: string }>(
  records: readonly T[],
  checkpoints: ReadonlyMap<string, StreamPosition>,
): T[] {
  return records.filter((record) => !isReplayed(record, checkpoints.get(record.shardId)));
}
