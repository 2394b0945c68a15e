// Real: position comparison and replay filtering. Faked: nothing; sequence numbers are chosen where Number and string comparison give wrong results.
import { StreamError } from '../errors';
import {
  compareStreamPositions,
  dropReplayed,
  isReplayed,
  parseSequenceNumber,
  type StreamPosition,
} from './stream-position';

// 2^53 + 1 and 2^53 are one apart, but Number() maps both to 2^53.
const ABOVE_2_POW_53 = '9007199254740993';
const AT_2_POW_53 = '9007199254740992';
// Shaped like kinesalite's and AWS's 56-digit sequence numbers.
const LONG_LOW = '49680844855591601856626666974193844675458577386675634178';
const LONG_HIGH = '49680844855591601856626666974193844675458577386675634179';

function at(sequenceNumber: string, subSequenceNumber = 0): StreamPosition {
  return { sequenceNumber, subSequenceNumber };
}

describe('stream positions', () => {
  it.each([
    { case: 'one apart above 2^53', a: at(ABOVE_2_POW_53), b: at(AT_2_POW_53), expected: 1 },
    { case: 'one apart at 56 digits', a: at(LONG_LOW), b: at(LONG_HIGH), expected: -1 },
    { case: 'shorter but larger as text', a: at('9'), b: at('10'), expected: -1 },
    {
      case: 'equal sequence, later sub-sequence',
      a: at(LONG_LOW, 3),
      b: at(LONG_LOW, 2),
      expected: 1,
    },
    { case: 'equal positions', a: at(LONG_HIGH, 7), b: at(LONG_HIGH, 7), expected: 0 },
    {
      case: 'sub-sequence does not outweigh sequence',
      a: at(LONG_LOW, 900),
      b: at(LONG_HIGH, 0),
      expected: -1,
    },
  ])('compares $case', ({ a, b, expected }) => {
    expect(compareStreamPositions(a, b)).toBe(expected);
    expect(compareStreamPositions(b, a)).toBe(expected === 0 ? 0 : -expected);
  });

  it('tells apart numbers that Number() merges', () => {
    expect(Number(ABOVE_2_POW_53)).toBe(Number(AT_2_POW_53));
    expect(parseSequenceNumber(ABOVE_2_POW_53) - parseSequenceNumber(AT_2_POW_53)).toBe(1n);
  });

  it.each([
    { case: 'empty', value: '' },
    { case: 'leading zero', value: '0123' },
    { case: 'negative', value: '-5' },
    { case: 'decimal point', value: '1.5' },
    { case: 'more than 129 digits', value: '1'.repeat(130) },
  ])('rejects a sequence number that is $case', ({ value }) => {
    expect(() => parseSequenceNumber(value)).toThrow(StreamError);
  });

  it.each([
    { case: 'before the checkpoint', record: at(AT_2_POW_53), replayed: true },
    { case: 'at the checkpoint', record: at(ABOVE_2_POW_53, 2), replayed: true },
    { case: 'a later sub-sequence', record: at(ABOVE_2_POW_53, 3), replayed: false },
    { case: 'a later sequence', record: at('9007199254740994'), replayed: false },
  ])('isReplayed is $replayed for a record $case', ({ record, replayed }) => {
    expect(isReplayed(record, at(ABOVE_2_POW_53, 2))).toBe(replayed);
  });

  it('treats every record as new without a checkpoint', () => {
    expect(isReplayed(at('1'), undefined)).toBe(false);
  });

  it('drops replayed records per shard', () => {
    const records = [
      { shardId: 'shardId-000000000000', ...at(LONG_LOW) },
      { shardId: 'shardId-000000000000', ...at(LONG_HIGH) },
      { shardId: 'shardId-000000000001', ...at(LONG_LOW) },
      { shardId: 'shardId-000000000002', ...at('5') },
    ];
    const checkpoints = new Map([
      ['shardId-000000000000', at(LONG_LOW)],
      ['shardId-000000000001', at(LONG_HIGH)],
    ]);

    const kept = dropReplayed(records, checkpoints);

    expect(kept.map((record) => `${record.shardId}/${record.sequenceNumber}`)).toEqual([
      `shardId-000000000000/${LONG_HIGH}`,
      'shardId-000000000002/5',
    ]);
  });
});
