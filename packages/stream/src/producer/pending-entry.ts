import type { PutRecordsRequestEntry } from '@aws-sdk/client-kinesis';

import {
  RecordAggregator,
  type KinesisRecordData,
  type UserRecord,
} from '../aggregation/record-aggregator';
import type { PutResult } from './producer-types';

/** A user record in the producer, from `put` until the stream accepts or refuses it. */
export interface PendingRecord {
  index: number;
  id?: string;
  partitionKey: string;
  explicitHashKey?: string;
  /** Data as the caller gave it, kept for the dead-letter callback. */
  data: Uint8Array;
  /** Data as it goes to the stream: encrypted when the producer has an encryptor. */
  streamData: Uint8Array;
  /** Size counted against the maximum record size and the buffer limits. */
  sizeBytes: number;
  resolve(result: PutResult): void;
  reject(error: unknown): void;
}

/**
 * One Kinesis record waiting to be sent: a plain record, or an aggregated record
 * that collects user records of one partition key until it is full or sent.
 */
export class PendingEntry {
  readonly records: PendingRecord[];
  private readonly aggregator: RecordAggregator | undefined;

  private constructor(records: PendingRecord[], aggregator: RecordAggregator | undefined) {
    this.records = records;
    this.aggregator = aggregator;
  }

  /** An entry for one record that is never aggregated. */
  static plain(record: PendingRecord): PendingEntry {
    return new PendingEntry([record], undefined);
  }

  /**
   * An aggregating entry that starts with `record`, or a plain one when the
   * record alone does not fit into an aggregated record.
   */
  static aggregating(record: PendingRecord, maxRecordBytes: number): PendingEntry {
    const aggregator = new RecordAggregator(maxRecordBytes);
    if (!aggregator.tryAdd(toUserRecord(record))) return PendingEntry.plain(record);
    return new PendingEntry([record], aggregator);
  }

  /** Whether more records can join this entry. */
  get aggregating(): boolean {
    return this.aggregator !== undefined;
  }

  /**
   * Bytes Kinesis counts for this entry. For an aggregating entry, the size of the
   * aggregated record, which is also the ceiling when it is sent plain.
   */
  get sizeBytes(): number {
    if (this.aggregator) return this.aggregator.sizeBytes;
    const [record] = this.records as [PendingRecord];
    return record.sizeBytes;
  }

  /** Whether the entry is sent as a KPL aggregated record: it contains more than one user record. */
  get aggregated(): boolean {
    return this.records.length > 1;
  }

  /** Add a record of the same partition key, if the aggregated record stays within its size limit. */
  tryAppend(record: PendingRecord): boolean {
    if (!this.aggregator || !this.aggregator.tryAdd(toUserRecord(record))) return false;
    this.records.push(record);
    return true;
  }

  toRequestEntry(): PutRecordsRequestEntry {
    const source =
      this.aggregator && this.aggregated ? this.aggregator.build() : this.singleRecord();
    const entry: PutRecordsRequestEntry = { PartitionKey: source.partitionKey, Data: source.data };
    if (source.explicitHashKey !== undefined) entry.ExplicitHashKey = source.explicitHashKey;
    return entry;
  }

  private singleRecord(): KinesisRecordData {
    const [record] = this.records as [PendingRecord];
    return toUserRecord(record);
  }
}

function toUserRecord(record: PendingRecord): UserRecord {
  const userRecord: UserRecord = { partitionKey: record.partitionKey, data: record.streamData };
  if (record.explicitHashKey !== undefined) userRecord.explicitHashKey = record.explicitHashKey;
  return userRecord;
}
