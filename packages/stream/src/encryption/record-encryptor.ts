import { createCipheriv, randomBytes } from 'node:crypto';

import { systemClock, type Clock, type ConfigIssue } from '@carelake/core';
import type { KeyProvider } from '@carelake/storage';

import { checkInteger, throwIfIssues } from '../option-checks';
import { encodeEnvelopeHeader, NONCE_BYTES } from './record-envelope';

const DATA_KEY_BYTES = 32;

export interface RecordEncryptorOptions {
  /** Wraps each new data key; only the wrapped key travels with the records. */
  keyProvider: KeyProvider;
  /**
   * Records sealed under one data key before a new one is made, 1,000,000 by
   * default. Nonces are random, and AES-GCM stays safe for far fewer than 2^32
   * random nonces under one key.
   */
  rotateAfterRecords?: number;
  /** Age of a data key, by `clock`, after which a new one is made; 15 minutes by default. */
  rotateAfterMs?: number;
  clock?: Clock;
}

interface DataKey {
  key: Buffer;
  header: Uint8Array;
}

/**
 * Encrypts record data with AES-256-GCM under a data key wrapped by a
 * `KeyProvider`, so the stream's storage contains no readable data. The data key is
 * cached and replaced after a number of records or an age, whichever comes first.
 */
export class RecordEncryptor {
  private readonly keyProvider: KeyProvider;
  private readonly rotateAfterRecords: number;
  private readonly rotateAfterMs: number;
  private readonly clock: Clock;
  private dataKey: Promise<DataKey> | undefined;
  private dataKeyCreatedAtMs = 0;
  private dataKeyUses = 0;
  private dataKeysCreatedCount = 0;

  constructor(options: RecordEncryptorOptions) {
    this.keyProvider = options.keyProvider;
    this.rotateAfterRecords = options.rotateAfterRecords ?? 1_000_000;
    this.rotateAfterMs = options.rotateAfterMs ?? 15 * 60_000;
    this.clock = options.clock ?? systemClock;

    const issues: ConfigIssue[] = [];
    if (!options.keyProvider) issues.push({ keyPath: 'keyProvider', message: 'is required' });
    checkInteger(issues, 'rotateAfterRecords', this.rotateAfterRecords, 1, 2 ** 31);
    checkInteger(issues, 'rotateAfterMs', this.rotateAfterMs, 1, 24 * 60 * 60_000);
    throwIfIssues(issues, 'record encryptor');
  }

  /** Data keys made so far, rotations included. */
  get dataKeysCreated(): number {
    return this.dataKeysCreatedCount;
  }

  /**
   * Encrypt `plaintext` into an envelope. The partition key is authenticated with
   * it, so the envelope does not open under another key.
   */
  async seal(plaintext: Uint8Array, partitionKey: string): Promise<Uint8Array> {
    const dataKey = await this.nextDataKey();
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', dataKey.key, nonce);
    cipher.setAAD(Buffer.concat([dataKey.header, Buffer.from(partitionKey, 'utf8')]));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([dataKey.header, nonce, ciphertext, cipher.getAuthTag()]);
  }

  /**
   * Return the data key for one more record, starting a new one when the current
   * one is used up or too old. It counts uses synchronously, so concurrent calls
   * share one new key instead of each making their own.
   */
  private nextDataKey(): Promise<DataKey> {
    const nowMs = this.clock.now().getTime();
    const expired =
      this.dataKeyUses >= this.rotateAfterRecords ||
      nowMs - this.dataKeyCreatedAtMs >= this.rotateAfterMs;
    if (this.dataKey === undefined || expired) {
      const created = this.createDataKey();
      this.dataKey = created;
      this.dataKeyCreatedAtMs = nowMs;
      this.dataKeyUses = 0;
      this.dataKeysCreatedCount += 1;
      // A failed wrap must not stay cached: the next record tries a new key.
      created.catch(() => {
        if (this.dataKey === created) this.dataKey = undefined;
      });
    }
    this.dataKeyUses += 1;
    return this.dataKey;
  }

  private async createDataKey(): Promise<DataKey> {
    const key = randomBytes(DATA_KEY_BYTES);
    const wrappedKey = await this.keyProvider.wrapKey(key);
    return { key, header: encodeEnvelopeHeader(this.keyProvider.keyId, wrappedKey) };
  }
}
