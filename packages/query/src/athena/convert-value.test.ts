// converterFor and toQueryColumn on value texts as Athena prints them; pure functions, nothing faked.
import { column } from './__fixtures__/athena-responses';
import { baseTypeName, converterFor, toQueryColumn } from './convert-value';

describe('converterFor', () => {
  it.each([
    { case: 'boolean true', type: 'boolean', text: 'true', expected: true },
    { case: 'boolean false', type: 'boolean', text: 'false', expected: false },
    { case: 'tinyint', type: 'tinyint', text: '-128', expected: -128 },
    { case: 'smallint', type: 'smallint', text: '32767', expected: 32767 },
    { case: 'integer', type: 'integer', text: '2147483647', expected: 2147483647 },
    {
      case: 'bigint past 2^53',
      type: 'bigint',
      text: '-9007199254740993',
      expected: -9007199254740993n,
    },
    { case: 'double', type: 'double', text: '81.25', expected: 81.25 },
    { case: 'double exponent', type: 'double', text: '1.0E-5', expected: 0.00001 },
    { case: 'double NaN', type: 'double', text: 'NaN', expected: NaN },
    { case: 'double infinity', type: 'double', text: '-Infinity', expected: -Infinity },
    { case: 'float', type: 'float', text: '37.5', expected: 37.5 },
    { case: 'real', type: 'real', text: '0.5', expected: 0.5 },
    {
      case: 'decimal stays exact',
      type: 'decimal',
      text: '12345678901234567890.12',
      expected: '12345678901234567890.12',
    },
    {
      case: 'date',
      type: 'date',
      text: '2024-02-29',
      expected: new Date('2024-02-29T00:00:00.000Z'),
    },
    {
      case: 'date year 12',
      type: 'date',
      text: '0012-03-04',
      expected: new Date('0012-03-04T00:00:00.000Z'),
    },
    {
      case: 'timestamp',
      type: 'timestamp',
      text: '2026-03-02 08:15:04.250',
      expected: new Date('2026-03-02T08:15:04.250Z'),
    },
    {
      case: 'timestamp no fraction',
      type: 'timestamp',
      text: '2026-03-02 08:15:04',
      expected: new Date('2026-03-02T08:15:04.000Z'),
    },
    {
      case: 'timestamp micros',
      type: 'timestamp',
      text: '2026-03-02 08:15:04.123987',
      expected: new Date('2026-03-02T08:15:04.123Z'),
    },
    {
      case: 'timestamp one digit',
      type: 'timestamp',
      text: '2026-03-02 08:15:04.5',
      expected: new Date('2026-03-02T08:15:04.500Z'),
    },
    { case: 'varchar', type: 'varchar', text: 'ENC-000042', expected: 'ENC-000042' },
    { case: 'varchar empty', type: 'varchar', text: '', expected: '' },
    { case: 'char', type: 'char', text: 'EAST', expected: 'EAST' },
    { case: 'hive string', type: 'string', text: 'clinical', expected: 'clinical' },
    { case: 'json', type: 'json', text: '{"a":1}', expected: '{"a":1}' },
    { case: 'array of integers', type: 'array', text: '[1, 2, 3]', expected: [1, 2, 3] },
    {
      case: 'nested array',
      type: 'array',
      text: '[[1, null], [true]]',
      expected: [[1, null], [true]],
    },
    { case: 'empty array', type: 'array', text: '[]', expected: [] },
    { case: 'array of strings', type: 'array', text: '[I10, E11.9]', expected: '[I10, E11.9]' },
    {
      case: 'array past 2^53',
      type: 'array',
      text: '[9007199254740993]',
      expected: '[9007199254740993]',
    },
    { case: 'array of rows', type: 'array', text: '[{code=I10}]', expected: '[{code=I10}]' },
    { case: 'map', type: 'map', text: '{I10=2}', expected: '{I10=2}' },
    { case: 'row', type: 'row', text: '{npi=1234567893}', expected: '{npi=1234567893}' },
    { case: 'time', type: 'time', text: '08:15:04.250', expected: '08:15:04.250' },
    {
      case: 'timestamp with time zone',
      type: 'timestamp with time zone',
      text: '2026-03-02 08:15:04.250 UTC',
      expected: '2026-03-02 08:15:04.250 UTC',
    },
    { case: 'varbinary', type: 'varbinary', text: '68 65 6c', expected: '68 65 6c' },
  ])('converts $case', ({ type, text, expected }) => {
    expect(converterFor(type)(text)).toEqual(expected);
  });

  it.each([
    { case: 'boolean word', type: 'boolean', text: 'yes' },
    { case: 'integer with fraction', type: 'integer', text: '4.5' },
    { case: 'integer empty', type: 'integer', text: '' },
    { case: 'bigint hex', type: 'bigint', text: '0x1f' },
    { case: 'double empty', type: 'double', text: '' },
    { case: 'double hex', type: 'double', text: '0x10' },
    { case: 'double padded', type: 'double', text: ' 1.5' },
    { case: 'decimal exponent', type: 'decimal', text: '1E3' },
    { case: 'date February 30', type: 'date', text: '2026-02-30' },
    { case: 'date month 13', type: 'date', text: '2026-13-01' },
    { case: 'date with time', type: 'date', text: '2026-02-28 00:00:00' },
    { case: 'timestamp hour 24', type: 'timestamp', text: '2026-02-28 24:00:00' },
    { case: 'timestamp without time', type: 'timestamp', text: '2026-02-28' },
  ])('rejects $case', ({ type, text }) => {
    expect(converterFor(type)(text)).toBeUndefined();
  });
});

describe('baseTypeName', () => {
  it.each([
    { case: 'plain', type: 'varchar', expected: 'varchar' },
    { case: 'parameters', type: 'decimal(10,2)', expected: 'decimal' },
    { case: 'upper case', type: 'BIGINT', expected: 'bigint' },
    {
      case: 'parameter mid-name',
      type: 'timestamp(3) with time zone',
      expected: 'timestamp with time zone',
    },
    {
      case: 'nested parameters',
      type: 'array(row(code varchar, rank integer))',
      expected: 'array',
    },
  ])('reads $case', ({ type, expected }) => {
    expect(baseTypeName(type)).toBe(expected);
  });
});

describe('toQueryColumn', () => {
  it.each([
    {
      case: 'varchar',
      info: column('encounter_id', 'varchar', 2147483647),
      expected: { name: 'encounter_id', type: 'varchar' },
    },
    {
      case: 'decimal',
      info: column('charge_usd', 'decimal', 38, 4),
      expected: { name: 'charge_usd', type: 'decimal(38,4)' },
    },
    {
      case: 'timestamp',
      info: column('admitted_at', 'timestamp', 3),
      expected: { name: 'admitted_at', type: 'timestamp' },
    },
  ])('names $case', ({ info, expected }) => {
    expect(toQueryColumn(info)).toEqual(expected);
  });
});
