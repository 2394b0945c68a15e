import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import type { KeyProvider } from '@carelake/storage';

/**
 * A KeyProvider whose wrapping key lives in memory, for tests: it wraps data
 * keys with AES-256-GCM as `nonce(12) || ciphertext || tag(16)`.
 */
export class MemoryKeyProvider implements KeyProvider {
  readonly keyId: string;
  private readonly wrappingKey: Buffer;
  wrapCalls = 0;
  unwrapCalls = 0;

  constructor(keyId = 'memory-test-key', wrappingKey: Buffer = randomBytes(32)) {
    this.keyId = keyId;
    this.wrappingKey = wrappingKey;
  }

  async wrapKey(dataKey: Uint8Array): Promise<Uint8Array> {
    this.wrapCalls += 1;
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.wrappingKey, nonce);
    return Buffer.concat([nonce, cipher.update(dataKey), cipher.final(), cipher.getAuthTag()]);
  }

  async unwrapKey(wrapped: Uint8Array): Promise<Uint8Array> {
    this.unwrapCalls += 1;
    const bytes = Buffer.from(wrapped);
    const decipher = createDecipheriv('aes-256-gcm', this.wrappingKey, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([
      decipher.update(bytes.subarray(12, bytes.length - 16)),
      decipher.final(),
    ]);
  }
}
