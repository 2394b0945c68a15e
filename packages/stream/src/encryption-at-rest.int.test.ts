// Real: StreamProducer and StreamConsumer against kinesalite on 127.0.0.1, whose LevelDB files in a temporary folder are searched byte by byte. Faked: the KeyProvider keeps its key in memory.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

import { LocalObjectStore } from '@carelake/storage';

import { numberedMessage } from './__fixtures__/hl7-messages';
import { MemoryKeyProvider } from './__fixtures__/memory-key-provider';
import { range, TableSink } from './__fixtures__/table-sink';
import { makeTempFolder, removeTempFolder } from './__fixtures__/temp-folder';
import { StreamConsumer } from './consumer/stream-consumer';
import { RecordDecryptor } from './encryption/record-decryptor';
import { RecordEncryptor } from './encryption/record-encryptor';
import { kinesisClientFor } from './local/kinesis-client';
import { startLocalStream } from './local/local-stream';
import { ensureStream } from './local/stream-status';
import { StreamProducer } from './producer/stream-producer';

const MARKER = 'CARELAKE-PLAINTEXT-MARKER-7Q2';
const STREAM = 'hl7-at-rest';

/**
 * List the forms the marker can take in kinesalite's files: as is, and
 * base64-encoded at each of the three byte alignments, because kinesalite stores
 * record data as base64.
 */
function markerForms(): Buffer[] {
  const marker = Buffer.from(MARKER, 'utf8');
  const base64Forms = [0, 1, 2].map((offset) => {
    const encoded = Buffer.concat([Buffer.alloc(offset), marker]).toString('base64');
    // Characters that also depend on the bytes before the marker are cut off at the start, partial groups at the end.
    const start = [0, 2, 3][offset] as number;
    const end = (Math.floor((offset + marker.length) / 3) * 4) as number;
    return Buffer.from(encoded.slice(start, end), 'ascii');
  });
  return [marker, ...base64Forms];
}

async function folderContainsMarker(folder: string): Promise<boolean> {
  const forms = markerForms();
  const entries = await readdir(folder, { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const bytes = await readFile(path.join(entry.parentPath, entry.name));
    if (forms.some((form) => bytes.includes(form))) return true;
  }
  return false;
}

describe('records at rest in the local stream', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await makeTempFolder('at-rest');
  });

  afterEach(async () => {
    await removeTempFolder(folder);
  });

  async function writeAndRead(encrypt: boolean): Promise<{ dataDir: string; sink: TableSink }> {
    const dataDir = path.join(folder, encrypt ? 'encrypted' : 'plain');
    const local = await startLocalStream({ dataDir });
    const client = kinesisClientFor(local.endpoint);
    const keyProvider = new MemoryKeyProvider();
    const sink = new TableSink();
    try {
      await ensureStream(client, STREAM, 2);
      const producer = new StreamProducer({
        client,
        streamName: STREAM,
        lingerMs: 0,
        ...(encrypt ? { encryptor: new RecordEncryptor({ keyProvider }) } : {}),
      });
      await Promise.all(
        range(50).map((index) =>
          producer.put({
            partitionKey: `facility-${index % 4}`,
            data: numberedMessage(index, MARKER),
          }),
        ),
      );
      await producer.close();

      await new StreamConsumer({
        client,
        streamName: STREAM,
        consumerName: 'at-rest-reader',
        store: new LocalObjectStore({ root: path.join(folder, `state-${encrypt}`) }),
        ...(encrypt ? { decryptor: new RecordDecryptor({ keyProvider }) } : {}),
        onBatch: async (batch) => {
          sink.write(batch);
          await batch.commit();
        },
      }).run({ untilCaughtUp: true });
    } finally {
      client.destroy();
      await local.stop();
    }
    return { dataDir, sink };
  }

  it('finds the marker in the files of an unencrypted stream', async () => {
    const { dataDir, sink } = await writeAndRead(false);

    expect(sink.rows).toHaveLength(50);
    expect(await folderContainsMarker(dataDir)).toBe(true);
  });

  it('keeps no readable data in the files of an encrypted stream', async () => {
    const { dataDir, sink } = await writeAndRead(true);

    expect(sink.numbers().sort((a, b) => a - b)).toEqual(range(50));
    expect(sink.rows.every((row) => Buffer.from(row.data).includes(MARKER))).toBe(true);
    expect(await folderContainsMarker(dataDir)).toBe(false);
  });
});
