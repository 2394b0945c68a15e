// Real: key files in a temp folder and node:crypto. Nothing is faked.
import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyFileError, KeyFileProvider, rewrapKey } from './key-file-provider';

describe('KeyFileProvider', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-key-file-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('creates an owner-only key file', async () => {
    const path = join(folder, 'lake.key');

    const provider = await KeyFileProvider.create(path);

    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect(Buffer.from((await readFile(path, 'utf8')).trim(), 'base64')).toHaveLength(32);
    expect(provider.keyId).toMatch(/^local:[0-9a-f]{16}$/);
  });

  it('wraps and unwraps a data key', async () => {
    const provider = await KeyFileProvider.create(join(folder, 'lake.key'));
    const dataKey = randomBytes(32);

    const first = await provider.wrapKey(dataKey);
    const second = await provider.wrapKey(dataKey);

    expect(Buffer.from(await provider.unwrapKey(first))).toEqual(dataKey);
    expect(Buffer.from(first).equals(Buffer.from(second))).toBe(false);
    expect(Buffer.from(first).includes(dataKey)).toBe(false);
  });

  it('rejects a key file others can read', async () => {
    const path = join(folder, 'lake.key');
    await writeFile(path, `${randomBytes(32).toString('base64')}\n`);
    await chmod(path, 0o644);

    await expect(KeyFileProvider.open(path)).rejects.toThrow('can be read or written by other users (mode 644)');
  });

  it('rejects a key file of the wrong length', async () => {
    const path = join(folder, 'lake.key');
    await writeFile(path, `${randomBytes(16).toString('base64')}\n`, { mode: 0o600 });

    await expect(KeyFileProvider.open(path)).rejects.toThrow(KeyFileError);
  });

  it('opens nothing under another key', async () => {
    const original = await KeyFileProvider.create(join(folder, 'a.key'));
    const other = await KeyFileProvider.create(join(folder, 'b.key'));
    const wrapped = await original.wrapKey(randomBytes(32));

    await expect(other.unwrapKey(wrapped)).rejects.toThrow(`does not open under key ${other.keyId}`);
  });

  it('rewraps a data key for rotation', async () => {
    const retiring = await KeyFileProvider.create(join(folder, 'old.key'));
    const next = await KeyFileProvider.create(join(folder, 'new.key'));
    const dataKey = randomBytes(32);

    const rewrapped = await rewrapKey(await retiring.wrapKey(dataKey), retiring, next);

    expect(Buffer.from(await next.unwrapKey(rewrapped))).toEqual(dataKey);
    await expect(retiring.unwrapKey(rewrapped)).rejects.toThrow(KeyFileError);
  });
});
