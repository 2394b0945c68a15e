import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceInUseException,
  ResourceNotFoundException,
} from '@aws-sdk/client-kinesis';

import { StreamError } from '../errors';
import type { KinesisSender } from '../kinesis-sender';
import { realSleep, type Sleep } from '../retry';

export interface WaitForStreamOptions {
  /** Give up after this long, 30 s by default. */
  timeoutMs?: number;
  /** Wait between DescribeStreamSummary calls, 20 ms by default. */
  pollIntervalMs?: number;
  sleep?: Sleep;
}

/**
 * Wait until a stream is ACTIVE, as after CreateStream, SplitShard or
 * MergeShards. A stream that is still missing is waited for too.
 */
export async function waitForStreamActive(
  client: KinesisSender,
  streamName: string,
  options: WaitForStreamOptions = {},
): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pollIntervalMs = options.pollIntervalMs ?? 20;
  const sleep = options.sleep ?? realSleep;
  const deadline = Date.now() + timeoutMs;

  for (;;) {
    const status = await describeStatus(client, streamName);
    if (status === 'ACTIVE') return;
    if (Date.now() >= deadline) {
      throw new StreamError(
        `stream ${streamName} is not ACTIVE after ${timeoutMs} ms (status ${status})`,
        {
          hint: 'Check that the stream exists and that no resharding is stuck, then try again.',
        },
      );
    }
    await sleep(pollIntervalMs);
  }
}

/** Create a stream with `shardCount` shards unless it exists, then wait until it is ACTIVE. */
export async function ensureStream(
  client: KinesisSender,
  streamName: string,
  shardCount: number,
  options: WaitForStreamOptions = {},
): Promise<void> {
  if ((await describeStatus(client, streamName)) === 'MISSING') {
    try {
      await client.send(
        new CreateStreamCommand({ StreamName: streamName, ShardCount: shardCount }),
      );
    } catch (error) {
      // Another process created it between the two calls.
      if (!(error instanceof ResourceInUseException)) throw error;
    }
  }
  await waitForStreamActive(client, streamName, options);
}

async function describeStatus(client: KinesisSender, streamName: string): Promise<string> {
  try {
    const output = await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName }));
    return output.StreamDescriptionSummary?.StreamStatus ?? 'UNKNOWN';
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return 'MISSING';
    throw error;
  }
}
