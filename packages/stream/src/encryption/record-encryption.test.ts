// Real: RecordEncryptor and RecordDecryptor with node:crypto AES-256-GCM. Faked: the KeyProvider wraps keys under an in-memory key, and a ManualClock drives rotation by age.
import { ManualClock } from '@carelake/core';

import { MemoryKeyProvider } from '../__fixtures__/memory-key-provider';
import { RecordDecryptionError, RecordEnvelopeError } from '../errors';
import { RecordDecryptor } from './record-decryptor';
import { RecordEncryptor } from './record-encryptor';
import { AUTH_TAG_BYTES, decodeEnvelope, NONCE_BYTES } from './record-envelope';

const PLAINTEXT = Buffer.from(
  'MSH|^~\\&|ADT1|EAST|||202601010000||ADT^A04|MSG00001|P|2.5\rPID|1||PLAINTEXT-MARKER\r',
);

describe('record encryption', () => {
  it('round-trips data through seal and open', async () => {
    const keyProvider = new MemoryKeyProvider();
    const sealed = await new RecordEncryptor({ keyProvider }).seal(PLAINTEXT, 'facility-east');

    const opened = await new RecordDecryptor({ keyProvider }).open(sealed, 'facility-east');

    expect(Buffer.from(opened).equals(PLAINTEXT)).toBe(true);
  });

  it('writes the documented envelope layout', async () => {
    const keyProvider = new MemoryKeyProvider('key-1');
    const sealed = Buffer.from(
      await new RecordEncryptor({ keyProvider }).seal(PLAINTEXT, 'facility-east'),
    );

    const envelope = decodeEnvelope(sealed);

    expect(sealed[0]).toBe(1);
    expect(sealed.readUInt16BE(1)).toBe(5);
    expect(sealed.subarray(3, 8).toString()).toBe('key-1');
    expect(sealed.readUInt16BE(8)).toBe(60);
    expect(envelope.keyId).toBe('key-1');
    expect(envelope.wrappedKey).toHaveLength(60);
    expect(envelope.nonce).toHaveLength(NONCE_BYTES);
    expect(envelope.authTag).toHaveLength(AUTH_TAG_BYTES);
    expect(envelope.ciphertext).toHaveLength(PLAINTEXT.length);
    expect(sealed.length).toBe(
      1 + 2 + 5 + 2 + 60 + NONCE_BYTES + PLAINTEXT.length + AUTH_TAG_BYTES,
    );
    expect(sealed.includes(Buffer.from('PLAINTEXT-MARKER'))).toBe(false);
  });

  it.each([
    {
      case: 'a changed ciphertext byte',
      change: (bytes: Buffer) => flip(bytes, bytes.length - AUTH_TAG_BYTES - 1),
      partitionKey: 'facility-east',
    },
    {
      case: 'a changed tag byte',
      change: (bytes: Buffer) => flip(bytes, bytes.length - 1),
      partitionKey: 'facility-east',
    },
    {
      case: 'a changed key id byte',
      change: (bytes: Buffer) => flip(bytes, 3),
      partitionKey: 'facility-east',
    },
    {
      case: 'another partition key',
      change: (bytes: Buffer) => bytes,
      partitionKey: 'facility-west',
    },
  ])('rejects $case as a decryption failure', async ({ change, partitionKey }) => {
    const keyProvider = new MemoryKeyProvider();
    const sealed = Buffer.from(
      await new RecordEncryptor({ keyProvider }).seal(PLAINTEXT, 'facility-east'),
    );

    const opening = new RecordDecryptor({ keyProvider }).open(change(sealed), partitionKey);

    await expect(opening).rejects.toBeInstanceOf(RecordDecryptionError);
  });

  it.each([
    {
      case: 'an empty record',
      bytes: Buffer.alloc(0),
      message: /truncated: the version at byte 0/,
    },
    {
      case: 'an unknown version',
      bytes: Buffer.from([2, 0, 1, 0x6b]),
      message: /version 2, expected 1/,
    },
    { case: 'a cut key id', bytes: Buffer.from([1, 0, 9, 0x6b]), message: /the key id at byte 3/ },
    {
      case: 'a missing tag',
      bytes: Buffer.concat([
        Buffer.from([1, 0, 1, 0x6b, 0, 1, 0xaa]),
        Buffer.alloc(NONCE_BYTES + 3),
      ]),
      message: /the authentication tag at byte 19/,
    },
  ])('rejects $case as an invalid envelope', async ({ bytes, message }) => {
    const opening = new RecordDecryptor({ keyProvider: new MemoryKeyProvider() }).open(
      bytes,
      'facility-east',
    );

    await expect(opening).rejects.toThrow(RecordEnvelopeError);
    await expect(opening).rejects.toThrow(message);
  });

  it('rejects data keys wrapped by another provider', async () => {
    const sealed = await new RecordEncryptor({ keyProvider: new MemoryKeyProvider('key-a') }).seal(
      PLAINTEXT,
      'east',
    );

    const opening = new RecordDecryptor({ keyProvider: new MemoryKeyProvider('key-b') }).open(
      sealed,
      'east',
    );

    await expect(opening).rejects.toThrow(
      /wrapped under key key-a could not be unwrapped by key key-b/,
    );
  });

  it('rotates the data key after a number of records', async () => {
    const keyProvider = new MemoryKeyProvider();
    const encryptor = new RecordEncryptor({ keyProvider, rotateAfterRecords: 3 });

    const sealed = [];
    for (let index = 0; index < 7; index++) sealed.push(await encryptor.seal(PLAINTEXT, 'east'));
    const wrappedKeys = new Set(
      sealed.map((bytes) => Buffer.from(decodeEnvelope(bytes).wrappedKey).toString('hex')),
    );

    expect(encryptor.dataKeysCreated).toBe(3);
    expect(keyProvider.wrapCalls).toBe(3);
    expect(wrappedKeys.size).toBe(3);
  });

  it('rotates the data key after its age', async () => {
    const clock = new ManualClock();
    const encryptor = new RecordEncryptor({
      keyProvider: new MemoryKeyProvider(),
      rotateAfterMs: 60_000,
      clock,
    });

    await encryptor.seal(PLAINTEXT, 'east');
    clock.advance(59_999);
    await encryptor.seal(PLAINTEXT, 'east');
    const beforeExpiry = encryptor.dataKeysCreated;
    clock.advance(1);
    await encryptor.seal(PLAINTEXT, 'east');

    expect(beforeExpiry).toBe(1);
    expect(encryptor.dataKeysCreated).toBe(2);
  });

  it('shares one new data key between concurrent seals', async () => {
    const keyProvider = new MemoryKeyProvider();
    const encryptor = new RecordEncryptor({ keyProvider });

    await Promise.all(Array.from({ length: 20 }, () => encryptor.seal(PLAINTEXT, 'east')));

    expect(keyProvider.wrapCalls).toBe(1);
  });

  it('unwraps each data key once when opening', async () => {
    const keyProvider = new MemoryKeyProvider();
    const encryptor = new RecordEncryptor({ keyProvider, rotateAfterRecords: 5 });
    const decryptor = new RecordDecryptor({ keyProvider });
    const sealed = [];
    for (let index = 0; index < 10; index++) sealed.push(await encryptor.seal(PLAINTEXT, 'east'));

    for (const bytes of sealed) await decryptor.open(bytes, 'east');

    expect(keyProvider.unwrapCalls).toBe(2);
  });

  it('tries a new data key after a failed wrap', async () => {
    const keyProvider = new MemoryKeyProvider();
    const wrap = keyProvider.wrapKey.bind(keyProvider);
    let failNext = true;
    keyProvider.wrapKey = async (dataKey) => {
      if (failNext) {
        failNext = false;
        throw new Error('key service unavailable');
      }
      return wrap(dataKey);
    };
    const encryptor = new RecordEncryptor({ keyProvider });

    await expect(encryptor.seal(PLAINTEXT, 'east')).rejects.toThrow('key service unavailable');
    const sealed = await encryptor.seal(PLAINTEXT, 'east');

    expect(
      Buffer.from(await new RecordDecryptor({ keyProvider }).open(sealed, 'east')).equals(
        PLAINTEXT,
      ),
    ).toBe(true);
  });
});

function flip(bytes: Buffer, index: number): Buffer {
  const copy = Buffer.from(bytes);
  copy[index] = (copy[index] ?? 0) ^ 0x01;
  return copy;
}
