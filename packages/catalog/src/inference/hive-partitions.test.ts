// Pure parsing of Hive partition folder names and partition key types: no files, nothing faked.
import {
  HIVE_DEFAULT_PARTITION,
  inferPartitionKeyType,
  parsePartitionFolder,
  partitionFolderPath,
} from './hive-partitions';

describe('parsePartitionFolder', () => {
  it.each([
    {
      case: 'plain value',
      folder: 'admit_month=2024-01',
      expected: { key: 'admit_month', value: '2024-01' },
    },
    {
      case: 'default partition',
      folder: `facility=${HIVE_DEFAULT_PARTITION}`,
      expected: { key: 'facility', value: null },
    },
    {
      case: 'escaped value',
      folder: 'source_system=ADT%2FEAST%3A1',
      expected: { key: 'source_system', value: 'ADT/EAST:1' },
    },
    {
      case: 'invalid escape kept',
      folder: 'code=50%ZZ',
      expected: { key: 'code', value: '50%ZZ' },
    },
    { case: 'equals sign in value', folder: 'note=a=b', expected: { key: 'note', value: 'a=b' } },
    { case: 'empty value', folder: 'facility=', expected: { key: 'facility', value: '' } },
    { case: 'no equals sign', folder: 'archive', expected: undefined },
    { case: 'empty key', folder: '=2024', expected: undefined },
  ])('parses $case', ({ folder, expected }) => {
    expect(parsePartitionFolder(folder)).toEqual(expected);
  });
});

describe('partitionFolderPath', () => {
  it('escapes values as Hive does', () => {
    const path = partitionFolderPath([
      { key: 'source_system', value: 'ADT/EAST:1' },
      { key: 'facility', value: null },
    ]);

    expect(path).toBe(`source_system=ADT%2FEAST%3A1/facility=${HIVE_DEFAULT_PARTITION}`);
  });

  it('round-trips through parsePartitionFolder', () => {
    const values = [{ key: 'ward', value: 'A#3 [north]=?' }];

    expect(parsePartitionFolder(partitionFolderPath(values))).toEqual(values[0]);
  });
});

describe('inferPartitionKeyType', () => {
  it.each([
    { case: 'integers', values: ['2023', '2024', '-1', '0'], expected: 'bigint' },
    { case: 'integers and null', values: ['7', null], expected: 'bigint' },
    {
      case: 'largest bigint',
      values: ['9223372036854775807', '-9223372036854775808'],
      expected: 'bigint',
    },
    { case: 'past bigint range', values: ['9223372036854775808'], expected: 'string' },
    { case: 'leading zero', values: ['007', '12'], expected: 'string' },
    { case: 'plus sign', values: ['+5'], expected: 'string' },
    { case: 'dates', values: ['2024-01-31', '2024-02-29', null], expected: 'date' },
    { case: 'invalid calendar date', values: ['2023-02-29'], expected: 'string' },
    { case: 'months', values: ['2024-01', '2024-02'], expected: 'string' },
    { case: 'dates and integers', values: ['2024-01-31', '2024'], expected: 'string' },
    { case: 'only null', values: [null, null], expected: 'string' },
    { case: 'no values', values: [], expected: 'string' },
    { case: 'empty string', values: [''], expected: 'string' },
  ])('infers $expected for $case', ({ values, expected }) => {
    expect(inferPartitionKeyType(values)).toBe(expected);
  });
});
