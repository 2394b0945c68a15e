// Real: key files, AES-256-GCM envelopes and a LocalObjectStore in a temp folder. Nothing is faked.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENVELOPE_FRAME_BYTES, EnvelopeCodec, rewrapEnvelope } from '../envelope-codec';
import { KeyFileProvider } from './key-file-provider';
import { LocalObjectStore } from './local-object-store';
import { rotateStoreKeys } from './rotate-keys';

describe('rotateStoreKeys', () => {
  let folder: string;
  let retiring: KeyFileProvider;
  let next: KeyFileProvider;
  const large = randomBytes(3 * ENVELOPE_FRAME_BYTES + 17);

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-rotate-'));
    retiring = await KeyFileProvider.create(join(folder, 'old.key'));
    next = await KeyFileProvider.create(join(folder, 'new.key'));
    const store = new LocalObjectStore({ root: join(folder, 'lake'), codec: new EnvelopeCodec(retiring) });
    await store.put('raw/a/part-0.parquet', large, { tags: { sha256: 'abc' } });
    await store.put('quarantine/p/item.json', '{"reason":"bad segment"}');
    // A state file written beside the objects, as the catalog is.
    await new LocalObjectStore({ root: join(folder, 'lake') }).put('_state/catalog.sqlite', 'SQLite format 3');
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const storeUnder = (keys: KeyFileProvider): LocalObjectStore =>
    new LocalObjectStore({ root: join(folder, 'lake'), codec: new EnvelopeCodec(keys), materializeDir: folder });

  it('opens every object under the new key and none under the old one', async () => {
    const result = await rotateStoreKeys(storeUnder(retiring), retiring, next);

    expect(result).toEqual({ rewrapped: 2, alreadyRotated: 0, notEncrypted: 1 });
    const rotated = storeUnder(next);
    expect(Buffer.from(await rotated.get('raw/a/part-0.parquet')).equals(large)).toBe(true);
    expect(Buffer.from(await rotated.get('quarantine/p/item.json')).toString()).toBe('{"reason":"bad segment"}');
    expect(await rotated.getTags('raw/a/part-0.parquet')).toEqual({ sha256: 'abc' });
    await expect(storeUnder(retiring).get('raw/a/part-0.parquet')).rejects.toThrow(/encrypted under key local:/);
    expect(await readFile(join(folder, 'lake', '_state', 'catalog.sqlite'), 'utf8')).toBe('SQLite format 3');
  });

  it('keeps the encrypted frames and changes only the header', async () => {
    const file = join(folder, 'lake', 'raw', 'a', 'part-0.parquet');
    const before = await readFile(file);

    await rotateStoreKeys(storeUnder(retiring), retiring, next);

    const after = await readFile(file);
    const framesBefore = before.subarray(before.length - 3 * ENVELOPE_FRAME_BYTES);
    expect(after.subarray(after.length - framesBefore.length).equals(framesBefore)).toBe(true);
    expect(after.includes(Buffer.from(next.keyId))).toBe(true);
    expect(after.includes(Buffer.from(retiring.keyId))).toBe(false);
  });

  it('finishes an interrupted rotation when run again', async () => {
    const store = storeUnder(retiring);
    await store.rewriteStored('raw/a/part-0.parquet', (stored) => rewrapEnvelope(stored, retiring, next));

    const result = await rotateStoreKeys(store, retiring, next);

    expect(result).toEqual({ rewrapped: 1, alreadyRotated: 1, notEncrypted: 1 });
    expect(Buffer.from(await storeUnder(next).get('raw/a/part-0.parquet')).equals(large)).toBe(true);
  });
});
