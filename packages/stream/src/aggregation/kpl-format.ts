import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';

import type { Type } from 'protobufjs';

// The KPL aggregated record format, from amazon-kinesis-producer's
// aggregation-format.md: the 4-byte magic number, a protobuf (proto2)
// `AggregatedRecord`, then the MD5 digest of the protobuf bytes.

/** First four bytes of an aggregated record. */
export const KPL_MAGIC: Uint8Array = Uint8Array.of(0xf3, 0x89, 0x9a, 0xc2);

/** Length of the MD5 digest that ends an aggregated record. */
export const KPL_DIGEST_BYTES = 16;

/** Bytes an aggregated record adds around its protobuf message. */
export const KPL_FRAME_BYTES = KPL_MAGIC.length + KPL_DIGEST_BYTES;

const AGGREGATION_PROTO = `
syntax = "proto2";

message AggregatedRecord {
  repeated string partition_key_table = 1;
  repeated string explicit_hash_key_table = 2;
  repeated Record records = 3;
}

message Tag {
  required string key = 1;
  optional string value = 2;
}

message Record {
  required uint64 partition_key_index = 1;
  optional uint64 explicit_hash_key_index = 2;
  required bytes data = 3;
  repeated Tag tags = 4;
}
`;

let aggregatedRecordType: Type | undefined;

/**
 * Returns the `AggregatedRecord` message type, compiled on first use: protobufjs and the parse
 * are part of every CLI start otherwise, and only aggregated stream records need them.
 */
function aggregatedRecord(): Type {
  if (aggregatedRecordType) return aggregatedRecordType;
  const protobuf = createRequire(__filename)('protobufjs') as typeof import('protobufjs');
  aggregatedRecordType = protobuf.parse(AGGREGATION_PROTO, { keepCase: true }).root.lookupType('AggregatedRecord');
  return aggregatedRecordType;
}

/** One user record inside an aggregated record. Indexes are 0-based positions in the key tables. */
export interface AggregatedUserRecord {
  partitionKeyIndex: number;
  explicitHashKeyIndex?: number;
  data: Uint8Array;
}

/** The content of an `AggregatedRecord` message. Tags are not kept: neither the KPL nor the KCL uses them. */
export interface AggregatedRecordContent {
  partitionKeyTable: string[];
  explicitHashKeyTable: string[];
  records: AggregatedUserRecord[];
}

/** Encode an aggregated record: magic number, protobuf message, MD5 of the message. */
export function encodeAggregatedRecord(content: AggregatedRecordContent): Uint8Array {
  const message = aggregatedRecord().fromObject({
    partition_key_table: content.partitionKeyTable,
    explicit_hash_key_table: content.explicitHashKeyTable,
    records: content.records.map((record) => ({
      partition_key_index: record.partitionKeyIndex,
      explicit_hash_key_index: record.explicitHashKeyIndex,
      data: record.data,
    })),
  });
  const protobufBytes = aggregatedRecord().encode(message).finish();
  const digest = createHash('md5').update(protobufBytes).digest();
  return Buffer.concat([KPL_MAGIC, protobufBytes, digest]);
}

/**
 * Decode an aggregated record, or return undefined when `data` is not one: no
 * magic number, a digest that does not match, a message that does not parse,
 * or an index outside its key table. The KCL (AggregatorUtil in
 * amazon-kinesis-client 2.x) reads the first three as plain records too. For a
 * bad index it logs an error and drops the user records instead, and reading
 * the record as plain keeps them.
 */
export function decodeAggregatedRecord(data: Uint8Array): AggregatedRecordContent | undefined {
  // As in the KCL, the protobuf message must have at least one byte.
  if (data.length <= KPL_FRAME_BYTES || !startsWithMagic(data)) return undefined;

  const protobufBytes = data.subarray(KPL_MAGIC.length, data.length - KPL_DIGEST_BYTES);
  const digest = data.subarray(data.length - KPL_DIGEST_BYTES);
  if (!createHash('md5').update(protobufBytes).digest().equals(digest)) return undefined;

  let decoded: RawAggregatedRecord;
  try {
    decoded = aggregatedRecord().toObject(aggregatedRecord().decode(protobufBytes), {
      longs: String,
      arrays: true,
    }) as RawAggregatedRecord;
  } catch {
    return undefined;
  }
  return checkIndexes(decoded);
}

interface RawAggregatedRecord {
  partition_key_table: string[];
  explicit_hash_key_table: string[];
  records: { partition_key_index: string; explicit_hash_key_index?: string; data: Uint8Array }[];
}

function checkIndexes(decoded: RawAggregatedRecord): AggregatedRecordContent | undefined {
  const records: AggregatedUserRecord[] = [];
  for (const record of decoded.records) {
    const partitionKeyIndex = tableIndex(
      record.partition_key_index,
      decoded.partition_key_table.length,
    );
    if (partitionKeyIndex === undefined) return undefined;

    const userRecord: AggregatedUserRecord = { partitionKeyIndex, data: record.data };
    if (record.explicit_hash_key_index !== undefined) {
      const explicitHashKeyIndex = tableIndex(
        record.explicit_hash_key_index,
        decoded.explicit_hash_key_table.length,
      );
      if (explicitHashKeyIndex === undefined) return undefined;
      userRecord.explicitHashKeyIndex = explicitHashKeyIndex;
    }
    records.push(userRecord);
  }
  return {
    partitionKeyTable: decoded.partition_key_table,
    explicitHashKeyTable: decoded.explicit_hash_key_table,
    records,
  };
}

/** Convert a decoded uint64 index, compared as BigInt, or undefined when it is outside the table. */
function tableIndex(value: string, tableLength: number): number | undefined {
  const index = BigInt(value);
  return index < BigInt(tableLength) ? Number(index) : undefined;
}

function startsWithMagic(data: Uint8Array): boolean {
  return KPL_MAGIC.every((byte, index) => data[index] === byte);
}

/** Bytes of the protobuf varint that encodes `value`, a non-negative integer: 7 bits per byte. */
export function varintSizeBytes(value: number): number {
  let bytes = 1;
  for (let rest = Math.floor(value / 128); rest > 0; rest = Math.floor(rest / 128)) bytes++;
  return bytes;
}
