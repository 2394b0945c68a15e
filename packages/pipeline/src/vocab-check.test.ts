// Real: checkCodes over rows shaped like clinical.observations, against a code index built from
// code records. Faked: the dataset is a small one written here, and the codes are synthetic.
import { datasetSchema, type Row } from '@carelake/core';
import { buildCodeIndex } from '@carelake/vocab';
import { checkCodes, CODE_FLAGS_COLUMN } from './vocab-check';
import { VocabCheckError } from './vocab-errors';

const COLUMNS = {
  observation_key: { type: 'string', nullable: false },
  code: { type: 'string', vocabulary: 'loinc' },
  code_system: { type: 'string' },
  interpretation: { type: 'string', vocabulary: 'administrative-gender' },
  effective_time: { type: 'timestamp' },
} as const;

const observations = datasetSchema.parse({
  table: 'clinical.observations',
  description: 'Synthetic observations for the code check.',
  classification: 'limited',
  columns: COLUMNS,
});
const flaggedObservations = datasetSchema.parse({
  ...observations,
  columns: { ...COLUMNS, [CODE_FLAGS_COLUMN]: { type: 'string' } },
});

// 900001-4 valid throughout; 900002-2 retired on 2024-01-01; 900003-0 new on 2025-01-01.
const index = buildCodeIndex([
  { system: 'loinc', code: '900001-4', display: 'Synthetic 1', status: 'active' },
  { system: 'loinc', code: '900002-2', display: 'Synthetic 2', status: 'retired', validTo: '2024-01-01' },
  { system: 'loinc', code: '900003-0', display: 'Synthetic 3', status: 'active', validFrom: '2025-01-01' },
]);

function row(key: string, code: string | null, system: string | null, time: string | null): Row {
  return {
    observation_key: key,
    code,
    code_system: system,
    interpretation: null,
    effective_time: time === null ? null : new Date(time),
  };
}

describe('checkCodes', () => {
  it.each([
    { case: 'valid code', code: '900001-4', system: 'LN', time: '2023-06-01T10:00:00Z', outcome: 'known' },
    { case: 'code before its retirement', code: '900002-2', system: 'http://loinc.org', time: '2023-12-31T23:00:00Z', outcome: 'known' },
    { case: 'code after its retirement', code: '900002-2', system: 'LN', time: '2024-01-01T00:00:00Z', outcome: 'retired' },
    { case: 'code before its release', code: '900003-0', system: 'LN', time: '2024-06-01T00:00:00Z', outcome: 'unknown' },
    { case: 'code missing from the release', code: '900009-7', system: 'LN', time: '2024-06-01T00:00:00Z', outcome: 'unknown' },
    { case: 'local code without a system', code: 'JHDL', system: null, time: '2024-06-01T00:00:00Z', outcome: 'unknown' },
    { case: 'code of another system', code: '301.0500', system: '00065227', time: '2024-06-01T00:00:00Z', outcome: 'other_system' },
    { case: 'empty code', code: ' ', system: 'LN', time: '2024-06-01T00:00:00Z', outcome: 'empty' },
    { case: 'undated new code', code: '900003-0', system: 'LN', time: null, outcome: 'known' },
    { case: 'undated retired code', code: '900002-2', system: 'LN', time: null, outcome: 'retired' },
  ])('counts a $case', ({ code, system, time, outcome }) => {
    const result = checkCodes(observations, [row('o1', code, system, time)], index, { dateColumn: 'effective_time' });

    expect(result.counts.filter((count) => count.column === 'code')).toEqual([
      { table: 'clinical.observations', column: 'code', vocabulary: 'loinc', outcome, rows: 1 },
    ]);
  });

  const rows = [
    row('o1', '900001-4', 'LN', '2024-06-01T00:00:00Z'),
    row('o2', '900002-2', 'LN', '2024-06-01T00:00:00Z'),
    row('o3', '900009-7', 'LN', '2024-06-01T00:00:00Z'),
    row('o4', '301.0500', '00065227', '2024-06-01T00:00:00Z'),
  ];

  it('counts each column and outcome', () => {
    const result = checkCodes(observations, rows, index, { dateColumn: 'effective_time' });

    expect(result.flaggedRows).toBe(2);
    expect(result.counts.map(({ column, outcome, rows: count }) => `${column} ${outcome} ${count}`)).toEqual([
      'code known 1',
      'code unknown 1',
      'code retired 1',
      'code other_system 1',
      'interpretation empty 4',
    ]);
  });

  it('writes flags when the dataset declares the column', () => {
    const result = checkCodes(flaggedObservations, rows, index, { dateColumn: 'effective_time' });

    expect(result.rows.map((written) => written[CODE_FLAGS_COLUMN])).toEqual([null, 'retired:code', 'unknown:code', null]);
    expect(rows[1]).not.toHaveProperty(CODE_FLAGS_COLUMN);
  });

  it('keeps rows unchanged without the flag column', () => {
    const result = checkCodes(observations, rows, index, { dateColumn: 'effective_time' });

    expect(result.rows).toEqual(rows);
    expect(result.quarantined).toEqual([]);
  });

  it('takes flagged rows out for quarantine', () => {
    const result = checkCodes(observations, rows, index, { dateColumn: 'effective_time', mode: 'quarantine' });

    expect(result.rows.map((kept) => kept['observation_key'])).toEqual(['o1', 'o4']);
    expect(result.quarantined.map(({ index: at, flags }) => ({ at, flags }))).toEqual([
      { at: 1, flags: [{ column: 'code', vocabulary: 'loinc', status: 'retired' }] },
      { at: 2, flags: [{ column: 'code', vocabulary: 'loinc', status: 'unknown' }] },
    ]);
  });

  it('leaves a system without codes unchecked', () => {
    const withInterpretation = { ...rows[0], interpretation: 'F' } as Row;

    const result = checkCodes(observations, [withInterpretation], index, { dateColumn: 'effective_time' });

    expect(result.counts.find((count) => count.column === 'interpretation')?.outcome).toBe('unchecked');
  });

  it('rejects a date column the dataset lacks', () => {
    expect(() => checkCodes(observations, rows, index, { dateColumn: 'observed_on' })).toThrow(VocabCheckError);
  });
});
