// Real: key files of KeyFileProvider, a local object store with the envelope codec in a temp
// folder, AES-256-GCM from node:crypto, a key rotation. Nothing is faked.
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EnvelopeCodec, KeyFileProvider, LocalObjectStore, rotateStoreKeys, type KeyProvider } from '@carelake/storage';
import { DeidRunError } from './deid-errors';
import { DEID_SECRET_KEY, loadDeidSecret } from './deid-secret';

describe('loadDeidSecret', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-deid-secret-test-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const lakeUnder = (root: string, keys: KeyProvider) => ({ keys, store: new LocalObjectStore({ root, codec: new EnvelopeCodec(keys) }) });

  it('returns the same secret on every call', async () => {
    const keys = await KeyFileProvider.create(join(folder, 'lake.key'));
    const lake = join(folder, 'lake');

    const first = await loadDeidSecret(lakeUnder(lake, keys));
    const again = await loadDeidSecret(lakeUnder(lake, await KeyFileProvider.open(join(folder, 'lake.key'))));

    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(again).toBe(first);
  });

  it('stores the secret encrypted', async () => {
    const keys = await KeyFileProvider.create(join(folder, 'lake.key'));
    const secret = Buffer.from(await loadDeidSecret(lakeUnder(join(folder, 'lake'), keys)), 'hex');

    const stored = await readFile(join(folder, 'lake', DEID_SECRET_KEY));
    expect(stored.length).toBeGreaterThan(secret.length);
    expect(stored.includes(secret)).toBe(false);
  });

  it('draws another secret in another lake', async () => {
    const keys = await KeyFileProvider.create(join(folder, 'lake.key'));

    expect(await loadDeidSecret(lakeUnder(join(folder, 'a'), keys))).not.toBe(await loadDeidSecret(lakeUnder(join(folder, 'b'), keys)));
  });

  it('keeps the secret through a key rotation', async () => {
    const lake = join(folder, 'lake');
    const first = await KeyFileProvider.create(join(folder, 'first.key'));
    const secret = await loadDeidSecret(lakeUnder(lake, first));
    const next = await KeyFileProvider.create(join(folder, 'next.key'));

    await rotateStoreKeys(lakeUnder(lake, first).store, first, next);

    expect(await loadDeidSecret(lakeUnder(lake, next))).toBe(secret);
  });

  it('asks for keys when there is no provider', async () => {
    const load = loadDeidSecret({ keys: undefined, store: new LocalObjectStore({ root: folder }) });

    await expect(load).rejects.toThrow(DeidRunError);
    await expect(load).rejects.toThrow('carelake.yaml sets keys: provider: none');
  });
});
