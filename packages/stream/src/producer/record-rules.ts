import { InvalidStreamRecordError } from '../errors';
import { EXPLICIT_HASH_KEY_PATTERN, MAX_PARTITION_KEY_LENGTH } from '../kinesis-limits';

/** Index and id of the record a rule check concerns, for the error message. */
export interface RecordRef {
  /** 0-based index of the `put` call. */
  index: number;
  id?: string;
}

/**
 * Check a partition key: 1 to 256 characters.
 *
 * NOTE: characters are counted as UTF-16 code units (`string.length`), which is
 * never fewer than Unicode code points. AWS's own count is not documented, so a
 * key that passes here passes there too, but a key of many astral characters
 * may be rejected here although AWS would take it.
 */
export function checkPartitionKey(
  partitionKey: unknown,
  record: RecordRef,
): asserts partitionKey is string {
  if (
    typeof partitionKey !== 'string' ||
    partitionKey.length < 1 ||
    partitionKey.length > MAX_PARTITION_KEY_LENGTH
  ) {
    const found =
      typeof partitionKey === 'string'
        ? `${partitionKey.length} characters`
        : `a ${typeof partitionKey}`;
    throw new InvalidStreamRecordError(
      `${describeRecord(record)} has an invalid partition key: expected 1 to ${MAX_PARTITION_KEY_LENGTH} characters, found ${found}`,
      {
        rule: 'partition-key',
        recordIndex: record.index,
        ...idOption(record),
        hint: 'Use a short id (a facility, or a hash of a patient id) as partition key, never a field value.',
      },
    );
  }
}

/** Check an explicit hash key: a decimal integer from 0 to 2^128 - 1. */
export function checkExplicitHashKey(explicitHashKey: string | undefined, record: RecordRef): void {
  if (explicitHashKey === undefined) return;
  if (!EXPLICIT_HASH_KEY_PATTERN.test(explicitHashKey) || BigInt(explicitHashKey) >= 2n ** 128n) {
    throw new InvalidStreamRecordError(
      `${describeRecord(record)} has an invalid explicit hash key: expected a decimal integer from 0 to 2^128 - 1`,
      { rule: 'explicit-hash-key', recordIndex: record.index, ...idOption(record) },
    );
  }
}

/** Size Kinesis counts against the maximum record size: the data blob plus the UTF-8 partition key. */
export function recordSizeBytes(partitionKey: string, dataBytes: number): number {
  return Buffer.byteLength(partitionKey, 'utf8') + dataBytes;
}

/**
 * Check a record's size against the stream's maximum record size. `stage` names
 * what the size includes, such as the encryption envelope.
 */
export function checkRecordSize(
  sizeBytes: number,
  limitBytes: number,
  record: RecordRef,
  stage: string,
): void {
  if (sizeBytes <= limitBytes) return;
  throw new InvalidStreamRecordError(
    `${describeRecord(record)} is ${sizeBytes} bytes ${stage}, over the maximum record size of ${limitBytes} bytes`,
    {
      rule: 'record-size',
      recordIndex: record.index,
      ...idOption(record),
      sizeBytes,
      limitBytes,
      hint: 'Split the record, or raise maxRecordBytes if the stream was created with a larger maximum record size.',
    },
  );
}

function describeRecord(record: RecordRef): string {
  return record.id === undefined
    ? `record ${record.index}`
    : `record ${record.index} (id ${JSON.stringify(record.id)})`;
}

function idOption(record: RecordRef): { recordId?: string } {
  return record.id === undefined ? {} : { recordId: record.id };
}
