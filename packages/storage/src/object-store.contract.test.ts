// Runs one table of cases against LocalObjectStore in real temporary folders and against S3ObjectStore on a real s3rver (127.0.0.1). Nothing is faked.
import { readFile } from 'node:fs/promises';

import { sha256Hex } from '@carelake/core';

import {
  failingStream,
  generatedSha256,
  generatedStream,
  hashStream,
  MIB,
} from './__fixtures__/generated-bytes';
import { startS3TestServer, type S3TestServer } from './__fixtures__/s3-test-server';
import { makeTempFolder, removeTempFolder } from './__fixtures__/temp-folder';
import {
  InvalidObjectKeyError,
  InvalidObjectTagsError,
  ObjectNotFoundError,
  StorageError,
} from './errors';
import { LocalObjectStore } from './local/local-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore } from './s3/s3-object-store';

interface Backend {
  name: string;
  start(): Promise<void>;
  /** A new, empty store for one case. */
  newStore(): Promise<ObjectStore>;
  stop(): Promise<void>;
}

function localBackend(): Backend {
  let folder = '';
  let storeCount = 0;
  return {
    name: 'local',
    start: async () => {
      folder = await makeTempFolder('contract');
    },
    newStore: async () => new LocalObjectStore({ root: `${folder}/store-${++storeCount}` }),
    stop: () => removeTempFolder(folder),
  };
}

function s3Backend(): Backend {
  let server: S3TestServer | undefined;
  let storeCount = 0;
  return {
    name: 's3',
    start: async () => {
      server = await startS3TestServer();
    },
    newStore: async () => {
      if (!server) throw new Error('the s3rver backend was not started');
      return new S3ObjectStore({
        client: server.client,
        bucket: server.bucket,
        prefix: `store-${++storeCount}/`,
      });
    },
    stop: async () => {
      await server?.stop();
    },
  };
}

async function listKeys(store: ObjectStore, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  for await (const info of store.list({ prefix })) keys.push(info.key);
  return keys;
}

/** A synthetic ADT^A01 message: made-up values, realistic shape. */
const ADT_MESSAGE =
  'MSH|^~\\&|ADT1|EAST|LAKE|EAST|202405011200||ADT^A01|MSG00001|P|2.5\r' +
  'PID|1||PAT-0001^^^EAST^MR||Testpatient^Alex||19800101|U\r';

const HIVE_STYLE_KEY = 'curated/clinical/encounters/admit_date=2024-05-01/part 0-é.parquet';

// Cases where s3rver 3.7 departs from S3 are tested against the local store only. s3rver keeps tags
// when an object is overwritten, copied or deleted. It lists keys such as 'a.txt' and 'a/b' in folder
// order rather than key order, and it accepts a put with If-None-Match over an existing key.
const CONTRACT_CASES: Array<{ case: string; run: (store: ObjectStore) => Promise<void> }> = [
  {
    case: 'put and get bytes',
    run: async (store) => {
      const body = Buffer.from(ADT_MESSAGE, 'latin1');
      const result = await store.put('landing/adt/msg-00001.hl7', body);
      expect(result).toEqual({
        key: 'landing/adt/msg-00001.hl7',
        sizeBytes: body.byteLength,
        sha256: sha256Hex(body),
      });
      expect(Buffer.from(await store.get('landing/adt/msg-00001.hl7'))).toEqual(body);
    },
  },
  {
    case: 'put string as UTF-8',
    run: async (store) => {
      const result = await store.put('notes/name.txt', 'Zoë Müller');
      expect(result.sizeBytes).toBe(12);
      expect(Buffer.from(await store.get('notes/name.txt')).toString('hex')).toBe(
        Buffer.from('Zoë Müller', 'utf8').toString('hex'),
      );
    },
  },
  {
    case: 'put empty body',
    run: async (store) => {
      const result = await store.put('empty/marker', new Uint8Array(0));
      expect(result.sha256).toBe(
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      );
      expect((await store.head('empty/marker'))?.sizeBytes).toBe(0);
      expect((await store.get('empty/marker')).byteLength).toBe(0);
    },
  },
  {
    case: 'stream round trip',
    run: async (store) => {
      const sizeBytes = 3 * MIB + 17;
      const result = await store.put('raw/stream.bin', generatedStream(sizeBytes));
      expect(result.sha256).toBe(generatedSha256(sizeBytes));
      expect(result.sizeBytes).toBe(sizeBytes);
      expect(await hashStream(await store.getStream('raw/stream.bin'))).toEqual({
        sha256: generatedSha256(sizeBytes),
        sizeBytes,
      });
    },
  },
  {
    case: 'overwrite replaces object',
    run: async (store) => {
      await store.put('state/pointer', 'version 1');
      await store.put('state/pointer', 'version 22');
      expect(Buffer.from(await store.get('state/pointer')).toString()).toBe('version 22');
      expect((await store.head('state/pointer'))?.sizeBytes).toBe(10);
    },
  },
  {
    case: 'get of missing key',
    run: async (store) => {
      const failure = store.get('landing/none.hl7');
      await expect(failure).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(failure).rejects.toMatchObject({ key: 'landing/none.hl7', operation: 'get' });
    },
  },
  {
    case: 'getStream of missing key',
    run: async (store) => {
      await expect(store.getStream('landing/none.hl7')).rejects.toBeInstanceOf(ObjectNotFoundError);
    },
  },
  {
    case: 'head of missing key',
    run: async (store) => {
      await store.put('landing/present.hl7', ADT_MESSAGE);
      expect(await store.head('landing/absent.hl7')).toBeUndefined();
      expect(await store.head('landing')).toBeUndefined();
    },
  },
  {
    case: 'head of object',
    run: async (store) => {
      const before = Date.now();
      await store.put('landing/adt/msg.hl7', ADT_MESSAGE);
      const info = await store.head('landing/adt/msg.hl7');
      expect(info?.key).toBe('landing/adt/msg.hl7');
      expect(info?.sizeBytes).toBe(ADT_MESSAGE.length);
      // S3 reports whole seconds, so allow for the truncation.
      expect(info?.lastModified.getTime()).toBeGreaterThanOrEqual(before - 1000);
    },
  },
  {
    case: 'list in key order',
    run: async (store) => {
      const keys = [
        'raw/hl7v2/2024/b.parquet',
        'curated/y.parquet',
        'raw/hl7v2/2024/B.parquet',
        'raw/fhir/x.ndjson',
        'raw/hl7v2/2023/z.parquet',
        'raw/hl7v2/2024/a.parquet',
      ];
      for (const key of keys) await store.put(key, key);
      // Byte order puts 'B' before 'a', where a locale-aware sort would not.
      expect(await listKeys(store, '')).toEqual([
        'curated/y.parquet',
        'raw/fhir/x.ndjson',
        'raw/hl7v2/2023/z.parquet',
        'raw/hl7v2/2024/B.parquet',
        'raw/hl7v2/2024/a.parquet',
        'raw/hl7v2/2024/b.parquet',
      ]);
    },
  },
  {
    case: 'list by prefix',
    run: async (store) => {
      for (const key of ['raw/ab.txt', 'raw/abc/x.txt', 'raw/a/b.txt', 'rawer/c.txt'])
        await store.put(key, key);
      expect(await listKeys(store, 'raw/')).toEqual(['raw/a/b.txt', 'raw/ab.txt', 'raw/abc/x.txt']);
      expect(await listKeys(store, 'raw/ab')).toEqual(['raw/ab.txt', 'raw/abc/x.txt']);
      expect(await listKeys(store, 'raw')).toEqual([
        'raw/a/b.txt',
        'raw/ab.txt',
        'raw/abc/x.txt',
        'rawer/c.txt',
      ]);
      expect(await listKeys(store, 'quarantine/')).toEqual([]);
    },
  },
  {
    case: 'list sizes',
    run: async (store) => {
      await store.put('sizes/one', 'x');
      await store.put('sizes/three', 'xyz');
      const infos = [];
      for await (const info of store.list({ prefix: 'sizes/' })) infos.push(info);
      expect(infos.map((info) => [info.key, info.sizeBytes])).toEqual([
        ['sizes/one', 1],
        ['sizes/three', 3],
      ]);
      expect(infos.every((info) => info.lastModified instanceof Date)).toBe(true);
    },
  },
  {
    case: 'copy object',
    run: async (store) => {
      await store.put(HIVE_STYLE_KEY, ADT_MESSAGE);
      await store.copy(HIVE_STYLE_KEY, 'curated/copy/part-0.parquet');
      expect(Buffer.from(await store.get('curated/copy/part-0.parquet')).toString('latin1')).toBe(
        ADT_MESSAGE,
      );
      expect((await store.head(HIVE_STYLE_KEY))?.sizeBytes).toBe(ADT_MESSAGE.length);
    },
  },
  {
    case: 'copy of missing key',
    run: async (store) => {
      const failure = store.copy('landing/none.hl7', 'landing/copy.hl7');
      await expect(failure).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(failure).rejects.toMatchObject({ key: 'landing/none.hl7', operation: 'copy' });
      expect(await store.head('landing/copy.hl7')).toBeUndefined();
    },
  },
  {
    case: 'delete object',
    run: async (store) => {
      await store.put('quarantine/bad.hl7', ADT_MESSAGE);
      await store.put('quarantine/keep.hl7', ADT_MESSAGE);
      await store.delete('quarantine/bad.hl7');
      expect(await store.head('quarantine/bad.hl7')).toBeUndefined();
      expect(await listKeys(store, '')).toEqual(['quarantine/keep.hl7']);
    },
  },
  {
    case: 'delete of missing key',
    run: async (store) => {
      await expect(store.delete('quarantine/never-written.hl7')).resolves.toBeUndefined();
    },
  },
  {
    case: 'tags on put',
    run: async (store) => {
      await store.put('raw/tagged.parquet', 'x', {
        tags: { classification: 'phi', retention: 'phi-standard' },
      });
      expect(await store.getTags('raw/tagged.parquet')).toEqual({
        classification: 'phi',
        retention: 'phi-standard',
      });
    },
  },
  {
    case: 'putTags replaces all tags',
    run: async (store) => {
      await store.put('raw/tagged.parquet', 'x', {
        tags: { classification: 'phi', retention: 'phi-standard' },
      });
      await store.putTags('raw/tagged.parquet', { tier: 'archive' });
      expect(await store.getTags('raw/tagged.parquet')).toEqual({ tier: 'archive' });
    },
  },
  {
    case: 'getTags of untagged object',
    run: async (store) => {
      await store.put('raw/plain.parquet', 'x');
      expect(await store.getTags('raw/plain.parquet')).toEqual({});
    },
  },
  {
    case: 'getTags of missing key',
    run: async (store) => {
      const failure = store.getTags('raw/none.parquet');
      await expect(failure).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(failure).rejects.toMatchObject({ operation: 'getTags' });
    },
  },
  {
    case: 'putTags of missing key',
    run: async (store) => {
      const failure = store.putTags('raw/none.parquet', { tier: 'archive' });
      await expect(failure).rejects.toBeInstanceOf(ObjectNotFoundError);
      await expect(failure).rejects.toMatchObject({ operation: 'putTags' });
    },
  },
  {
    case: 'put with 11 tags',
    run: async (store) => {
      const tags = Object.fromEntries(
        Array.from({ length: 11 }, (_, index) => [`tag${index}`, 'x']),
      );
      await expect(store.put('raw/over.parquet', 'x', { tags })).rejects.toBeInstanceOf(
        InvalidObjectTagsError,
      );
      expect(await store.head('raw/over.parquet')).toBeUndefined();
    },
  },
  {
    case: 'put with failing body',
    run: async (store) => {
      const sourceError = new Error('connection reset by the SFTP server');
      const failure = store.put('landing/partial.hl7', failingStream(MIB, sourceError));
      await expect(failure).rejects.toBeInstanceOf(StorageError);
      await expect(failure).rejects.toMatchObject({
        key: 'landing/partial.hl7',
        operation: 'put',
        cause: sourceError,
      });
      expect(await store.head('landing/partial.hl7')).toBeUndefined();
      expect(await listKeys(store, '')).toEqual([]);
    },
  },
  {
    case: 'ifNoneMatch put of new key',
    run: async (store) => {
      const result = await store.put('_state/commits/00000001.json', '{"version":1}', {
        ifNoneMatch: true,
      });
      expect(result.sizeBytes).toBe(13);
      expect(Buffer.from(await store.get('_state/commits/00000001.json')).toString()).toBe(
        '{"version":1}',
      );
    },
  },
  {
    case: 'materialize object',
    run: async (store) => {
      await store.put('curated/part-0.parquet', ADT_MESSAGE);
      const materialized = await store.materialize('curated/part-0.parquet');
      try {
        expect(materialized.path.endsWith('part-0.parquet')).toBe(true);
        expect(await readFile(materialized.path, 'latin1')).toBe(ADT_MESSAGE);
      } finally {
        await materialized.release();
      }
    },
  },
  {
    case: 'materialize of missing key',
    run: async (store) => {
      await expect(store.materialize('curated/none.parquet')).rejects.toBeInstanceOf(
        ObjectNotFoundError,
      );
    },
  },
  ...invalidKeyCases(),
];

/** Build one case per method, each checking that a key which climbs out of the store is rejected before storage is touched. */
function invalidKeyCases(): Array<{ case: string; run: (store: ObjectStore) => Promise<void> }> {
  const badKey = 'landing/../../etc/passwd';
  const calls: Array<{
    method: string;
    operation: string;
    call: (store: ObjectStore) => Promise<unknown>;
  }> = [
    { method: 'put', operation: 'put', call: (store) => store.put(badKey, 'x') },
    { method: 'get', operation: 'get', call: (store) => store.get(badKey) },
    { method: 'getStream', operation: 'get', call: (store) => store.getStream(badKey) },
    { method: 'head', operation: 'head', call: (store) => store.head(badKey) },
    { method: 'copy', operation: 'copy', call: (store) => store.copy('landing/a.hl7', badKey) },
    { method: 'delete', operation: 'delete', call: (store) => store.delete(badKey) },
    { method: 'getTags', operation: 'getTags', call: (store) => store.getTags(badKey) },
    {
      method: 'putTags',
      operation: 'putTags',
      call: (store) => store.putTags(badKey, { tier: 'archive' }),
    },
    { method: 'materialize', operation: 'materialize', call: (store) => store.materialize(badKey) },
    { method: 'list', operation: 'list', call: (store) => listKeys(store, '/etc/') },
  ];
  return calls.map(({ method, operation, call }) => ({
    case: `${method} rejects invalid key`,
    run: async (store) => {
      const failure = call(store);
      await expect(failure).rejects.toBeInstanceOf(InvalidObjectKeyError);
      await expect(failure).rejects.toMatchObject({ operation });
      expect(await listKeys(store, '')).toEqual([]);
    },
  }));
}

describe.each([localBackend(), s3Backend()])('$name object store contract', (backend) => {
  beforeAll(() => backend.start());
  afterAll(() => backend.stop());

  it.each(CONTRACT_CASES)('$case', async ({ run }) => {
    await run(await backend.newStore());
  });
});
