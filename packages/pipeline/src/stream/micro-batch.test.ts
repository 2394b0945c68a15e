// Real: StreamMicroBatch and its buffering hints; the staged records are built by the test.
import { bufferingHintsOf, StreamMicroBatch } from './micro-batch';
import type { StagedRecord } from './record-staging';

const MIB = 1024 * 1024;

function staged(
  shardId: string,
  sequenceNumber: string,
  sizeBytes: number,
  rowCount = 1,
): StagedRecord {
  return {
    shardId,
    position: { sequenceNumber, subSequenceNumber: 0 },
    recordId: `kinesis:s:${shardId}:${sequenceNumber}.0`,
    partitionKey: 'k',
    sizeBytes,
    rowsByTable: new Map(),
    rowCount,
    problems: [],
    attachments: [],
    warnings: 0,
    data: undefined,
  };
}

describe('StreamMicroBatch', () => {
  const hints = bufferingHintsOf({ bufferMiB: 1, bufferSeconds: 60 }, 100);

  it.each([
    { case: 'under both limits', sizes: [MIB / 2], rows: 10, full: false },
    { case: 'at bufferMiB', sizes: [MIB / 2, MIB / 2], rows: 1, full: true },
    { case: 'at the row cap', sizes: [10], rows: 100, full: true },
  ])('is full $case', ({ sizes, rows, full }) => {
    const batch = new StreamMicroBatch('s', 0, new Date(0));
    sizes.forEach((size, index) => batch.add(staged('shardId-0', String(index + 1), size, rows)));

    expect(batch.isFull(hints)).toBe(full);
  });

  it.each([
    { case: 'before bufferSeconds', ageMs: 59_999, due: false },
    { case: 'at bufferSeconds', ageMs: 60_000, due: true },
  ])('is due $case', ({ ageMs, due }) => {
    const batch = new StreamMicroBatch('s', 1_000, new Date(0));

    expect(batch.isDue(hints, 1_000 + ageMs)).toBe(due);
  });

  it('keeps one range per shard, in shard order', () => {
    const batch = new StreamMicroBatch('s', 0, new Date(0));
    batch.add(staged('shardId-2', '5', 1));
    batch.add(staged('shardId-1', '7', 1));
    batch.add(staged('shardId-2', '9', 1));
    batch.cover(
      'shardId-1',
      { sequenceNumber: '8', subSequenceNumber: 0 },
      { sequenceNumber: '12', subSequenceNumber: 0 },
    );

    expect(
      batch
        .shardRanges()
        .map((range) => [range.shardId, range.first.sequenceNumber, range.last.sequenceNumber]),
    ).toEqual([
      ['shardId-1', '7', '12'],
      ['shardId-2', '5', '9'],
    ]);
  });
});
