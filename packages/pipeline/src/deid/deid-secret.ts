import { randomBytes } from 'node:crypto';
import { ObjectExistsError, ObjectNotFoundError } from '@carelake/storage';
import type { Lake } from '../lake';
import { DeidRunError } from './deid-errors';

/** Object key of the de-identification secret in the lake's store, which encrypts it under the lake's key. */
export const DEID_SECRET_KEY = '_state/deid/secret';

const SECRET_BYTES = 32;

/**
 * Returns the secret of keyed pseudonyms and date shifts, as 64 hex digits. It is 32 random bytes
 * drawn on first use and kept as an object of the lake's store, which encrypts it with a data key
 * wrapped by the key provider. It therefore stays the same in every run, so pseudonyms and shifts
 * stay stable and joins keep working. It never lies on disk in the clear, and a key rotation
 * rewraps it with every other object. Without a key provider the store would keep it in the
 * clear, so the call fails with a hint on configuring one.
 */
export async function loadDeidSecret(lake: Pick<Lake, 'store' | 'keys'>): Promise<string> {
  if (lake.keys === undefined) {
    throw new DeidRunError('a limited profile needs a secret from the key provider, but carelake.yaml sets keys: provider: none', {
      hint: 'Configure keys in carelake.yaml, such as keys: { provider: file, path: lake.key } with a key file of mode 600. Safe Harbor profiles need no secret.',
    });
  }
  const stored = await readSecret(lake);
  if (stored !== undefined) return stored;

  const secret = randomBytes(SECRET_BYTES);
  try {
    await lake.store.put(DEID_SECRET_KEY, secret, { ifNoneMatch: true });
    return secret.toString('hex');
  } catch (error) {
    if (!(error instanceof ObjectExistsError)) throw error;
  }
  // Another run stored its secret first. Use that one, so both runs agree.
  return (await readSecret(lake)) as string;
}

async function readSecret(lake: Pick<Lake, 'store'>): Promise<string | undefined> {
  let bytes: Uint8Array;
  try {
    bytes = await lake.store.get(DEID_SECRET_KEY);
  } catch (error) {
    if (error instanceof ObjectNotFoundError) return undefined;
    throw error;
  }
  if (bytes.length !== SECRET_BYTES) {
    throw new DeidRunError(`de-identification secret ${DEID_SECRET_KEY} has ${bytes.length} bytes, not ${SECRET_BYTES}`, {
      hint: 'Restore it from a backup of the lake. Deleting it draws a new secret, which changes every pseudonym and date shift.',
    });
  }
  return Buffer.from(bytes).toString('hex');
}
