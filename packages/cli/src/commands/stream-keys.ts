import type { Logger } from '@carelake/core';
import type { Lake, StreamPublisherOptions } from '@carelake/pipeline';

type KeyProvider = NonNullable<StreamPublisherOptions['keyProvider']>;

let warned = false;

/**
 * The KeyProvider that encrypts stream records: the lake's own, so that a record waiting in the
 * local stream is protected like the objects it becomes. Without one, records are sent in the clear
 * and one warning per process says so.
 */
export function streamKeyProviderFor(lake: Lake, logger: Logger): KeyProvider | undefined {
  if (lake.keys) return lake.keys;
  if (!warned) {
    warned = true;
    logger.warn({ keyProvider: 'none' }, 'stream records are not encrypted: carelake.yaml names no key provider');
  }
  return undefined;
}
