import { RecordEnvelopeError } from '../errors';

// Envelope of one encrypted record, all integers big-endian:
//
//   offset  bytes  field
//   0       1      version, 1
//   1       2      key id length K (1 to 1024)
//   3       K      key id of the wrapping key, UTF-8
//   3+K     2      wrapped data key length W (1 to 4096)
//   5+K     W      wrapped data key, as the KeyProvider returned it
//   5+K+W   12     AES-GCM nonce
//   17+K+W  n      ciphertext
//   end-16  16     AES-GCM authentication tag
//
// The header (version to wrapped key) is authenticated as additional data,
// together with the record's partition key.

export const ENVELOPE_VERSION = 1;
export const NONCE_BYTES = 12;
export const AUTH_TAG_BYTES = 16;
const MAX_KEY_ID_BYTES = 1024;
const MAX_WRAPPED_KEY_BYTES = 4096;

export interface RecordEnvelope {
  keyId: string;
  wrappedKey: Uint8Array;
  /** Version byte through wrapped key, the part authenticated as additional data. */
  header: Uint8Array;
  nonce: Uint8Array;
  ciphertext: Uint8Array;
  authTag: Uint8Array;
}

/** Encode the envelope header for a data key wrapped under `keyId`. */
export function encodeEnvelopeHeader(keyId: string, wrappedKey: Uint8Array): Uint8Array {
  const keyIdBytes = Buffer.from(keyId, 'utf8');
  if (keyIdBytes.length < 1 || keyIdBytes.length > MAX_KEY_ID_BYTES) {
    throw new RecordEnvelopeError(
      `key id is ${keyIdBytes.length} bytes, outside 1 to ${MAX_KEY_ID_BYTES}`,
      {
        hint: 'Give the KeyProvider a shorter keyId.',
      },
    );
  }
  if (wrappedKey.length < 1 || wrappedKey.length > MAX_WRAPPED_KEY_BYTES) {
    throw new RecordEnvelopeError(
      `wrapped data key of key ${keyId} is ${wrappedKey.length} bytes, outside 1 to ${MAX_WRAPPED_KEY_BYTES}`,
      {
        hint: 'Check that the KeyProvider returns a wrapped key, not an empty or oversized value.',
      },
    );
  }

  const header = Buffer.alloc(1 + 2 + keyIdBytes.length + 2 + wrappedKey.length);
  let offset = header.writeUInt8(ENVELOPE_VERSION, 0);
  offset = header.writeUInt16BE(keyIdBytes.length, offset);
  offset += keyIdBytes.copy(header, offset);
  offset = header.writeUInt16BE(wrappedKey.length, offset);
  header.set(wrappedKey, offset);
  return header;
}

/** Split envelope bytes into their fields, checking the version and every length. */
export function decodeEnvelope(bytes: Uint8Array): RecordEnvelope {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer.length < 1) throw truncated('version', 0, buffer.length);

  const version = buffer.readUInt8(0);
  if (version !== ENVELOPE_VERSION) {
    throw new RecordEnvelopeError(
      `record envelope has version ${version}, expected ${ENVELOPE_VERSION}`,
      {
        hint: 'The record was not written by the carelake producer with encryption, or by a newer version of it.',
      },
    );
  }

  let offset = 1;
  const keyIdLength = readLength(buffer, offset, 'key id length');
  offset += 2;
  const keyId = readSlice(buffer, offset, keyIdLength, 'key id').toString('utf8');
  offset += keyIdLength;
  const wrappedKeyLength = readLength(buffer, offset, 'wrapped key length');
  offset += 2;
  const wrappedKey = readSlice(buffer, offset, wrappedKeyLength, 'wrapped key');
  offset += wrappedKeyLength;

  const header = buffer.subarray(0, offset);
  const nonce = readSlice(buffer, offset, NONCE_BYTES, 'nonce');
  offset += NONCE_BYTES;
  if (buffer.length - offset < AUTH_TAG_BYTES)
    throw truncated('authentication tag', offset, buffer.length);

  return {
    keyId,
    wrappedKey,
    header,
    nonce,
    ciphertext: buffer.subarray(offset, buffer.length - AUTH_TAG_BYTES),
    authTag: buffer.subarray(buffer.length - AUTH_TAG_BYTES),
  };
}

function readLength(buffer: Buffer, offset: number, field: string): number {
  if (buffer.length < offset + 2) throw truncated(field, offset, buffer.length);
  return buffer.readUInt16BE(offset);
}

function readSlice(buffer: Buffer, offset: number, length: number, field: string): Buffer {
  if (buffer.length < offset + length) throw truncated(field, offset, buffer.length);
  return buffer.subarray(offset, offset + length);
}

function truncated(field: string, offset: number, totalBytes: number): RecordEnvelopeError {
  return new RecordEnvelopeError(
    `record envelope is truncated: the ${field} at byte ${offset} runs past its end at byte ${totalBytes}`,
    {
      hint: 'The record is not a complete carelake envelope. Quarantine it and check the producer.',
    },
  );
}
