import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { link, readFile, stat, unlink, writeFile } from 'node:fs/promises';
import { CarelakeError } from '@carelake/core';
import type { KeyProvider } from '../key-provider';

/** Raised when a key file is missing, unsafe or malformed, or a wrapped key does not open. */
export class KeyFileError extends CarelakeError {}

const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_VERSION = 1;

/**
 * The local key-encryption key: 32 random bytes, base64 in a file readable by its owner only.
 * Data keys are wrapped with AES-256-GCM under it, with a fresh random nonce each time and the key
 * id as additional data, so a wrapped key opens only under the key that wrapped it.
 */
export class KeyFileProvider implements KeyProvider {
  private constructor(
    private readonly key: Buffer,
    /** `local:` and the first 16 hex digits of the key's SHA-256: names the key, reveals nothing of it. */
    readonly keyId: string,
  ) {}

  /** Reads a key file, refusing one that group or other users can read or write. */
  static async open(path: string): Promise<KeyFileProvider> {
    const info = await stat(path).catch((error: unknown) => {
      throw new KeyFileError(`key file ${path} cannot be read`, {
        cause: error,
        hint: 'Check the key file path in carelake.yaml. A key file holds 32 random bytes in base64, mode 600.',
      });
    });
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new KeyFileError(`key file ${path} can be read or written by other users (mode ${(info.mode & 0o777).toString(8)})`, {
        hint: `Make it private to its owner: chmod 600 ${path}`,
      });
    }

    const key = Buffer.from((await readFile(path, 'utf8')).trim(), 'base64');
    if (key.length !== KEY_BYTES) {
      throw new KeyFileError(`key file ${path} does not contain a ${KEY_BYTES}-byte base64 key`, {
        hint: 'Restore the key file from its backup; without it the lake cannot be read.',
      });
    }
    return new KeyFileProvider(key, `local:${createHash('sha256').update(key).digest('hex').slice(0, 16)}`);
  }

  /**
   * Writes a new random key to a file that must not exist yet, readable by its owner only. The key
   * is written whole to a temporary file and then linked into place, so a process that starts at
   * the same moment reads either no file or the complete key, and two creators cannot both win:
   * the second gets an error with code EEXIST.
   */
  static async create(path: string): Promise<KeyFileProvider> {
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
    await writeFile(temporary, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      await link(temporary, path);
    } finally {
      await unlink(temporary);
    }
    return KeyFileProvider.open(path);
  }

  async wrapKey(dataKey: Uint8Array): Promise<Uint8Array> {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, nonce);
    cipher.setAAD(Buffer.from(this.keyId, 'utf8'));
    const sealed = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([Buffer.from([WRAP_VERSION]), nonce, cipher.getAuthTag(), sealed]);
  }

  async unwrapKey(wrapped: Uint8Array): Promise<Uint8Array> {
    const bytes = Buffer.from(wrapped);
    if (bytes.length <= 1 + NONCE_BYTES + TAG_BYTES || bytes[0] !== WRAP_VERSION) {
      throw new KeyFileError('the wrapped data key is not in the format this key provider writes');
    }
    const nonce = bytes.subarray(1, 1 + NONCE_BYTES);
    const tag = bytes.subarray(1 + NONCE_BYTES, 1 + NONCE_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, nonce);
    decipher.setAAD(Buffer.from(this.keyId, 'utf8'));
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(bytes.subarray(1 + NONCE_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new KeyFileError(`the data key does not open under key ${this.keyId}`, {
        cause: error,
        hint: 'It was wrapped under another key: use the key file it was written with, or rewrap it during rotation.',
      });
    }
  }
}

/**
 * Moves a wrapped data key from one key-encryption key to another, for key rotation: the data it
 * protects is not rewritten.
 */
export async function rewrapKey(wrapped: Uint8Array, from: KeyProvider, to: KeyProvider): Promise<Uint8Array> {
  return to.wrapKey(await from.unwrapKey(wrapped));
}
