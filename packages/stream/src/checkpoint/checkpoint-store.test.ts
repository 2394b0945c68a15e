// Real: CheckpointStore over a LocalObjectStore in a temporary folder. Faked: the clock of `updatedAt`.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

import { ManualClock } from '@carelake/core';
import { LocalObjectStore } from '@carelake/storage';

import { makeTempFolder, removeTempFolder } from '../__fixtures__/temp-folder';
import { CheckpointError } from '../errors';
import { checkpointPrefix, CheckpointStore } from './checkpoint-store';

const SHARD = 'shardId-000000000000';
const LOW = '49680844855591601856626666974193844675458577386675634178';
const HIGH = '49680844855591601856626666974193844675458577386675634179';

describe('CheckpointStore', () => {
  let folder: string;
  let store: LocalObjectStore;

  beforeEach(async () => {
    folder = await makeTempFolder('checkpoints');
    store = new LocalObjectStore({ root: folder });
  });

  afterEach(async () => {
    await removeTempFolder(folder);
  });

  it('writes one JSON object per shard under the state prefix', async () => {
    const checkpoints = new CheckpointStore(
      store,
      'adt-loader',
      'hl7-adt',
      new ManualClock('2026-03-01T10:00:00.000Z'),
    );

    await checkpoints.save({
      shardId: SHARD,
      position: { sequenceNumber: HIGH, subSequenceNumber: 4 },
      endsKinesisRecord: true,
      shardEnd: false,
    });
    const stored = JSON.parse(
      await readFile(
        path.join(folder, '_state/streams/adt-loader/hl7-adt', `${SHARD}.json`),
        'utf8',
      ),
    );

    expect(checkpointPrefix('adt-loader', 'hl7-adt')).toBe('_state/streams/adt-loader/hl7-adt/');
    expect(stored).toEqual({
      version: 1,
      consumer: 'adt-loader',
      stream: 'hl7-adt',
      shardId: SHARD,
      sequenceNumber: HIGH,
      subSequenceNumber: 4,
      endsKinesisRecord: true,
      shardEnd: false,
      updatedAt: '2026-03-01T10:00:00.000Z',
    });
  });

  it('loads what an earlier instance saved', async () => {
    await new CheckpointStore(store, 'adt-loader', 'hl7-adt').save({
      shardId: SHARD,
      position: { sequenceNumber: LOW, subSequenceNumber: 0 },
      endsKinesisRecord: true,
      shardEnd: false,
    });
    await new CheckpointStore(store, 'adt-loader', 'hl7-adt').save({
      shardId: 'shardId-000000000001',
      shardEnd: true,
    });

    const loaded = await new CheckpointStore(store, 'adt-loader', 'hl7-adt').loadAll();

    expect(loaded.get(SHARD)).toEqual({
      shardId: SHARD,
      position: { sequenceNumber: LOW, subSequenceNumber: 0 },
      endsKinesisRecord: true,
      shardEnd: false,
    });
    expect(loaded.get('shardId-000000000001')).toEqual({
      shardId: 'shardId-000000000001',
      shardEnd: true,
    });
  });

  it('never moves a shard backwards', async () => {
    const checkpoints = new CheckpointStore(store, 'adt-loader', 'hl7-adt');

    const wroteHigh = await checkpoints.save({
      shardId: SHARD,
      position: { sequenceNumber: HIGH, subSequenceNumber: 0 },
      shardEnd: false,
    });
    const wroteLow = await checkpoints.save({
      shardId: SHARD,
      position: { sequenceNumber: LOW, subSequenceNumber: 9 },
      shardEnd: false,
    });
    const loaded = await new CheckpointStore(store, 'adt-loader', 'hl7-adt').loadAll();

    expect(wroteHigh).toBe(true);
    expect(wroteLow).toBe(false);
    expect(loaded.get(SHARD)?.position?.sequenceNumber).toBe(HIGH);
  });

  it('keeps concurrent saves of one shard in call order', async () => {
    const checkpoints = new CheckpointStore(store, 'adt-loader', 'hl7-adt');

    const results = await Promise.all([
      checkpoints.save({
        shardId: SHARD,
        position: { sequenceNumber: LOW, subSequenceNumber: 0 },
        shardEnd: false,
      }),
      checkpoints.save({
        shardId: SHARD,
        position: { sequenceNumber: HIGH, subSequenceNumber: 0 },
        shardEnd: false,
      }),
      checkpoints.save({
        shardId: SHARD,
        position: { sequenceNumber: LOW, subSequenceNumber: 5 },
        shardEnd: false,
      }),
    ]);
    const loaded = await new CheckpointStore(store, 'adt-loader', 'hl7-adt').loadAll();

    expect(results).toEqual([true, true, false]);
    expect(loaded.get(SHARD)?.position?.sequenceNumber).toBe(HIGH);
  });

  it('keeps an ended shard ended', async () => {
    const checkpoints = new CheckpointStore(store, 'adt-loader', 'hl7-adt');
    await checkpoints.save({
      shardId: SHARD,
      position: { sequenceNumber: LOW, subSequenceNumber: 0 },
      shardEnd: true,
    });

    const wrote = await checkpoints.save({
      shardId: SHARD,
      position: { sequenceNumber: HIGH, subSequenceNumber: 0 },
      shardEnd: false,
    });

    expect(wrote).toBe(false);
    expect(
      (await new CheckpointStore(store, 'adt-loader', 'hl7-adt').loadAll()).get(SHARD)?.shardEnd,
    ).toBe(true);
  });

  it.each([
    { case: 'invalid JSON', body: '{"version": 1,', message: /not valid JSON/ },
    {
      case: 'an unknown version',
      body: JSON.stringify({ version: 2 }),
      message: /version must be 1, got 2/,
    },
    {
      case: 'a numeric sequence number',
      body: JSON.stringify({
        version: 1,
        shardId: SHARD,
        sequenceNumber: 4968084485559160,
        subSequenceNumber: 0,
        shardEnd: false,
      }),
      message: /sequenceNumber must be a decimal sequence number string/,
    },
    {
      case: 'a missing sequence number on an open shard',
      body: JSON.stringify({
        version: 1,
        shardId: SHARD,
        sequenceNumber: null,
        subSequenceNumber: null,
        shardEnd: false,
      }),
      message: /sequenceNumber must be/,
    },
    {
      case: 'a negative sub-sequence number',
      body: JSON.stringify({
        version: 1,
        shardId: SHARD,
        sequenceNumber: LOW,
        subSequenceNumber: -1,
        shardEnd: false,
      }),
      message: /subSequenceNumber must be a non-negative integer/,
    },
    {
      case: 'a text endsKinesisRecord',
      body: JSON.stringify({
        version: 1,
        shardId: SHARD,
        sequenceNumber: LOW,
        subSequenceNumber: 0,
        endsKinesisRecord: 'yes',
        shardEnd: false,
      }),
      message: /endsKinesisRecord must be true or false/,
    },
  ])('rejects a checkpoint with $case, naming its key', async ({ body, message }) => {
    const key = `_state/streams/adt-loader/hl7-adt/${SHARD}.json`;
    await store.put(key, body);

    const loading = new CheckpointStore(store, 'adt-loader', 'hl7-adt').loadAll();

    await expect(loading).rejects.toBeInstanceOf(CheckpointError);
    await expect(loading).rejects.toThrow(message);
    await expect(loading).rejects.toMatchObject({ key });
  });

  it.each([
    {
      case: 'a slash in the consumer name',
      consumer: 'adt/loader',
      stream: 'hl7-adt',
      keyPath: 'consumerName',
    },
    {
      case: 'a parent folder as stream name',
      consumer: 'adt-loader',
      stream: '..',
      keyPath: 'streamName',
    },
    { case: 'an empty stream name', consumer: 'adt-loader', stream: '', keyPath: 'streamName' },
  ])('rejects $case', ({ consumer, stream, keyPath }) => {
    expect(() => new CheckpointStore(store, consumer, stream)).toThrow(
      expect.objectContaining({
        issues: expect.arrayContaining([expect.objectContaining({ keyPath })]),
      }),
    );
  });
});
