import {
  ListShardsCommand,
  type ListShardsCommandOutput,
  type Shard,
} from '@aws-sdk/client-kinesis';

import { callWithRetry, type CallRetryContext } from '../kinesis-call';
import type { KinesisSender } from '../kinesis-sender';

/**
 * List every shard of a stream, open and closed, following `NextToken` across
 * pages. Closed parents stay listed until their records pass the retention period.
 */
export async function listAllShards(
  client: KinesisSender,
  streamName: string,
  context: CallRetryContext,
): Promise<Shard[]> {
  const shards: Shard[] = [];
  let nextToken: string | undefined;
  do {
    // ListShards takes either the stream name or a NextToken, never both.
    const input = nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken };
    const output: ListShardsCommandOutput = await callWithRetry(
      'ListShards',
      () => client.send(new ListShardsCommand(input)),
      context,
      { streamName },
    );
    shards.push(...(output.Shards ?? []));
    nextToken = output.NextToken;
  } while (nextToken !== undefined);
  return shards;
}

/** Ids of a shard's parents: one after a split, two after a merge, none for an original shard. */
export function parentShardIds(shard: Shard): string[] {
  return [shard.ParentShardId, shard.AdjacentParentShardId].filter(
    (id): id is string => id !== undefined,
  );
}
