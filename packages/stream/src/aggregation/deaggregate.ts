import { decodeAggregatedRecord } from './kpl-format';
import type { KinesisRecordData } from './record-aggregator';

/** A user record taken out of a Kinesis record. */
export interface DeaggregatedRecord {
  partitionKey: string;
  explicitHashKey?: string;
  data: Uint8Array;
  /** 0-based position in the aggregated record; 0 for a plain record. */
  subSequenceNumber: number;
  /** Whether the Kinesis record was a KPL aggregated record. */
  aggregated: boolean;
}

/**
 * Split a Kinesis record into its user records. A record without the KPL magic
 * number, with a digest that does not match, or that does not parse comes back
 * whole as one plain record, as the KCL reads it.
 */
export function deaggregate(record: KinesisRecordData): DeaggregatedRecord[] {
  const content = decodeAggregatedRecord(record.data);
  if (!content) {
    const plain: DeaggregatedRecord = {
      partitionKey: record.partitionKey,
      data: record.data,
      subSequenceNumber: 0,
      aggregated: false,
    };
    if (record.explicitHashKey !== undefined) plain.explicitHashKey = record.explicitHashKey;
    return [plain];
  }

  return content.records.map((userRecord, index) => {
    const result: DeaggregatedRecord = {
      // decodeAggregatedRecord checked every index against its table.
      partitionKey: content.partitionKeyTable[userRecord.partitionKeyIndex] as string,
      data: userRecord.data,
      subSequenceNumber: index,
      aggregated: true,
    };
    if (userRecord.explicitHashKeyIndex !== undefined) {
      result.explicitHashKey = content.explicitHashKeyTable[
        userRecord.explicitHashKeyIndex
      ] as string;
    }
    return result;
  });
}
