import type { LoadedConfig, Logger } from '@carelake/core';
import type { StreamPublisherOptions } from '@carelake/pipeline';

type KeyProvider = NonNullable<StreamPublisherOptions['keyProvider']>;

let warned = false;

/**
 * Return the KeyProvider that encrypts stream records, or undefined to send them unencrypted.
 * NOTE: the lake has no key-file or KMS provider yet, so records are never encrypted by the CLI,
 * and it logs one warning per process instead. The producer and consumer take a provider as soon as the
 * configuration can name one.
 */
export function streamKeyProviderFor(
  config: LoadedConfig,
  logger: Logger,
): KeyProvider | undefined {
  if (!warned) {
    warned = true;
    const provider = config.keys.provider;
    logger.warn(
      { keyProvider: provider },
      provider === 'none'
        ? 'stream records are not encrypted: carelake.yaml names no key provider'
        : `stream records are not encrypted: key provider ${provider} is not available to streams yet`,
    );
  }
  return undefined;
}
