import { createDecipheriv } from 'node:crypto';

import type { KeyProvider } from '@carelake/storage';

import { RecordDecryptionError } from '../errors';
import { decodeEnvelope } from './record-envelope';

export interface RecordDecryptorOptions {
  /** Unwraps the data keys named in the envelopes. */
  keyProvider: KeyProvider;
  /** Unwrapped data keys kept in memory, least recently used dropped first; 64 by default. */
  maxCachedKeys?: number;
}

/** Opens the envelopes that `RecordEncryptor` seals, unwrapping each data key once. */
export class RecordDecryptor {
  private readonly keyProvider: KeyProvider;
  private readonly maxCachedKeys: number;
  private readonly dataKeys = new Map<string, Promise<Uint8Array>>();

  constructor(options: RecordDecryptorOptions) {
    this.keyProvider = options.keyProvider;
    this.maxCachedKeys = Math.max(1, options.maxCachedKeys ?? 64);
  }

  /**
   * Decrypt an envelope sealed for `partitionKey`. Throws `RecordEnvelopeError`
   * for bytes that are not an envelope and `RecordDecryptionError` when the key
   * does not unwrap or the ciphertext, header or partition key was changed.
   */
  async open(envelopeBytes: Uint8Array, partitionKey: string): Promise<Uint8Array> {
    const envelope = decodeEnvelope(envelopeBytes);
    const dataKey = await this.unwrap(envelope.keyId, envelope.wrappedKey);

    try {
      const decipher = createDecipheriv('aes-256-gcm', dataKey, envelope.nonce);
      decipher.setAAD(Buffer.concat([envelope.header, Buffer.from(partitionKey, 'utf8')]));
      decipher.setAuthTag(envelope.authTag);
      return Buffer.concat([decipher.update(envelope.ciphertext), decipher.final()]);
    } catch (error) {
      throw new RecordDecryptionError(
        `record failed authentication under a data key of key ${envelope.keyId}`,
        envelope.keyId,
        {
          cause: error,
          hint: 'The record, its partition key or its envelope header was changed after it was sealed. Quarantine it.',
        },
      );
    }
  }

  private unwrap(keyId: string, wrappedKey: Uint8Array): Promise<Uint8Array> {
    const cacheKey = Buffer.from(wrappedKey).toString('base64');
    const cached = this.dataKeys.get(cacheKey);
    if (cached) {
      // Map order is insertion order: moving the entry to the end keeps the cache least-recently-used.
      this.dataKeys.delete(cacheKey);
      this.dataKeys.set(cacheKey, cached);
      return cached;
    }

    const unwrapped = this.keyProvider.unwrapKey(wrappedKey).catch((error: unknown) => {
      this.dataKeys.delete(cacheKey);
      throw new RecordDecryptionError(
        `data key wrapped under key ${keyId} could not be unwrapped by key ${this.keyProvider.keyId}`,
        keyId,
        {
          cause: error,
          hint: 'Give the consumer the KeyProvider whose key wrapped the producer data keys.',
        },
      );
    });
    this.dataKeys.set(cacheKey, unwrapped);
    if (this.dataKeys.size > this.maxCachedKeys) {
      const oldest = this.dataKeys.keys().next().value;
      if (oldest !== undefined) this.dataKeys.delete(oldest);
    }
    return unwrapped;
  }
}
