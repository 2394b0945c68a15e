import type { KeyProvider } from '../key-provider';
import { ENVELOPE_KEY_ID_BYTES, envelopeKeyId, rewrapEnvelope } from '../envelope-codec';
import type { LocalObjectStore } from './local-object-store';

export interface KeyRotationResult {
  /** Objects whose data key now sits under the new key. */
  rewrapped: number;
  /** Objects that were under the new key already, from an earlier, interrupted rotation. */
  alreadyRotated: number;
  /**
   * Files under the root that are not envelopes, such as the SQLite catalog and the governance
   * snapshot that live beside the objects and hold no field values. They are left as they are.
   */
  notEncrypted: number;
}

/**
 * Rewrap the data key of every object in the store from one key-encryption key to another. The
 * frames are copied unchanged, so the cost is one read and one write per object and no
 * re-encryption. Safe to run again after an interruption: objects already under `to` are kept.
 */
export async function rotateStoreKeys(store: LocalObjectStore, from: KeyProvider, to: KeyProvider): Promise<KeyRotationResult> {
  const result: KeyRotationResult = { rewrapped: 0, alreadyRotated: 0, notEncrypted: 0 };
  for await (const object of store.list({ prefix: '' })) {
    if (envelopeKeyId(await store.storedHead(object.key, ENVELOPE_KEY_ID_BYTES)) === null) {
      result.notEncrypted++;
      continue;
    }
    await store.rewriteStored(object.key, (stored) =>
      rewrapEnvelope(stored, from, to, (outcome) => {
        if (outcome === 'rewrapped') result.rewrapped++;
        else result.alreadyRotated++;
      }),
    );
  }
  return result;
}
