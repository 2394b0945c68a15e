// Real: RF2 Snapshot files in SNOMED CT's tab-delimited layout, and RF2 file names. Faked: every
// component is synthetic, with SCTIDs built from made-up item ids and computed check digits.
// The only real ids are the metadata concepts that RF2 columns point to.
import fc from 'fast-check';
import { ENCODINGS, fileBytes, located, readAll, syntheticSctid } from './__fixtures__/input';
import { VocabFileError } from './errors';
import { checkSctid } from './sctid';
import {
  readSnomedConcepts,
  readSnomedDescriptions,
  readSnomedRelationships,
  SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID,
} from './snomed';

const CORE_MODULE = '900000000000207008';
const PRIMITIVE = '900000000000074008';
const IS_A = '116680003';
const INFERRED = '900000000000011006';
const EXISTENTIAL = '900000000000451002';
const CASE_INSENSITIVE = '900000000000448009';

const CONCEPT_FILE = 'sct2_Concept_Snapshot_US1000124_20250301.txt';
const DESCRIPTION_FILE = 'sct2_Description_Snapshot-en_US1000124_20250301.txt';
const RELATIONSHIP_FILE = 'sct2_Relationship_Snapshot_US1000124_20250301.txt';

const CONCEPT_1 = syntheticSctid(99001, 'concept');
const CONCEPT_2 = syntheticSctid(99002, 'concept');
/** Beyond 2^53, as SCTIDs in extension namespaces are. */
const LARGE_CONCEPT = syntheticSctid(999_000_123_456_789n, 'concept');

function tsv(rows: ReadonlyArray<readonly string[]>): string[] {
  return rows.map((row) => row.join('\t'));
}

const CONCEPT_HEADER = ['id', 'effectiveTime', 'active', 'moduleId', 'definitionStatusId'];
const CONCEPT_ROWS = [
  [CONCEPT_1, '20020131', '1', CORE_MODULE, PRIMITIVE],
  [CONCEPT_2, '20240901', '0', CORE_MODULE, PRIMITIVE],
  [LARGE_CONCEPT, '20250301', '1', CORE_MODULE, PRIMITIVE],
];

describe('readSnomedConcepts', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const { records, problems } = await readAll(
      readSnomedConcepts,
      fileBytes(tsv([CONCEPT_HEADER, ...CONCEPT_ROWS]), encoding),
      { file: CONCEPT_FILE },
    );

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        id: CONCEPT_1,
        effectiveTime: '2002-01-31',
        active: true,
        moduleId: CORE_MODULE,
        definitionStatusId: PRIMITIVE,
      },
      {
        id: CONCEPT_2,
        effectiveTime: '2024-09-01',
        active: false,
        moduleId: CORE_MODULE,
        definitionStatusId: PRIMITIVE,
      },
      {
        id: LARGE_CONCEPT,
        effectiveTime: '2025-03-01',
        active: true,
        moduleId: CORE_MODULE,
        definitionStatusId: PRIMITIVE,
      },
    ]);
    expect(BigInt(LARGE_CONCEPT) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
  });

  it('finds reordered columns by name', async () => {
    const order = [4, 2, 0, 3, 1];
    const rows = [CONCEPT_HEADER, ...CONCEPT_ROWS].map((row) =>
      order.map((index) => row[index] as string),
    );
    const { records } = await readAll(readSnomedConcepts, fileBytes(tsv(rows)), {
      file: CONCEPT_FILE,
    });
    expect(records.map((record) => [record.id, record.active])).toEqual([
      [CONCEPT_1, true],
      [CONCEPT_2, false],
      [LARGE_CONCEPT, true],
    ]);
  });

  it.each([
    {
      case: 'Full',
      file: 'sct2_Concept_Full_US1000124_20250301.txt',
      suggestion: 'sct2_Concept_Snapshot_US1000124_20250301.txt',
      meaning: 'every version of every component',
    },
    {
      case: 'Delta',
      file: 'landing/snomed/sct2_Concept_Delta_INT_20250101.txt',
      suggestion: 'sct2_Concept_Snapshot_INT_20250101.txt',
      meaning: 'only the components that changed',
    },
  ])(
    'rejects a $case file, naming the Snapshot file to pass',
    async ({ case: releaseType, file, suggestion, meaning }) => {
      const error = await readAll(
        readSnomedConcepts,
        fileBytes(tsv([CONCEPT_HEADER, ...CONCEPT_ROWS])),
        { file },
      ).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(VocabFileError);
      const fileError = error as VocabFileError;
      expect(fileError.message).toContain(
        `is a SNOMED CT ${releaseType} file, but the loader reads Snapshot files only`,
      );
      expect(fileError.message).toContain(meaning);
      expect(fileError.hint).toBe(
        `Pass ${suggestion} from the Snapshot folder of the same release.`,
      );
      expect(fileError.position).toEqual({ file });
    },
  );

  it('rejects a description file given to the concept loader', async () => {
    const error = await readAll(readSnomedConcepts, fileBytes(tsv([CONCEPT_HEADER])), {
      file: DESCRIPTION_FILE,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VocabFileError);
    expect((error as VocabFileError).message).toBe(
      `${DESCRIPTION_FILE} is a SNOMED CT Description file, but readSnomedConcepts reads Concept files`,
    );
    expect((error as VocabFileError).hint).toBe('Read it with readSnomedDescriptions.');
  });

  it('reads a renamed file by its header alone', async () => {
    const { records } = await readAll(
      readSnomedConcepts,
      fileBytes(tsv([CONCEPT_HEADER, ...CONCEPT_ROWS])),
      { file: 'concepts.txt' },
    );
    expect(records).toHaveLength(3);
  });

  it('rejects a header without definitionStatusId', async () => {
    const rows = [CONCEPT_HEADER.slice(0, 4), ...CONCEPT_ROWS.map((row) => row.slice(0, 4))];
    const error = await readAll(readSnomedConcepts, fileBytes(tsv(rows)), {
      file: CONCEPT_FILE,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VocabFileError);
    expect((error as VocabFileError).message).toBe(
      'SNOMED CT concept header lacks the column(s) "definitionStatusId"; it has 4 column(s)',
    );
    expect((error as VocabFileError).position).toEqual({ file: CONCEPT_FILE, line: 1 });
  });

  it('rejects an empty file', async () => {
    await expect(
      readAll(readSnomedConcepts, Buffer.from('\n\n'), { file: CONCEPT_FILE }),
    ).rejects.toThrow('SNOMED CT concept file has no header row');
  });

  it.each([
    {
      case: 'a wrong check digit',
      row: [
        CONCEPT_1.slice(0, -1) + String((Number(CONCEPT_1.slice(-1)) + 1) % 10),
        '20020131',
        '1',
        CORE_MODULE,
        PRIMITIVE,
      ],
      field: 'id',
      code: 'invalid-code',
    },
    {
      case: 'a description id as concept id',
      row: [syntheticSctid(99003, 'description'), '20020131', '1', CORE_MODULE, PRIMITIVE],
      field: 'id',
      code: 'invalid-code',
    },
    {
      case: 'an impossible date',
      row: [CONCEPT_1, '20250230', '1', CORE_MODULE, PRIMITIVE],
      field: 'effectiveTime',
      code: 'invalid-value',
    },
    {
      case: 'active other than 0 or 1',
      row: [CONCEPT_1, '20020131', 'true', CORE_MODULE, PRIMITIVE],
      field: 'active',
      code: 'invalid-value',
    },
  ])('reports $case', async ({ row, field, code }) => {
    const { records, problems } = await readAll(
      readSnomedConcepts,
      fileBytes(tsv([CONCEPT_HEADER, CONCEPT_ROWS[1] as string[], row])),
      { file: CONCEPT_FILE },
    );
    expect(located(problems)).toEqual([{ code, line: 3, field }]);
    expect(records.map((record) => record.id)).toEqual([CONCEPT_2]);
  });

  it('reports a row with a missing field', async () => {
    const rows = [CONCEPT_HEADER, (CONCEPT_ROWS[0] as string[]).slice(0, 4)];
    const { problems } = await readAll(readSnomedConcepts, fileBytes(tsv(rows)), {
      file: CONCEPT_FILE,
    });
    expect(located(problems)).toEqual([{ code: 'field-count', line: 2 }]);
    expect(problems[0]?.reason).toBe(
      'the line has 4 field(s) separated by tabs, but the header has 5',
    );
  });
});

describe('readSnomedDescriptions', () => {
  const header = [
    'id',
    'effectiveTime',
    'active',
    'moduleId',
    'conceptId',
    'languageCode',
    'typeId',
    'term',
    'caseSignificanceId',
  ];
  const description = syntheticSctid(99001, 'description');

  it.each(ENCODINGS)('reads $case', async (encoding) => {
    // Terms may contain quotes and commas: RF2 has no quoting.
    const row = [
      description,
      '20020131',
      '1',
      CORE_MODULE,
      CONCEPT_1,
      'en',
      SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID,
      'Synthetic "test" concept 1, disorder (disorder)',
      CASE_INSENSITIVE,
    ];
    const { records, problems } = await readAll(
      readSnomedDescriptions,
      fileBytes(tsv([header, row]), encoding),
      { file: DESCRIPTION_FILE },
    );

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        id: description,
        effectiveTime: '2002-01-31',
        active: true,
        moduleId: CORE_MODULE,
        conceptId: CONCEPT_1,
        languageCode: 'en',
        typeId: SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID,
        term: 'Synthetic "test" concept 1, disorder (disorder)',
        caseSignificanceId: CASE_INSENSITIVE,
      },
    ]);
  });

  it('reads a text definition file', async () => {
    const row = [
      description,
      '20020131',
      '1',
      CORE_MODULE,
      CONCEPT_1,
      'en',
      '900000000000550004',
      'Synthetic definition',
      CASE_INSENSITIVE,
    ];
    const { records } = await readAll(readSnomedDescriptions, fileBytes(tsv([header, row])), {
      file: 'sct2_TextDefinition_Snapshot-en_INT_20250101.txt',
    });
    expect(records).toHaveLength(1);
  });

  it('rejects a Full description file', async () => {
    await expect(
      readAll(readSnomedDescriptions, fileBytes(tsv([header])), {
        file: 'sct2_Description_Full-en_INT_20250101.txt',
      }),
    ).rejects.toThrow('sct2_Description_Full-en_INT_20250101.txt is a SNOMED CT Full file');
  });
});

describe('readSnomedRelationships', () => {
  const header = [
    'id',
    'effectiveTime',
    'active',
    'moduleId',
    'sourceId',
    'destinationId',
    'relationshipGroup',
    'typeId',
    'characteristicTypeId',
    'modifierId',
  ];
  const relationship = syntheticSctid(99001, 'relationship');

  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const row = [
      relationship,
      '20240301',
      '1',
      CORE_MODULE,
      CONCEPT_2,
      CONCEPT_1,
      '0',
      IS_A,
      INFERRED,
      EXISTENTIAL,
    ];
    const { records, problems } = await readAll(
      readSnomedRelationships,
      fileBytes(tsv([header, row]), encoding),
      { file: RELATIONSHIP_FILE },
    );

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        id: relationship,
        effectiveTime: '2024-03-01',
        active: true,
        moduleId: CORE_MODULE,
        sourceId: CONCEPT_2,
        destinationId: CONCEPT_1,
        relationshipGroup: 0,
        typeId: IS_A,
        characteristicTypeId: INFERRED,
        modifierId: EXISTENTIAL,
      },
    ]);
  });

  it('rejects a Delta relationship file', async () => {
    const error = await readAll(readSnomedRelationships, fileBytes(tsv([header])), {
      file: 'sct2_Relationship_Delta_INT_20250101.txt',
    }).catch((caught: unknown) => caught);
    expect((error as VocabFileError).hint).toBe(
      'Pass sct2_Relationship_Snapshot_INT_20250101.txt from the Snapshot folder of the same release.',
    );
  });
});

describe('checkSctid', () => {
  it('accepts generated ids of each partition and rejects a changed digit', () => {
    const partitions = ['concept', 'description', 'relationship'] as const;
    fc.assert(
      fc.property(
        fc.bigInt({ min: 100n, max: 999_999_999_999_999n }),
        fc.constantFrom(...partitions),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (itemId, partition, position, shift) => {
          const id = syntheticSctid(itemId, partition);
          expect(checkSctid(id, partition)).toBeUndefined();

          const index = 1 + (position % (id.length - 1));
          const changed = `${id.slice(0, index)}${(Number(id[index]) + shift) % 10}${id.slice(index + 1)}`;
          expect(checkSctid(changed)).toBe('fails the SCTID check digit (Verhoeff)');
        },
      ),
      { seed: 20250303, numRuns: 300 },
    );
  });

  it.each([
    {
      case: 'a leading zero',
      id: '0123456',
      reason: 'must be an SCTID: 6 to 18 digits, not starting with 0',
    },
    {
      case: 'five digits',
      id: '12345',
      reason: 'must be an SCTID: 6 to 18 digits, not starting with 0',
    },
    {
      case: 'nineteen digits',
      id: '1234567890123456789',
      reason: 'must be an SCTID: 6 to 18 digits, not starting with 0',
    },
  ])('rejects $case', ({ id, reason }) => {
    expect(checkSctid(id)).toBe(reason);
  });
});
