import type { StreamPosition } from '@carelake/stream';
import type { StagedRecord } from './record-staging';
import { laterPosition, type StreamRange } from './stream-ranges';

const MIB = 1024 * 1024;

/** When a micro-batch is committed: Firehose-like buffering hints, and a row cap for memory. */
export interface BufferingHints {
  /** Record bytes that commit the micro-batch. */
  bufferBytes: number;
  /** Age of the oldest record that commits the micro-batch, in milliseconds. */
  bufferIntervalMs: number;
  /** Staged rows that commit the micro-batch, so that memory stays bounded whatever the record size. */
  maxRows: number;
}

/** Read the buffering hints of a kinesis source and the pipeline's `batchRows`. */
export function bufferingHintsOf(
  source: { bufferMiB: number; bufferSeconds: number },
  batchRows: number,
): BufferingHints {
  return {
    bufferBytes: Math.round(source.bufferMiB * MIB),
    bufferIntervalMs: source.bufferSeconds * 1000,
    maxRows: batchRows,
  };
}

/**
 * Records staged for one commit to the pipeline's tables, and the sequence range each shard
 * contributed. A range may cover more than the staged records: records that went to quarantine
 * before staging (those that did not decrypt) are part of it.
 */
export class StreamMicroBatch {
  readonly records: StagedRecord[] = [];
  private readonly ranges = new Map<string, { first: StreamPosition; last: StreamPosition }>();
  private bytes = 0;
  private rows = 0;

  /**
   * @param openedAtMs when the first record arrived, by the lake's clock
   * @param ingestedAt the `ingested_at` of every row of the micro-batch
   */
  constructor(
    private readonly streamName: string,
    readonly openedAtMs: number,
    readonly ingestedAt: Date,
  ) {}

  get recordCount(): number {
    return this.records.length;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  get rowCount(): number {
    return this.rows;
  }

  get isEmpty(): boolean {
    return this.ranges.size === 0;
  }

  add(record: StagedRecord): void {
    this.records.push(record);
    this.bytes += record.sizeBytes;
    this.rows += record.rowCount;
    this.cover(record.shardId, record.position, record.position);
  }

  /** Extend a shard's range to take in positions that have no staged record. */
  cover(shardId: string, first: StreamPosition, last: StreamPosition): void {
    const range = this.ranges.get(shardId);
    if (!range) this.ranges.set(shardId, { first, last });
    else range.last = laterPosition(range.last, last);
  }

  /** Shard ranges in shard id order, so that commits repeat in the same order. */
  shardRanges(): StreamRange[] {
    return [...this.ranges.entries()]
      .sort(([a], [b]) => compareCodeUnits(a, b))
      .map(([shardId, range]) => ({
        stream: this.streamName,
        shardId,
        first: range.first,
        last: range.last,
      }));
  }

  isFull(hints: BufferingHints): boolean {
    return this.bytes >= hints.bufferBytes || this.rows >= hints.maxRows;
  }

  isDue(hints: BufferingHints, nowMs: number): boolean {
    return nowMs - this.openedAtMs >= hints.bufferIntervalMs;
  }
}

/** Order shard ids by code unit, the same on every locale. */
function compareCodeUnits(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
