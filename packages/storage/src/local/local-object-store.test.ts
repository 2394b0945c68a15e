// LocalObjectStore against real temporary folders. Only the XOR codec is a stand-in, for the encryption codec to come.
import { access, mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

import { sha256Hex } from '@carelake/core';

import {
  failingStream,
  generatedSha256,
  generatedStream,
  hashStream,
  MIB,
} from '../__fixtures__/generated-bytes';
import { findTempFiles, makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import type { ObjectCodec } from '../codec';
import {
  InvalidObjectKeyError,
  ObjectExistsError,
  ObjectNotFoundError,
  StorageError,
} from '../errors';
import { LocalObjectStore } from './local-object-store';

let folder: string;
let root: string;
let store: LocalObjectStore;

beforeEach(async () => {
  folder = await makeTempFolder('local');
  root = path.join(folder, 'lake');
  store = new LocalObjectStore({ root });
});

afterEach(async () => {
  await removeTempFolder(folder);
});

async function listKeys(prefix = ''): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list({ prefix })) keys.push(info.key);
  return keys;
}

async function exists(filePath: string): Promise<boolean> {
  return access(filePath).then(
    () => true,
    () => false,
  );
}

/** Flips every bit of every byte: stored bytes differ from plaintext, and the codec streams. */
const xorCodec: ObjectCodec = {
  async *encode(plain) {
    for await (const chunk of plain) yield Buffer.from(chunk).map((byte) => byte ^ 0xff);
  },
  async *decode(stored) {
    for await (const chunk of stored) yield Buffer.from(chunk).map((byte) => byte ^ 0xff);
  },
};

describe('LocalObjectStore', () => {
  it('streams 20 MiB with its sha256', async () => {
    const sizeBytes = 20 * MIB;
    const expectedSha256 = generatedSha256(sizeBytes);

    const result = await store.put('landing/sftp/batch.bin', generatedStream(sizeBytes));

    expect(result).toEqual({ key: 'landing/sftp/batch.bin', sizeBytes, sha256: expectedSha256 });
    expect((await stat(path.join(root, 'landing/sftp/batch.bin'))).size).toBe(sizeBytes);
    expect(await hashStream(await store.getStream('landing/sftp/batch.bin'))).toEqual({
      sha256: expectedSha256,
      sizeBytes,
    });
  });

  it('lets one of 10 racing ifNoneMatch puts win', async () => {
    const key = '_state/tables/clinical/patients/00000001.json';
    const bodies = Array.from({ length: 10 }, (_, writer) => `{"writer":${writer}}`);

    const outcomes = await Promise.allSettled(
      bodies.map((body) => store.put(key, body, { ifNoneMatch: true })),
    );

    const winners = outcomes.flatMap((outcome, writer) =>
      outcome.status === 'fulfilled' ? [writer] : [],
    );
    const losers = outcomes.flatMap((outcome) =>
      outcome.status === 'rejected' ? [outcome.reason] : [],
    );
    expect(winners).toHaveLength(1);
    expect(losers).toHaveLength(9);
    for (const reason of losers) expect(reason).toBeInstanceOf(ObjectExistsError);
    expect(Buffer.from(await store.get(key)).toString()).toBe(bodies[winners[0] ?? -1]);
    expect(await findTempFiles(root)).toEqual([]);
  });

  it('rejects ifNoneMatch put over existing object', async () => {
    await store.put('_state/commit.json', 'first');
    const failure = store.put('_state/commit.json', 'second', { ifNoneMatch: true });
    await expect(failure).rejects.toBeInstanceOf(ObjectExistsError);
    await expect(failure).rejects.toMatchObject({ key: '_state/commit.json', operation: 'put' });
    expect(Buffer.from(await store.get('_state/commit.json')).toString()).toBe('first');
  });

  it('lists in byte order of keys', async () => {
    // Sorting folder entries by name alone would list 'a/x' before 'a-b' and 'a.txt'.
    const keys = ['a0', 'a/x', 'a.txt', 'a-b', 'B', 'é', 'a/y/z'];
    for (const key of keys) await store.put(key, key);
    expect(await listKeys()).toEqual(['B', 'a-b', 'a.txt', 'a/x', 'a/y/z', 'a0', 'é']);
    expect(await listKeys('a/')).toEqual(['a/x', 'a/y/z']);
  });

  it('lists without temp files or tags', async () => {
    await store.put('raw/a.parquet', 'a', { tags: { classification: 'phi' } });
    await writeFile(path.join(root, 'raw', '.tmp-b.parquet.0123456789abcdef'), 'unfinished');
    await mkdir(path.join(root, 'raw', 'empty-folder'));
    expect(await listKeys()).toEqual(['raw/a.parquet']);
    expect(await exists(path.join(root, '.carelake-tags', 'raw', 'a.parquet'))).toBe(true);
  });

  it('leaves nothing after body fails halfway', async () => {
    const sourceError = new Error('connection reset');
    const failure = store.put('landing/sftp/half.bin', failingStream(8 * MIB, sourceError));

    await expect(failure).rejects.toBeInstanceOf(StorageError);
    await expect(failure).rejects.toMatchObject({ cause: sourceError });
    expect(await store.head('landing/sftp/half.bin')).toBeUndefined();
    expect(await readdir(path.join(root, 'landing/sftp'))).toEqual([]);
  });

  it('keeps old object when overwrite fails', async () => {
    await store.put('curated/part-0.parquet', 'committed');
    await expect(
      store.put('curated/part-0.parquet', failingStream(MIB, new Error('disk read failed'))),
    ).rejects.toThrow(StorageError);
    expect(Buffer.from(await store.get('curated/part-0.parquet')).toString()).toBe('committed');
  });

  it('creates nothing for an invalid key', async () => {
    await expect(store.put('../outside.txt', 'x')).rejects.toBeInstanceOf(InvalidObjectKeyError);
    expect(await exists(root)).toBe(false);
    expect(await readdir(folder)).toEqual([]);
  });

  it('clears tags on put without tags', async () => {
    await store.put('raw/a.parquet', 'v1', { tags: { classification: 'phi' } });
    await store.put('raw/a.parquet', 'v2');
    expect(await store.getTags('raw/a.parquet')).toEqual({});
  });

  it('copies tags with the object', async () => {
    await store.put('raw/a.parquet', 'x', { tags: { classification: 'phi' } });
    await store.put('raw/b.parquet', 'y', { tags: { tier: 'archive' } });
    await store.copy('raw/a.parquet', 'raw/b.parquet');
    expect(await store.getTags('raw/b.parquet')).toEqual({ classification: 'phi' });
    expect(Buffer.from(await store.get('raw/b.parquet')).toString()).toBe('x');
  });

  it('deletes tags with the object', async () => {
    await store.put('raw/a.parquet', 'x', { tags: { classification: 'phi' } });
    await store.delete('raw/a.parquet');
    expect(await exists(path.join(root, '.carelake-tags', 'raw', 'a.parquet'))).toBe(false);
    await store.put('raw/a.parquet', 'y');
    expect(await store.getTags('raw/a.parquet')).toEqual({});
  });

  it('deletes missing keys quietly', async () => {
    await store.put('raw/a', 'x');
    await expect(store.delete('raw/none')).resolves.toBeUndefined();
    // 'raw/a' is a file, so 'raw/a/b' cannot exist.
    await expect(store.delete('raw/a/b')).resolves.toBeUndefined();
    await expect(store.delete('raw')).resolves.toBeUndefined();
    expect(await listKeys()).toEqual(['raw/a']);
  });

  it.each([
    {
      case: 'key under an object',
      first: 'raw/a',
      second: 'raw/a/b',
      detail: 'a part of its path is already an object',
    },
    {
      case: 'key over a folder',
      first: 'raw/a/b',
      second: 'raw/a',
      detail: 'other objects are stored under "raw/a/"',
    },
  ])('rejects $case', async ({ first, second, detail }) => {
    await store.put(first, 'x');
    for (const ifNoneMatch of [false, true]) {
      const failure = store.put(second, 'y', { ifNoneMatch });
      await expect(failure).rejects.toThrow(detail);
      await expect(failure).rejects.not.toBeInstanceOf(ObjectExistsError);
    }
    expect(await listKeys()).toEqual([first]);
  });

  it('materializes the object file itself', async () => {
    await store.put('curated/part-0.parquet', 'parquet bytes');
    const materialized = await store.materialize('curated/part-0.parquet');
    expect(materialized.path).toBe(path.join(root, 'curated', 'part-0.parquet'));
    await materialized.release();
    expect(await exists(materialized.path)).toBe(true);
  });

  it('creates private files and folders', async () => {
    await store.put('raw/hl7v2/a.parquet', 'x');
    expect((await stat(path.join(root, 'raw/hl7v2/a.parquet'))).mode & 0o777).toBe(0o600);
    expect((await stat(path.join(root, 'raw/hl7v2'))).mode & 0o777).toBe(0o700);
  });

  it('runs bodies through the codec', async () => {
    const codecStore = new LocalObjectStore({ root, codec: xorCodec, materializeDir: folder });
    const plaintext = 'MSH|^~\\&|ADT1|EAST';

    const result = await codecStore.put('raw/msg.hl7', plaintext);

    const stored = await readFile(path.join(root, 'raw/msg.hl7'));
    expect(stored.toString('latin1')).not.toContain('MSH');
    expect(Buffer.from(stored.map((byte) => byte ^ 0xff)).toString()).toBe(plaintext);
    expect(result.sha256).toBe(sha256Hex(plaintext));
    expect(Buffer.from(await codecStore.get('raw/msg.hl7')).toString()).toBe(plaintext);
  });

  it('copies through the codec', async () => {
    const codecStore = new LocalObjectStore({ root, codec: xorCodec, materializeDir: folder });
    await codecStore.put('raw/msg.hl7', 'PID|1');
    await codecStore.copy('raw/msg.hl7', 'raw/copy.hl7');
    expect(Buffer.from(await codecStore.get('raw/copy.hl7')).toString()).toBe('PID|1');
  });

  it('materializes decoded private copy', async () => {
    const codecStore = new LocalObjectStore({ root, codec: xorCodec, materializeDir: folder });
    await codecStore.put('curated/part-0.parquet', 'decoded bytes');

    const materialized = await codecStore.materialize('curated/part-0.parquet');

    expect(path.dirname(path.dirname(materialized.path))).toBe(folder);
    expect(path.basename(materialized.path)).toBe('part-0.parquet');
    expect(await readFile(materialized.path, 'utf8')).toBe('decoded bytes');
    expect((await stat(materialized.path)).mode & 0o777).toBe(0o600);
    expect((await stat(path.dirname(materialized.path))).mode & 0o777).toBe(0o700);
    await materialized.release();
    expect(await exists(path.dirname(materialized.path))).toBe(false);
  });

  it('reports missing key on decoded materialize', async () => {
    const codecStore = new LocalObjectStore({ root, codec: xorCodec, materializeDir: folder });
    await expect(codecStore.materialize('curated/none.parquet')).rejects.toBeInstanceOf(
      ObjectNotFoundError,
    );
    expect(await readdir(folder)).toEqual([]);
  });

  it('names the key in errors', async () => {
    await expect(store.get('landing/none.hl7')).rejects.toThrow(
      'object "landing/none.hl7" not found',
    );
  });
});
