// Real: AES-256-GCM from node:crypto, key files and a LocalObjectStore in a temp folder. Nothing is faked.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVELOPE_FRAME_BYTES, EnvelopeCodec, EnvelopeError } from './envelope-codec';
import { KeyFileProvider } from './local/key-file-provider';
import { LocalObjectStore } from './local/local-object-store';

async function* chunked(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size) yield bytes.subarray(offset, offset + size);
}

async function collect(chunks: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of chunks) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

describe('EnvelopeCodec', () => {
  let folder: string;
  let codec: EnvelopeCodec;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-envelope-'));
    codec = new EnvelopeCodec(await KeyFileProvider.create(join(folder, 'lake.key')));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function sealed(plain: Buffer): Promise<Buffer> {
    return collect(codec.encode(chunked(plain, 7_000)));
  }

  it.each([
    { case: 'an empty object', size: 0 },
    { case: 'one byte', size: 1 },
    { case: 'exactly one frame', size: ENVELOPE_FRAME_BYTES },
    { case: 'one byte past a frame', size: ENVELOPE_FRAME_BYTES + 1 },
    { case: 'several frames', size: 5 * ENVELOPE_FRAME_BYTES + 123 },
  ])('round-trips $case', async ({ size }) => {
    const plain = randomBytes(size);

    const opened = await collect(codec.decode(chunked(await sealed(plain), 3_000)));

    expect(opened.equals(plain)).toBe(true);
  });

  it('stores no plaintext', async () => {
    const plain = Buffer.from('PID|1||MRN-SECRET-4711^^^HOSP^MR||Doe^Jane'.repeat(100));

    const stored = await sealed(plain);

    expect(stored.includes(Buffer.from('MRN-SECRET-4711'))).toBe(false);
  });

  it.each([
    { case: 'a changed byte', change: (bytes: Buffer) => { bytes[bytes.length - 40] = (bytes[bytes.length - 40] ?? 0) ^ 1; return bytes; } },
    { case: 'a dropped last frame', change: (bytes: Buffer) => bytes.subarray(0, bytes.length - (4 + 12 + 16 + 10)) },
    { case: 'bytes appended', change: (bytes: Buffer) => Buffer.concat([bytes, bytes.subarray(bytes.length - 42)]) },
  ])('rejects $case', async ({ change }) => {
    const stored = await sealed(Buffer.concat([randomBytes(2 * ENVELOPE_FRAME_BYTES), randomBytes(10)]));

    await expect(collect(codec.decode(chunked(change(Buffer.from(stored)), 4_096)))).rejects.toThrow(EnvelopeError);
  });

  it('refuses an object of another key', async () => {
    const other = new EnvelopeCodec(await KeyFileProvider.create(join(folder, 'other.key')));

    await expect(collect(other.decode(chunked(await sealed(randomBytes(100)), 64)))).rejects.toThrow(/was encrypted under key local:/);
  });

  it('encrypts a local store and materializes a private copy', async () => {
    const store = new LocalObjectStore({ root: join(folder, 'lake'), codec, materializeDir: folder });
    const plain = Buffer.from('OBX|1|NM|718-7^Hemoglobin^LN||13.2|g/dL'.repeat(50));

    await store.put('landing/demo/message.hl7', plain);
    const onDisk = await readFile(join(folder, 'lake', 'landing', 'demo', 'message.hl7'));
    const copy = await store.materialize('landing/demo/message.hl7');
    const copied = await readFile(copy.path);
    const mode = (await stat(copy.path)).mode & 0o777;
    await copy.release();

    expect(Buffer.from(await store.get('landing/demo/message.hl7')).equals(plain)).toBe(true);
    expect(onDisk.includes(Buffer.from('Hemoglobin'))).toBe(false);
    expect(copied.equals(plain)).toBe(true);
    expect(mode).toBe(0o600);
    await expect(stat(copy.path)).rejects.toThrow();
  });
});
