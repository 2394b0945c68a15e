import { DEFAULT_MAX_RECORD_BYTES } from '../kinesis-limits';
import {
  encodeAggregatedRecord,
  KPL_FRAME_BYTES,
  varintSizeBytes,
  type AggregatedUserRecord,
} from './kpl-format';

/** A record as the caller puts it, before aggregation. */
export interface UserRecord {
  partitionKey: string;
  /** Decimal 128-bit hash key that overrides the partition key's MD5 when choosing a shard. */
  explicitHashKey?: string;
  data: Uint8Array;
}

/** One Kinesis record, ready for a PutRecords entry. */
export interface KinesisRecordData {
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
}

/** Protobuf key byte of a length-delimited field numbered 1 to 15. */
const FIELD_KEY_BYTES = 1;

/**
 * Packs user records into one KPL aggregated Kinesis record, up to a maximum
 * record size that counts the data and the record's partition key, as Kinesis
 * does. The aggregated record takes the partition key and explicit hash key of
 * its first user record, so it lands on that record's shard.
 *
 * NOTE: the KPL also packs records of different partition keys that it predicts
 * land on the same shard, using the stream's shard map. This class packs whatever
 * it is given. `StreamProducer` gives it one partition key per aggregate, so each
 * key stays on its own shard without a shard map.
 */
export class RecordAggregator {
  private readonly maxRecordBytes: number;
  private readonly partitionKeyIndexes = new Map<string, number>();
  private readonly explicitHashKeyIndexes = new Map<string, number>();
  private readonly records: AggregatedUserRecord[] = [];
  private firstRecord: UserRecord | undefined;
  private protobufBytes = 0;

  constructor(maxRecordBytes: number = DEFAULT_MAX_RECORD_BYTES) {
    this.maxRecordBytes = maxRecordBytes;
  }

  /** User records added so far. */
  get count(): number {
    return this.records.length;
  }

  /** Size of the Kinesis record that `build` returns: its data plus its UTF-8 partition key. */
  get sizeBytes(): number {
    if (!this.firstRecord) return 0;
    return (
      Buffer.byteLength(this.firstRecord.partitionKey, 'utf8') +
      KPL_FRAME_BYTES +
      this.protobufBytes
    );
  }

  /**
   * Add a user record if the aggregated record stays within the maximum record
   * size. Returns false, and changes nothing, when it would not.
   */
  tryAdd(record: UserRecord): boolean {
    const newPartitionKey = !this.partitionKeyIndexes.has(record.partitionKey);
    const newHashKey =
      record.explicitHashKey !== undefined &&
      !this.explicitHashKeyIndexes.has(record.explicitHashKey);
    const partitionKeyIndex =
      this.partitionKeyIndexes.get(record.partitionKey) ?? this.partitionKeyIndexes.size;
    const explicitHashKeyIndex =
      record.explicitHashKey === undefined
        ? undefined
        : (this.explicitHashKeyIndexes.get(record.explicitHashKey) ??
          this.explicitHashKeyIndexes.size);

    let addedBytes = recordFieldBytes(partitionKeyIndex, explicitHashKeyIndex, record.data.length);
    if (newPartitionKey) addedBytes += stringFieldBytes(record.partitionKey);
    if (newHashKey && record.explicitHashKey !== undefined)
      addedBytes += stringFieldBytes(record.explicitHashKey);

    const recordPartitionKey = (this.firstRecord ?? record).partitionKey;
    const sizeAfter =
      Buffer.byteLength(recordPartitionKey, 'utf8') +
      KPL_FRAME_BYTES +
      this.protobufBytes +
      addedBytes;
    if (sizeAfter > this.maxRecordBytes) return false;

    this.firstRecord ??= record;
    if (newPartitionKey) this.partitionKeyIndexes.set(record.partitionKey, partitionKeyIndex);
    if (newHashKey && record.explicitHashKey !== undefined) {
      this.explicitHashKeyIndexes.set(record.explicitHashKey, explicitHashKeyIndex ?? 0);
    }
    const userRecord: AggregatedUserRecord = { partitionKeyIndex, data: record.data };
    if (explicitHashKeyIndex !== undefined) userRecord.explicitHashKeyIndex = explicitHashKeyIndex;
    this.records.push(userRecord);
    this.protobufBytes += addedBytes;
    return true;
  }

  /** Encode the aggregated record. Sub-sequence numbers are the user records' 0-based order of addition. */
  build(): KinesisRecordData {
    if (!this.firstRecord)
      throw new RangeError('RecordAggregator.build needs at least one user record');
    const record: KinesisRecordData = {
      partitionKey: this.firstRecord.partitionKey,
      data: encodeAggregatedRecord({
        partitionKeyTable: [...this.partitionKeyIndexes.keys()],
        explicitHashKeyTable: [...this.explicitHashKeyIndexes.keys()],
        records: this.records,
      }),
    };
    if (this.firstRecord.explicitHashKey !== undefined)
      record.explicitHashKey = this.firstRecord.explicitHashKey;
    return record;
  }
}

/** Bytes of a `repeated string` table entry. */
function stringFieldBytes(value: string): number {
  const length = Buffer.byteLength(value, 'utf8');
  return FIELD_KEY_BYTES + varintSizeBytes(length) + length;
}

/** Bytes of one `records` entry: its key, its length and the nested `Record` message. */
function recordFieldBytes(
  partitionKeyIndex: number,
  explicitHashKeyIndex: number | undefined,
  dataBytes: number,
): number {
  let messageBytes = FIELD_KEY_BYTES + varintSizeBytes(partitionKeyIndex);
  if (explicitHashKeyIndex !== undefined)
    messageBytes += FIELD_KEY_BYTES + varintSizeBytes(explicitHashKeyIndex);
  messageBytes += FIELD_KEY_BYTES + varintSizeBytes(dataBytes) + dataBytes;
  return FIELD_KEY_BYTES + varintSizeBytes(messageBytes) + messageBytes;
}
