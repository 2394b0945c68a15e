import type { KinesisClient } from '@aws-sdk/client-kinesis';

/**
 * The part of a `KinesisClient` that the producer and consumer use. A real
 * client fits, and so does a wrapper that intercepts `send`, such as the
 * fault injector.
 */
export type KinesisSender = Pick<KinesisClient, 'send'>;
