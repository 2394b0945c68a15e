// Real: protobufjs encoding and node:crypto MD5. Faked: nothing; the expected bytes are written out by hand from the KPL aggregation format.
import { createHash } from 'node:crypto';

import { deaggregate } from './deaggregate';
import { decodeAggregatedRecord, encodeAggregatedRecord, KPL_MAGIC } from './kpl-format';

const MAGIC = [0xf3, 0x89, 0x9a, 0xc2];

function ascii(text: string): number[] {
  return [...Buffer.from(text, 'ascii')];
}

function md5(bytes: number[]): number[] {
  return [...createHash('md5').update(Buffer.from(bytes)).digest()];
}

function frame(protobuf: number[], digest: number[] = md5(protobuf)): Uint8Array {
  return Uint8Array.from([...MAGIC, ...protobuf, ...digest]);
}

// AggregatedRecord { partition_key_table: ["pk-a", "pk-b"], records: [{0, "MSH|1"}, {1, "MSH|2"}] }
const TWO_KEYS_PROTOBUF = [
  0x0a,
  0x04,
  ...ascii('pk-a'), // field 1, length 4
  0x0a,
  0x04,
  ...ascii('pk-b'),
  0x1a,
  0x09, // field 3, a Record of 9 bytes
  0x08,
  0x00, // partition_key_index = 0
  0x1a,
  0x05,
  ...ascii('MSH|1'), // data, 5 bytes
  0x1a,
  0x09,
  0x08,
  0x01,
  0x1a,
  0x05,
  ...ascii('MSH|2'),
];

// AggregatedRecord { partition_key_table: ["pk"], explicit_hash_key_table: ["42"], records: [{0, 0, "x"}] }
const HASH_KEY_PROTOBUF = [
  0x0a,
  0x02,
  ...ascii('pk'),
  0x12,
  0x02,
  ...ascii('42'), // field 2, length 2
  0x1a,
  0x07,
  0x08,
  0x00,
  0x10,
  0x00, // explicit_hash_key_index = 0
  0x1a,
  0x01,
  ...ascii('x'),
];

describe('KPL aggregated record format', () => {
  it('encodes the magic number, the protobuf and its MD5', () => {
    const encoded = encodeAggregatedRecord({
      partitionKeyTable: ['pk-a', 'pk-b'],
      explicitHashKeyTable: [],
      records: [
        { partitionKeyIndex: 0, data: Buffer.from('MSH|1') },
        { partitionKeyIndex: 1, data: Buffer.from('MSH|2') },
      ],
    });

    expect([...encoded]).toEqual([...frame(TWO_KEYS_PROTOBUF)]);
  });

  it('encodes explicit hash key indexes', () => {
    const encoded = encodeAggregatedRecord({
      partitionKeyTable: ['pk'],
      explicitHashKeyTable: ['42'],
      records: [{ partitionKeyIndex: 0, explicitHashKeyIndex: 0, data: Buffer.from('x') }],
    });

    expect([...encoded]).toEqual([...frame(HASH_KEY_PROTOBUF)]);
  });

  it('deaggregates hand-built bytes into user records', () => {
    const records = deaggregate({ partitionKey: 'pk-a', data: frame(TWO_KEYS_PROTOBUF) });

    expect(records).toHaveLength(2);
    expect(records.map((record) => record.partitionKey)).toEqual(['pk-a', 'pk-b']);
    expect(records.map((record) => Buffer.from(record.data).toString())).toEqual([
      'MSH|1',
      'MSH|2',
    ]);
    expect(records.map((record) => record.subSequenceNumber)).toEqual([0, 1]);
    expect(records.every((record) => record.aggregated)).toBe(true);
  });

  it('deaggregates explicit hash keys', () => {
    const [record] = deaggregate({ partitionKey: 'pk', data: frame(HASH_KEY_PROTOBUF) });

    expect(record?.explicitHashKey).toBe('42');
    expect(Buffer.from(record?.data ?? []).toString()).toBe('x');
  });

  // A record whose partition_key_index (5) is outside a one-entry table.
  const badIndexProtobuf = [
    0x0a,
    0x02,
    ...ascii('pk'),
    0x1a,
    0x05,
    0x08,
    0x05,
    0x1a,
    0x01,
    ...ascii('x'),
  ];
  const garbage = [0x1a, 0xff, 0xff, 0xff, 0xff, 0x0f];

  it.each([
    { case: 'no magic number', data: Uint8Array.from([0x4d, 0x53, 0x48, ...TWO_KEYS_PROTOBUF]) },
    { case: 'shorter than magic and digest', data: Uint8Array.from([...MAGIC, 0x00]) },
    { case: 'an empty protobuf message', data: frame([]) },
    { case: 'MD5 that does not match', data: frame(TWO_KEYS_PROTOBUF, md5(HASH_KEY_PROTOBUF)) },
    { case: 'protobuf that does not parse', data: frame(garbage) },
    { case: 'index outside the key table', data: frame(badIndexProtobuf) },
  ])('reads $case as one plain record', ({ data }) => {
    expect(decodeAggregatedRecord(data)).toBeUndefined();

    const records = deaggregate({ partitionKey: 'plain-key', data });

    expect(records).toHaveLength(1);
    expect(records[0]?.aggregated).toBe(false);
    expect(records[0]?.subSequenceNumber).toBe(0);
    expect(records[0]?.partitionKey).toBe('plain-key');
    expect([...(records[0]?.data ?? [])]).toEqual([...data]);
  });

  it('exports the magic number of the format', () => {
    expect([...KPL_MAGIC]).toEqual(MAGIC);
  });
});
