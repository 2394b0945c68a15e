import path from 'node:path';

import type { KinesisClient } from '@aws-sdk/client-kinesis';

import { kinesisClientFor } from '../local/kinesis-client';
import { startLocalStream, type LocalStream } from '../local/local-stream';
import { ensureStream } from '../local/stream-status';
import { makeTempFolder, removeTempFolder } from './temp-folder';

/** A kinesalite server on 127.0.0.1 with its data in a temporary folder, and a client for it. */
export interface TestStream {
  folder: string;
  local: LocalStream;
  client: KinesisClient;
  /** Create a stream with `shardCount` shards and wait until it is ACTIVE. */
  createStream(streamName: string, shardCount: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startTestStream(label: string): Promise<TestStream> {
  const folder = await makeTempFolder(label);
  const local = await startLocalStream({ dataDir: path.join(folder, 'kinesalite') });
  const client = kinesisClientFor(local.endpoint);
  return {
    folder,
    local,
    client,
    createStream: (streamName, shardCount) => ensureStream(client, streamName, shardCount),
    async stop() {
      client.destroy();
      await local.stop();
      await removeTempFolder(folder);
    },
  };
}
