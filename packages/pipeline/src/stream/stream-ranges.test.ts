// Real: the range and record id formats; nothing is faked.
import {
  fileLabelOf,
  formatStreamRange,
  parseStreamRange,
  streamRecordId,
  type StreamRange,
} from './stream-ranges';

const SEQUENCE_A = '49590338271490256608559692538361571095921575989136588898';
const SEQUENCE_B = '49590338271490256608559692540925702759324208523137515618';

describe('stream ranges', () => {
  const range: StreamRange = {
    stream: 'hl7-adt',
    shardId: 'shardId-000000000001',
    first: { sequenceNumber: SEQUENCE_A, subSequenceNumber: 0 },
    last: { sequenceNumber: SEQUENCE_B, subSequenceNumber: 12 },
  };

  it('formats a range as a commit input', () => {
    expect(formatStreamRange(range)).toBe(
      `kinesis:hl7-adt:shardId-000000000001:${SEQUENCE_A}.0-${SEQUENCE_B}.12`,
    );
  });

  it('reads back what it formats', () => {
    expect(parseStreamRange(formatStreamRange(range))).toEqual(range);
  });

  it.each([
    { case: 'a file hash', input: 'a'.repeat(64) },
    { case: 'a record id', input: `kinesis:hl7-adt:shardId-000000000001:${SEQUENCE_A}.0` },
    {
      case: 'a sequence number with letters',
      input: `kinesis:hl7-adt:shardId-000000000001:12x.0-13.0`,
    },
  ])('reads $case as no range', ({ input }) => {
    expect(parseStreamRange(input)).toBeUndefined();
  });

  it('names a record by stream, shard and position', () => {
    expect(
      streamRecordId('hl7-adt', 'shardId-000000000001', {
        sequenceNumber: SEQUENCE_A,
        subSequenceNumber: 3,
      }),
    ).toBe(`kinesis:hl7-adt:shardId-000000000001:${SEQUENCE_A}.3`);
  });

  it('labels data files with the shard and range', () => {
    expect(fileLabelOf(range)).toBe(`shardId-000000000001_${SEQUENCE_A}.0-${SEQUENCE_B}.12`);
  });

  it('labels a range too long for a file name by its hash', () => {
    const long = { ...range, last: { sequenceNumber: '9'.repeat(129), subSequenceNumber: 0 } };

    expect(fileLabelOf(long)).toMatch(/^shardId-000000000001_[0-9a-f]{64}$/);
  });
});
