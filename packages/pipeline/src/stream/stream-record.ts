import type { StreamPosition } from '@carelake/stream';

/**
 * One user record read from a stream: decrypted, out of its aggregated record, and named by its
 * shard and position. The consumer's `StreamRecord` is one; the Lambda handler builds them from
 * the event.
 */
export interface StreamRecordInput extends StreamPosition {
  shardId: string;
  partitionKey: string;
  /** When Kinesis received the record. */
  approximateArrivalTimestamp: Date;
  data: Uint8Array;
}

/** Record formats a stream pipeline decodes. */
export type StreamRecordFormat = 'hl7v2' | 'fhir' | 'raw';

const UTF8_BOM = [0xef, 0xbb, 0xbf];
const HL7_STARTS = ['MSH', 'FHS', 'BHS'];

/**
 * Tell a record's format from its first bytes, for `decode.format: auto`: HL7 v2 starts with
 * MSH (or a batch header, FHS or BHS), FHIR JSON with `{`. A UTF-8 byte-order mark and leading
 * white space are skipped. Returns undefined for anything else.
 */
export function formatOfRecord(data: Uint8Array): 'hl7v2' | 'fhir' | undefined {
  let start = UTF8_BOM.every((byte, index) => data[index] === byte) ? UTF8_BOM.length : 0;
  while (start < data.length && isWhiteSpace(data[start] as number)) start++;
  if (data[start] === 0x7b) return 'fhir';
  const head = Buffer.from(data.subarray(start, start + 3)).toString('latin1');
  return HL7_STARTS.includes(head) ? 'hl7v2' : undefined;
}

function isWhiteSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;
}
