import type { _Record } from '@aws-sdk/client-kinesis';

import { deaggregate } from '../aggregation/deaggregate';
import { isReplayed, type StreamPosition } from '../checkpoint/stream-position';
import type { RecordDecryptor } from '../encryption/record-decryptor';
import { RecordDecryptionError, RecordEnvelopeError } from '../errors';
import type { StreamRecord, UnreadableStreamRecord } from './stream-batch';

export interface DecodedPage {
  records: StreamRecord[];
  unreadable: UnreadableStreamRecord[];
  /** User records at or before `skipThrough`, left out. */
  skipped: number;
  /** First and last positions kept, readable or not; undefined when none was kept. */
  first: StreamPosition | undefined;
  last: StreamPosition | undefined;
}

/**
 * Turn the Kinesis records of one GetRecords page into user records: split
 * aggregated records, leave out those at or before `skipThrough`, and decrypt
 * the rest when a decryptor is given. Records that do not decrypt are returned
 * apart, with the reason.
 */
export async function decodePage(
  kinesisRecords: readonly _Record[],
  shardId: string,
  skipThrough: StreamPosition | undefined,
  decryptor: RecordDecryptor | undefined,
): Promise<DecodedPage> {
  const page: DecodedPage = {
    records: [],
    unreadable: [],
    skipped: 0,
    first: undefined,
    last: undefined,
  };

  for (const kinesisRecord of kinesisRecords) {
    const sequenceNumber = kinesisRecord.SequenceNumber ?? '';
    const partitionKey = kinesisRecord.PartitionKey ?? '';
    const approximateArrivalTimestamp = kinesisRecord.ApproximateArrivalTimestamp ?? new Date(0);
    const userRecords = deaggregate({
      partitionKey,
      data: kinesisRecord.Data ?? new Uint8Array(0),
    });

    for (const userRecord of userRecords) {
      const position: StreamPosition = {
        sequenceNumber,
        subSequenceNumber: userRecord.subSequenceNumber,
      };
      if (isReplayed(position, skipThrough)) {
        page.skipped += 1;
        continue;
      }
      page.first ??= position;
      page.last = position;

      const base = {
        shardId,
        ...position,
        partitionKey: userRecord.partitionKey,
        approximateArrivalTimestamp,
      };
      try {
        const data = decryptor
          ? await decryptor.open(userRecord.data, userRecord.partitionKey)
          : userRecord.data;
        const record: StreamRecord = { ...base, data, aggregated: userRecord.aggregated };
        if (userRecord.explicitHashKey !== undefined)
          record.explicitHashKey = userRecord.explicitHashKey;
        page.records.push(record);
      } catch (error) {
        if (!(error instanceof RecordEnvelopeError || error instanceof RecordDecryptionError))
          throw error;
        page.unreadable.push({ ...base, data: userRecord.data, error });
      }
    }
  }
  return page;
}
