import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type _Record,
} from '@aws-sdk/client-kinesis';

import type { KinesisSender } from '../kinesis-sender';

export interface StoredRecord {
  shardId: string;
  record: _Record;
}

/** Read every record of every shard from TRIM_HORIZON with plain SDK calls, bypassing the consumer. */
export async function readWholeStream(
  client: KinesisSender,
  streamName: string,
): Promise<StoredRecord[]> {
  const shards =
    (await client.send(new ListShardsCommand({ StreamName: streamName }))).Shards ?? [];
  const stored: StoredRecord[] = [];
  for (const shard of shards) {
    const shardId = shard.ShardId as string;
    let iterator = (
      await client.send(
        new GetShardIteratorCommand({
          StreamName: streamName,
          ShardId: shardId,
          ShardIteratorType: 'TRIM_HORIZON',
        }),
      )
    ).ShardIterator;
    while (iterator) {
      const page = await client.send(new GetRecordsCommand({ ShardIterator: iterator }));
      const records = page.Records ?? [];
      for (const record of records) stored.push({ shardId, record });
      // kinesalite returns every record it has at once, so an empty page means the shard is read.
      if (records.length === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return stored;
}
