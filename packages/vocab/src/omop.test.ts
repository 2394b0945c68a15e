// Real: OMOP vocabulary files in the layout Athena delivers (tab-delimited .csv, no quoting, a
// header row, YYYYMMDD dates). Faked: every concept is synthetic; no vocabulary content.
import { ENCODINGS, fileBytes, located, readAll } from './__fixtures__/input';
import { VocabFileError } from './errors';
import { readOmopConceptAncestors, readOmopConceptRelationships, readOmopConcepts } from './omop';

// prettier-ignore
const CONCEPT_HEADER = [
  'concept_id', 'concept_name', 'domain_id', 'vocabulary_id', 'concept_class_id', 'standard_concept',
  'concept_code', 'valid_start_date', 'valid_end_date', 'invalid_reason',
];

function tsv(rows: ReadonlyArray<readonly string[]>): string[] {
  return rows.map((row) => row.join('\t'));
}

const CONCEPT_ROWS = [
  [
    '2000000001',
    'Synthetic "test" condition 1, quoted',
    'Condition',
    'ICD10CM',
    '4-char billing code',
    '',
    'Z99.1',
    '20151001',
    '20991231',
    '',
  ],
  [
    '2000000002',
    'Synthetic test measurement 1',
    'Measurement',
    'LOINC',
    'Lab Test',
    'S',
    '900001-4',
    '19700101',
    '20991231',
    '',
  ],
  [
    '2000000003',
    'Synthetic test drug 1',
    'Drug',
    'RxNorm',
    'Clinical Drug',
    '',
    '9000009',
    '20150105',
    '20190106',
    'U',
  ],
];

describe('readOmopConcepts', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const { records, problems } = await readAll(
      readOmopConcepts,
      fileBytes(tsv([CONCEPT_HEADER, ...CONCEPT_ROWS]), encoding),
      { file: 'CONCEPT.csv' },
    );

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        concept_id: 2000000001,
        concept_name: 'Synthetic "test" condition 1, quoted',
        domain_id: 'Condition',
        vocabulary_id: 'ICD10CM',
        concept_class_id: '4-char billing code',
        standard_concept: null,
        concept_code: 'Z99.1',
        valid_start_date: '2015-10-01',
        valid_end_date: '2099-12-31',
        invalid_reason: null,
      },
      expect.objectContaining({
        concept_id: 2000000002,
        standard_concept: 'S',
        valid_start_date: '1970-01-01',
      }),
      expect.objectContaining({
        concept_id: 2000000003,
        valid_end_date: '2019-01-06',
        invalid_reason: 'U',
      }),
    ]);
  });

  it('finds reordered columns by name', async () => {
    const rows = [CONCEPT_HEADER, ...CONCEPT_ROWS].map((row) => [...row].reverse());
    const { records, problems } = await readAll(readOmopConcepts, fileBytes(tsv(rows)), {
      file: 'CONCEPT.csv',
    });
    expect(problems).toEqual([]);
    expect(records.map((record) => [record.concept_id, record.concept_code])).toEqual([
      [2000000001, 'Z99.1'],
      [2000000002, '900001-4'],
      [2000000003, '9000009'],
    ]);
  });

  it.each([
    {
      case: 'a dashed date',
      change: [7, '2015-10-01'],
      problem: { code: 'invalid-value', field: 'valid_start_date' },
    },
    {
      case: 'a letter in concept_id',
      change: [0, '20000000x1'],
      problem: { code: 'invalid-value', field: 'concept_id' },
    },
    {
      case: 'an unknown standard_concept',
      change: [5, 'X'],
      problem: { code: 'invalid-value', field: 'standard_concept' },
    },
    {
      case: 'an unknown invalid_reason',
      change: [9, 'R'],
      problem: { code: 'invalid-value', field: 'invalid_reason' },
    },
    {
      case: 'an empty concept_code',
      change: [6, ''],
      problem: { code: 'missing-value', field: 'concept_code' },
    },
  ] as const)('reports $case', async ({ change, problem }) => {
    const row = [...(CONCEPT_ROWS[0] as string[])];
    row[change[0]] = change[1];
    const { records, problems } = await readAll(
      readOmopConcepts,
      fileBytes(tsv([CONCEPT_HEADER, row, CONCEPT_ROWS[1] as string[]])),
      { file: 'CONCEPT.csv' },
    );
    expect(located(problems)).toEqual([{ ...problem, line: 2 }]);
    expect(records.map((record) => record.concept_id)).toEqual([2000000002]);
  });

  it('reports a row with a tab inside a name as a field-count problem', async () => {
    const row = [...(CONCEPT_ROWS[0] as string[])];
    row[1] = 'Synthetic\tname';
    const { problems } = await readAll(readOmopConcepts, fileBytes(tsv([CONCEPT_HEADER, row])), {
      file: 'CONCEPT.csv',
    });
    expect(located(problems)).toEqual([{ code: 'field-count', line: 2 }]);
  });

  it('rejects a comma-separated file, listing the columns it lacks', async () => {
    const lines = [CONCEPT_HEADER.join(','), (CONCEPT_ROWS[0] as string[]).join(',')];
    const error = await readAll(readOmopConcepts, fileBytes(lines), { file: 'CONCEPT.csv' }).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(VocabFileError);
    expect((error as VocabFileError).message).toBe(
      `OMOP CONCEPT header lacks the column(s) ${CONCEPT_HEADER.map((name) => `"${name}"`).join(', ')}; it has 1 column(s)`,
    );
    expect((error as VocabFileError).hint).toContain('separated by tabs');
  });
});

describe('readOmopConceptRelationships', () => {
  it('reads relationships', async () => {
    const lines = tsv([
      [
        'concept_id_1',
        'concept_id_2',
        'relationship_id',
        'valid_start_date',
        'valid_end_date',
        'invalid_reason',
      ],
      ['2000000003', '2000000004', 'Concept replaced by', '20190107', '20991231', ''],
    ]);
    const { records, problems } = await readAll(
      readOmopConceptRelationships,
      fileBytes(lines, ENCODINGS[1]),
      { file: 'CONCEPT_RELATIONSHIP.csv' },
    );
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        concept_id_1: 2000000003,
        concept_id_2: 2000000004,
        relationship_id: 'Concept replaced by',
        valid_start_date: '2019-01-07',
        valid_end_date: '2099-12-31',
        invalid_reason: null,
      },
    ]);
  });
});

describe('readOmopConceptAncestors', () => {
  it('reads ancestors', async () => {
    const lines = tsv([
      [
        'ancestor_concept_id',
        'descendant_concept_id',
        'min_levels_of_separation',
        'max_levels_of_separation',
      ],
      ['2000000001', '2000000005', '1', '2'],
      ['2000000001', '2000000006', '-1', '2'],
    ]);
    const { records, problems } = await readAll(readOmopConceptAncestors, fileBytes(lines), {
      file: 'CONCEPT_ANCESTOR.csv',
    });
    expect(records).toEqual([
      {
        ancestor_concept_id: 2000000001,
        descendant_concept_id: 2000000005,
        min_levels_of_separation: 1,
        max_levels_of_separation: 2,
      },
    ]);
    expect(located(problems)).toEqual([
      { code: 'invalid-value', line: 3, field: 'min_levels_of_separation' },
    ]);
  });
});
