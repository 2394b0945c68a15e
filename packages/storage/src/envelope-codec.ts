import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { CarelakeError } from '@carelake/core';
import type { ObjectCodec } from './codec';
import type { KeyProvider } from './key-provider';

/** Raised when stored bytes are not an envelope this codec wrote, were changed, or were cut short. */
export class EnvelopeError extends CarelakeError {}

const MAGIC = Buffer.from('CLE1', 'ascii');
const DATA_KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Plaintext bytes per frame: each frame is sealed on its own, so neither side keeps a whole object in memory. */
export const ENVELOPE_FRAME_BYTES = 64 * 1024;

/**
 * Encrypts whole objects with AES-256-GCM under a fresh data key per object, wrapped by the
 * KeyProvider's key. Stored layout: `CLE1`, the key id and the wrapped data key (each with a 2-byte
 * length), then frames of `[4-byte length][nonce][ciphertext][tag]`. Every frame has its own random
 * nonce, and its index and whether it is the last are bound in as additional data, so a frame
 * that is changed, moved, dropped or appended fails to decrypt.
 */
export class EnvelopeCodec implements ObjectCodec {
  constructor(private readonly keys: KeyProvider) {}

  async *encode(plain: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const dataKey = randomBytes(DATA_KEY_BYTES);
    const wrapped = Buffer.from(await this.keys.wrapKey(dataKey));
    const keyId = Buffer.from(this.keys.keyId, 'utf8');
    yield Buffer.concat([MAGIC, uint16(keyId.length), keyId, uint16(wrapped.length), wrapped]);

    let pending = Buffer.alloc(0);
    let index = 0;
    for await (const chunk of plain) {
      pending = pending.length === 0 ? Buffer.from(chunk) : Buffer.concat([pending, chunk]);
      // A full frame is sealed only once more bytes follow it, because the last frame is marked.
      while (pending.length > ENVELOPE_FRAME_BYTES) {
        yield sealFrame(dataKey, index++, pending.subarray(0, ENVELOPE_FRAME_BYTES), false);
        pending = pending.subarray(ENVELOPE_FRAME_BYTES);
      }
    }
    yield sealFrame(dataKey, index, pending, true);
  }

  async *decode(stored: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
    const reader = new ByteReader(stored);
    const magic = await reader.read(MAGIC.length);
    if (!magic.equals(MAGIC)) throw new EnvelopeError('the object is not an encrypted envelope');
    const keyId = (await reader.read((await reader.read(2)).readUInt16BE(0))).toString('utf8');
    const wrapped = await reader.read((await reader.read(2)).readUInt16BE(0));
    if (keyId !== this.keys.keyId) {
      throw new EnvelopeError(`the object was encrypted under key ${keyId}, not ${this.keys.keyId}`, {
        hint: 'Open the lake with the key file it was written with.',
      });
    }
    const dataKey = Buffer.from(await this.keys.unwrapKey(wrapped));

    for (let index = 0; ; index++) {
      const length = (await reader.read(4)).readUInt32BE(0);
      if (length > ENVELOPE_FRAME_BYTES) throw new EnvelopeError(`frame ${index} is longer than a frame can be`);
      const nonce = await reader.read(NONCE_BYTES);
      const sealed = await reader.read(length);
      const tag = await reader.read(TAG_BYTES);
      const isLast = await reader.atEnd();
      yield openFrame(dataKey, index, isLast, nonce, sealed, tag);
      if (isLast) return;
    }
  }
}

/**
 * Key rotation for one stored object: the data key is unwrapped under `from` and wrapped under
 * `to`, and the frames pass through unchanged, so the data is not re-encrypted. An object already
 * under `to` passes through whole, which lets an interrupted rotation run again.
 */
export async function* rewrapEnvelope(
  stored: AsyncIterable<Uint8Array>,
  from: KeyProvider,
  to: KeyProvider,
  /** Told whether the object was rewrapped or found under `to` already. */
  onHeader?: (outcome: 'rewrapped' | 'already-rotated') => void,
): AsyncGenerator<Uint8Array> {
  const reader = new ByteReader(stored);
  const magic = await reader.read(MAGIC.length);
  if (!magic.equals(MAGIC)) throw new EnvelopeError('the object is not an encrypted envelope');
  const keyIdBytes = await reader.read((await reader.read(2)).readUInt16BE(0));
  const wrapped = await reader.read((await reader.read(2)).readUInt16BE(0));
  const keyId = keyIdBytes.toString('utf8');

  if (keyId === to.keyId) {
    onHeader?.('already-rotated');
    yield Buffer.concat([MAGIC, uint16(keyIdBytes.length), keyIdBytes, uint16(wrapped.length), wrapped]);
  } else if (keyId === from.keyId) {
    const rewrapped = Buffer.from(await to.wrapKey(await from.unwrapKey(wrapped)));
    const toId = Buffer.from(to.keyId, 'utf8');
    onHeader?.('rewrapped');
    yield Buffer.concat([MAGIC, uint16(toId.length), toId, uint16(rewrapped.length), rewrapped]);
  } else {
    throw new EnvelopeError(`the object was encrypted under key ${keyId}, neither ${from.keyId} nor ${to.keyId}`);
  }
  yield* reader.rest();
}

/** Bytes at the start of a stored object that always contain its envelope's key id. */
export const ENVELOPE_KEY_ID_BYTES = MAGIC.length + 2 + 255;

/**
 * Return the key id in the header of stored bytes, or null when they do not start an envelope,
 * such as an object written without encryption. The first `ENVELOPE_KEY_ID_BYTES` suffice.
 */
export function envelopeKeyId(head: Uint8Array): string | null {
  const bytes = Buffer.from(head);
  if (bytes.length < MAGIC.length + 2 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const length = bytes.readUInt16BE(MAGIC.length);
  return bytes.subarray(MAGIC.length + 2, MAGIC.length + 2 + length).toString('utf8');
}

function sealFrame(dataKey: Buffer, index: number, plain: Buffer, isLast: boolean): Buffer {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv('aes-256-gcm', dataKey, nonce);
  cipher.setAAD(frameData(index, isLast));
  const sealed = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([uint32(plain.length), nonce, sealed, cipher.getAuthTag()]);
}

function openFrame(dataKey: Buffer, index: number, isLast: boolean, nonce: Buffer, sealed: Buffer, tag: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', dataKey, nonce);
  decipher.setAAD(frameData(index, isLast));
  decipher.setAuthTag(tag);
  try {
    return Buffer.concat([decipher.update(sealed), decipher.final()]);
  } catch (error) {
    throw new EnvelopeError(`frame ${index} of the object fails its integrity check: it was changed, moved or cut short`, { cause: error });
  }
}

/** Additional data of a frame: its index and whether it ends the object. */
function frameData(index: number, isLast: boolean): Buffer {
  const data = Buffer.alloc(9);
  data.writeBigUInt64BE(BigInt(index), 0);
  data.writeUInt8(isLast ? 1 : 0, 8);
  return data;
}

function uint16(value: number): Buffer {
  const bytes = Buffer.alloc(2);
  bytes.writeUInt16BE(value, 0);
  return bytes;
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value, 0);
  return bytes;
}

/** Reads exact byte counts from a stream of chunks. */
class ByteReader {
  private buffered = Buffer.alloc(0);
  private readonly chunks: AsyncIterator<Uint8Array>;
  private done = false;

  constructor(stream: AsyncIterable<Uint8Array>) {
    this.chunks = stream[Symbol.asyncIterator]();
  }

  async read(count: number): Promise<Buffer> {
    while (this.buffered.length < count) {
      if (!(await this.pull())) throw new EnvelopeError('the encrypted object ends early: it was cut short');
    }
    const bytes = this.buffered.subarray(0, count);
    this.buffered = this.buffered.subarray(count);
    return bytes;
  }

  /** Yield the bytes not read yet, as they arrive. */
  async *rest(): AsyncGenerator<Uint8Array> {
    if (this.buffered.length > 0) yield this.buffered;
    this.buffered = Buffer.alloc(0);
    while (await this.pull()) {
      yield this.buffered;
      this.buffered = Buffer.alloc(0);
    }
  }

  async atEnd(): Promise<boolean> {
    while (this.buffered.length === 0) {
      if (!(await this.pull())) return true;
    }
    return false;
  }

  private async pull(): Promise<boolean> {
    if (this.done) return false;
    const next = await this.chunks.next();
    if (next.done) {
      this.done = true;
      return false;
    }
    this.buffered = this.buffered.length === 0 ? Buffer.from(next.value) : Buffer.concat([this.buffered, next.value]);
    return true;
  }
}
