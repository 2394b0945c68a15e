import {
  compareStreamPositions,
  dropReplayed,
  type StreamPosition,
} from '../checkpoint/stream-position';
import type { StreamBatch, StreamRecord } from '../consumer/stream-batch';
import { recordNumberOf } from './hl7-messages';

/**
 * Stands in for a table writer: it keeps the rows of each batch and, like a
 * table commit, the last position it wrote per shard, and drops records at or
 * before that position when a batch is read again.
 */
export class TableSink {
  readonly rows: StreamRecord[] = [];
  readonly writtenThrough = new Map<string, StreamPosition>();
  replayedDropped = 0;

  write(batch: StreamBatch): void {
    const fresh = dropReplayed(batch.records, this.writtenThrough);
    this.replayedDropped += batch.records.length - fresh.length;
    this.rows.push(...fresh);
    // A replayed batch may end before the position already written; the mark must not move back.
    const written = this.writtenThrough.get(batch.shardId);
    if (!written || compareStreamPositions(batch.lastPosition, written) > 0) {
      this.writtenThrough.set(batch.shardId, batch.lastPosition);
    }
  }

  /** Record numbers from the rows' ZRC segments, in the order written. */
  numbers(): number[] {
    return this.rows.map((row) => recordNumberOf(row.data));
  }
}

/** Numbers 0 to count - 1, for comparing with sorted record numbers. */
export function range(count: number): number[] {
  return Array.from({ length: count }, (_, index) => index);
}
