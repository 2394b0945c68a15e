// Real: column readers compiled from parsed schema columns, on literal texts; nothing is faked.
import { compileColumnReader } from './column-values';
import { parseCsvSchema, type CsvColumn } from './schema';

function columnOf(column: Record<string, unknown>): CsvColumn {
  const schema = parseCsvSchema({ columns: [{ name: 'value', ...column }] });
  return schema.columns[0] as CsvColumn;
}

describe('compileColumnReader', () => {
  it.each([
    { case: 'string kept as is', column: { type: 'string' }, text: '  Álvarez ', value: '  Álvarez ' },
    { case: 'empty string is null', column: { type: 'string' }, text: '', value: null },
    { case: 'declared null marker', column: { type: 'string', nullValues: ['NULL', 'N/A'] }, text: 'N/A', value: null },
    { case: 'empty with other null markers', column: { type: 'string', nullValues: ['NULL'] }, text: '', value: '' },
    { case: 'integer', column: { type: 'integer' }, text: '-0042', value: -42 },
    { case: 'integer with plus', column: { type: 'integer' }, text: '+7', value: 7 },
    { case: 'integer beyond 2^53', column: { type: 'integer' }, text: '9007199254740993', value: 9007199254740993n },
    { case: 'BIGINT maximum', column: { type: 'integer' }, text: '9223372036854775807', value: 9223372036854775807n },
    { case: 'double', column: { type: 'decimal' }, text: '-12.5e2', value: -1250 },
    { case: 'double without leading digit', column: { type: 'decimal' }, text: '.25', value: 0.25 },
    { case: 'exact decimal padded', column: { type: 'decimal', precision: 10, scale: 2 }, text: '1234.5', value: '1234.50' },
    { case: 'exact decimal trailing zeros', column: { type: 'decimal', precision: 5, scale: 2 }, text: '-001.2000', value: '-1.20' },
    { case: 'negative zero', column: { type: 'decimal', precision: 5, scale: 2 }, text: '-0.00', value: '0.00' },
    { case: 'scale 0', column: { type: 'decimal', precision: 3 }, text: '999', value: '999' },
    { case: 'default true', column: { type: 'boolean' }, text: 'Y', value: true },
    { case: 'default false', column: { type: 'boolean' }, text: 'FALSE', value: false },
    { case: 'declared true', column: { type: 'boolean', trueValues: ['Active'], falseValues: ['Termed'] }, text: 'active', value: true },
  ])('reads $case', ({ column, text, value }) => {
    const result = compileColumnReader(columnOf(column), false)(text);

    expect(result).toEqual({ ok: true, value });
  });

  it.each([
    { case: 'date', column: { type: 'date', format: 'MM/DD/YYYY' }, text: '12/31/1999', iso: '1999-12-31T00:00:00.000Z' },
    { case: 'timestamp', column: { type: 'timestamp' }, text: '2024-05-01T08:00:00-04:00', iso: '2024-05-01T12:00:00.000Z' },
  ])('reads a $case as a Date', ({ column, text, iso }) => {
    const result = compileColumnReader(columnOf(column), false)(text);

    expect(result).toEqual({ ok: true, value: new Date(iso) });
  });

  it.each([
    { case: 'integer with a point', column: { type: 'integer' }, text: '12.0', reason: 'is not an integer: expected digits with an optional sign' },
    { case: 'integer beyond BIGINT', column: { type: 'integer' }, text: '9223372036854775808', reason: 'is outside the BIGINT range (-2^63 to 2^63-1)' },
    { case: 'double with a comma', column: { type: 'decimal' }, text: '1,5', reason: 'is not a decimal number: expected digits with an optional sign, point and exponent' },
    { case: 'double overflow', column: { type: 'decimal' }, text: '1e400', reason: 'is outside the DOUBLE range' },
    { case: 'double NaN', column: { type: 'decimal' }, text: 'NaN', reason: 'is not a decimal number: expected digits with an optional sign, point and exponent' },
    { case: 'too many decimals', column: { type: 'decimal', precision: 10, scale: 2 }, text: '1.005', reason: 'has more than 2 digit(s) after the point, the scale of DECIMAL(10,2)' },
    { case: 'too many whole digits', column: { type: 'decimal', precision: 4, scale: 2 }, text: '123.4', reason: 'has more than 2 digit(s) before the point, which DECIMAL(4,2) allows' },
    { case: 'lone point', column: { type: 'decimal', precision: 4, scale: 2 }, text: '.', reason: 'is not a decimal number: expected digits with an optional sign and point, for DECIMAL(4,2)' },
    { case: 'unknown boolean', column: { type: 'boolean', trueValues: ['A'], falseValues: ['T'] }, text: 'X', reason: 'is not one of the true values (A) or false values (T)' },
    { case: 'bad date', column: { type: 'date' }, text: '2024-02-30', reason: 'is not a calendar date when read as YYYY-MM-DD' },
  ])('rejects $case', ({ column, text, reason }) => {
    const result = compileColumnReader(columnOf(column), false)(text);

    expect(result).toEqual({ ok: false, code: 'invalid-value', reason });
  });

  it.each([
    { case: 'empty', text: '' },
    { case: 'null marker', text: 'NULL' },
    { case: 'blank after trim', text: '   ' },
  ])('reports a missing required value: $case', ({ text }) => {
    const column = columnOf({ type: 'string', required: true, nullValues: ['', 'NULL'] });

    expect(compileColumnReader(column, true)(text)).toEqual({
      ok: false,
      code: 'missing-value',
      reason: 'is required but has no value (empty or one of nullValues)',
    });
  });

  it('trims before the type check only when trim is on', () => {
    const column = columnOf({ type: 'integer' });

    expect(compileColumnReader(column, true)(' 12 ')).toEqual({ ok: true, value: 12 });
    expect(compileColumnReader(column, false)(' 12 ').ok).toBe(false);
  });
});
