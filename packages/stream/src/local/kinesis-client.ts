import { KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

import { StreamError } from '../errors';

const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface LocalKinesisClientOptions {
  /** Region the requests are signed for; kinesalite ignores it. */
  region?: string;
  /**
   * Attempts per call inside the SDK, 1 by default, so that the producer's and
   * the consumer's own backoff decide every retry and none is multiplied.
   */
  maxAttempts?: number;
}

/**
 * Create a `KinesisClient` for a local stream endpoint on the loopback interface.
 * It speaks HTTP/1.1, because kinesalite does not respond to the HTTP/2 requests of
 * the SDK's default handler, and signs with fixed fake credentials.
 */
export function kinesisClientFor(
  endpoint: string,
  options: LocalKinesisClientOptions = {},
): KinesisClient {
  const url = parseLoopbackEndpoint(endpoint);
  return new KinesisClient({
    endpoint: url.origin,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'carelake-local', secretAccessKey: 'carelake-local' },
    requestHandler: new NodeHttpHandler(),
    maxAttempts: options.maxAttempts ?? 1,
  });
}

function parseLoopbackEndpoint(endpoint: string): URL {
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch (error) {
    throw new StreamError(`invalid local stream endpoint ${JSON.stringify(endpoint)}`, {
      cause: error,
      hint: 'Pass the endpoint that startLocalStream returned, such as http://127.0.0.1:4567.',
    });
  }
  if (url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) {
    throw new StreamError(
      `local stream endpoint ${JSON.stringify(endpoint)} is not http:// on the loopback interface`,
      {
        hint: 'kinesisClientFor is for the local stream only. For Kinesis on AWS, create a KinesisClient with the region and credentials of the account.',
      },
    );
  }
  return url;
}
