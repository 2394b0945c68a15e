import { parseTableName } from '@carelake/core';
import type { StreamPosition } from '@carelake/stream';
import type { ObjectStore } from '@carelake/storage';
import {
  commitFileName,
  commitPrefix,
  type TableSnapshot,
  type TableStore,
} from '@carelake/tables';
import { laterPosition, parseStreamRange, type StreamRange } from './stream-ranges';

/** Commits read back per table before a shard counts as never written there. */
export const DEFAULT_MAX_COMMITS_SCANNED = 256;

/**
 * Finds, per table and shard, the last stream position whose records a table commit already
 * holds, from the sequence ranges that stream commits record in their `inputs`. Records at or
 * before it are replays of a micro-batch that was committed to the table but not checkpointed,
 * and are not written again.
 *
 * It reads commits from the newest back, and stops for a shard at the newest commit that names
 * it, because one writer commits a shard's ranges in order. A shard that no commit within
 * `maxCommitsScanned` names counts as never written; the table's `dedupeBy` column then still
 * drops rows that are stored already.
 *
 * Results are cached and moved forward by `noteCommitted`, which is correct while this process is
 * the only writer of the stream's shards. A Lambda invocation creates a new instance, because other
 * invocations may have written the same shard since.
 */
export class CommittedStreamRanges {
  private readonly writtenThrough = new Map<string, Map<string, StreamPosition | undefined>>();

  constructor(
    private readonly store: ObjectStore,
    private readonly tables: Pick<TableStore, 'snapshot'>,
    private readonly streamName: string,
    private readonly maxCommitsScanned = DEFAULT_MAX_COMMITS_SCANNED,
  ) {}

  /** Return, for each of `shardIds`, the last position `table` contains, or undefined when it has none. */
  async writtenThroughOf(
    table: string,
    shardIds: Iterable<string>,
  ): Promise<Map<string, StreamPosition | undefined>> {
    const known = this.knownFor(table);
    const missing = new Set([...shardIds].filter((shardId) => !known.has(shardId)));
    if (missing.size > 0) await this.scan(table, missing, known);

    const result = new Map<string, StreamPosition | undefined>();
    for (const shardId of shardIds) result.set(shardId, known.get(shardId));
    return result;
  }

  /** Record a commit this process made, so later batches skip its records without reading it back. */
  noteCommitted(table: string, range: StreamRange): void {
    const known = this.knownFor(table);
    known.set(range.shardId, laterPosition(known.get(range.shardId), range.last));
  }

  private knownFor(table: string): Map<string, StreamPosition | undefined> {
    let known = this.writtenThrough.get(table);
    if (!known) {
      known = new Map();
      this.writtenThrough.set(table, known);
    }
    return known;
  }

  private async scan(
    table: string,
    missing: Set<string>,
    known: Map<string, StreamPosition | undefined>,
  ): Promise<void> {
    let snapshot = await this.tables.snapshot(table);
    let scanned = 0;
    while (snapshot && missing.size > 0 && scanned < this.maxCommitsScanned) {
      const found = new Map<string, StreamPosition>();
      for (const range of this.rangesOf(snapshot)) {
        if (missing.has(range.shardId))
          found.set(range.shardId, laterPosition(found.get(range.shardId), range.last));
      }
      for (const [shardId, position] of found) {
        known.set(shardId, position);
        missing.delete(shardId);
      }
      scanned++;
      snapshot =
        snapshot.parentVersion === null
          ? undefined
          : await this.readCommit(table, snapshot.parentVersion);
    }
    for (const shardId of missing) known.set(shardId, undefined);
  }

  private rangesOf(snapshot: TableSnapshot): StreamRange[] {
    return snapshot.inputs
      .map(parseStreamRange)
      .filter(
        (range): range is StreamRange => range !== undefined && range.stream === this.streamName,
      );
  }

  private async readCommit(table: string, version: number): Promise<TableSnapshot | undefined> {
    const { database, table: name } = parseTableName(table);
    const key = `${commitPrefix(database, name)}${commitFileName(version)}`;
    if (!(await this.store.head(key))) return undefined;
    return JSON.parse(Buffer.from(await this.store.get(key)).toString('utf8')) as TableSnapshot;
  }
}
