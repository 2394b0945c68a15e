// Real: Loinc.csv and MapTo.csv files in LOINC's quoted CSV layout, read through @carelake/csv.
// Faked: the terms are synthetic ("Synthetic test code N") with computed check digits; no LOINC content.
import { ENCODINGS, fileBytes, located, readAll, syntheticLoincNumber } from './__fixtures__/input';
import { VocabFileError } from './errors';
import { groupLoincReplacements, readLoincMapTo, readLoincTable } from './loinc';

/** The Loinc.csv columns of recent releases (2.7x), in their order; the loader finds its columns by name. */
// prettier-ignore
const LOINC_HEADERS = [
  'LOINC_NUM', 'COMPONENT', 'PROPERTY', 'TIME_ASPCT', 'SYSTEM', 'SCALE_TYP', 'METHOD_TYP', 'CLASS', 'VersionLastChanged',
  'CHNG_TYPE', 'DefinitionDescription', 'STATUS', 'CONSUMER_NAME', 'CLASSTYPE', 'FORMULA', 'EXMPL_ANSWERS',
  'SURVEY_QUEST_TEXT', 'SURVEY_QUEST_SRC', 'UNITSREQUIRED', 'RELATEDNAMES2', 'SHORTNAME', 'ORDER_OBS',
  'HL7_FIELD_SUBFIELD_ID', 'EXTERNAL_COPYRIGHT_NOTICE', 'EXAMPLE_UNITS', 'LONG_COMMON_NAME', 'EXAMPLE_UCUM_UNITS',
  'STATUS_REASON', 'STATUS_TEXT', 'CHANGE_REASON_PUBLIC', 'COMMON_TEST_RANK', 'COMMON_ORDER_RANK',
  'HL7_ATTACHMENT_STRUCTURE', 'EXTERNAL_COPYRIGHT_LINK', 'PanelType', 'AskAtOrderEntry', 'AssociatedObservations',
  'VersionFirstReleased', 'ValidHL7AttachmentRequest', 'DisplayName',
];

const CODE_1 = syntheticLoincNumber(900001);
const CODE_2 = syntheticLoincNumber(900002);
const CODE_3 = syntheticLoincNumber(900003);

interface Term {
  LOINC_NUM: string;
  STATUS: string;
  SHORTNAME?: string;
  MAP_TO?: string;
  DefinitionDescription?: string;
}

/** Quotes every field and doubles inner quotes, as Loinc.csv does. */
function csvLine(fields: readonly string[]): string {
  return fields.map((field) => `"${field.replace(/"/g, '""')}"`).join(',');
}

function termFields(term: Term, index: number): Record<string, string> {
  return {
    LOINC_NUM: term.LOINC_NUM,
    COMPONENT: `Synthetic component ${index}`,
    PROPERTY: 'MCnc',
    TIME_ASPCT: 'Pt',
    SYSTEM: 'Ser/Plas',
    SCALE_TYP: 'Qn',
    CLASS: 'CHEM',
    VersionLastChanged: '2.78',
    STATUS: term.STATUS,
    SHORTNAME: term.SHORTNAME ?? `Synth ${index}`,
    LONG_COMMON_NAME: `Synthetic test code ${index}`,
    DefinitionDescription: term.DefinitionDescription ?? '',
    ...(term.MAP_TO === undefined ? {} : { MAP_TO: term.MAP_TO }),
  };
}

function loincFile(terms: readonly Term[], headers: readonly string[] = LOINC_HEADERS): string[] {
  return [
    csvLine(headers),
    ...terms.map((term, index) =>
      csvLine(headers.map((header) => termFields(term, index + 1)[header] ?? '')),
    ),
  ];
}

const TERMS: Term[] = [
  { LOINC_NUM: CODE_1, STATUS: 'ACTIVE' },
  // A definition with a comma, quotes and a line break, in a column the loader does not read.
  { LOINC_NUM: CODE_2, STATUS: 'DEPRECATED', DefinitionDescription: 'Spans, "quoted"\nlines' },
  { LOINC_NUM: CODE_3, STATUS: 'TRIAL', SHORTNAME: '' },
];

describe('readLoincTable', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const { records, problems } = await readAll(
      readLoincTable,
      fileBytes(loincFile(TERMS), encoding),
      { file: 'Loinc.csv' },
    );

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        LOINC_NUM: CODE_1,
        COMPONENT: 'Synthetic component 1',
        LONG_COMMON_NAME: 'Synthetic test code 1',
        SHORTNAME: 'Synth 1',
        CLASS: 'CHEM',
        STATUS: 'ACTIVE',
        VersionLastChanged: '2.78',
      },
      expect.objectContaining({
        LOINC_NUM: CODE_2,
        STATUS: 'DEPRECATED',
        LONG_COMMON_NAME: 'Synthetic test code 2',
      }),
      expect.objectContaining({ LOINC_NUM: CODE_3, STATUS: 'TRIAL', SHORTNAME: '' }),
    ]);
  });

  it('finds reordered columns by name', async () => {
    const reordered = [...LOINC_HEADERS].reverse();
    const inOrder = await readAll(readLoincTable, fileBytes(loincFile(TERMS)), {
      file: 'Loinc.csv',
    });
    const reversed = await readAll(readLoincTable, fileBytes(loincFile(TERMS, reordered)), {
      file: 'Loinc.csv',
    });

    expect(reversed.problems).toEqual([]);
    expect(reversed.records).toEqual(inOrder.records);
    expect(reversed.records.map((record) => record.LOINC_NUM)).toEqual([CODE_1, CODE_2, CODE_3]);
  });

  it('reads MAP_TO from an older Loinc.csv', async () => {
    const headers = [
      'LOINC_NUM',
      'COMPONENT',
      'CLASS',
      'STATUS',
      'MAP_TO',
      'SHORTNAME',
      'LONG_COMMON_NAME',
      'VersionLastChanged',
    ];
    const terms = [{ LOINC_NUM: CODE_2, STATUS: 'DEPRECATED', MAP_TO: CODE_1 }];
    const { records } = await readAll(readLoincTable, fileBytes(loincFile(terms, headers)), {
      file: 'Loinc.csv',
    });
    expect(records[0]?.MAP_TO).toBe(CODE_1);
  });

  it('rejects a file that lacks required headers, naming them', async () => {
    const headers = LOINC_HEADERS.filter((header) => header !== 'STATUS' && header !== 'SHORTNAME');
    const error = await readAll(readLoincTable, fileBytes(loincFile(TERMS, headers)), {
      file: 'Loinc.csv',
    }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(VocabFileError);
    expect((error as VocabFileError).message).toBe(
      `Loinc.csv header lacks the required column(s) "SHORTNAME", "STATUS"; it has ${headers.length} column(s)`,
    );
    expect((error as VocabFileError).position).toEqual({ file: 'Loinc.csv', line: 1 });
  });

  it('rejects an empty file', async () => {
    await expect(readAll(readLoincTable, Buffer.alloc(0), { file: 'Loinc.csv' })).rejects.toThrow(
      VocabFileError,
    );
  });

  it.each([
    {
      case: 'a wrong check digit',
      term: {
        LOINC_NUM: CODE_1.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10)),
        STATUS: 'ACTIVE',
      },
      code: 'invalid-code',
      field: 'LOINC_NUM',
    },
    {
      case: 'a code without a hyphen',
      term: { LOINC_NUM: CODE_1.replace('-', ''), STATUS: 'ACTIVE' },
      code: 'invalid-code',
      field: 'LOINC_NUM',
    },
    {
      case: 'an unknown status',
      term: { LOINC_NUM: CODE_1, STATUS: 'RETIRED' },
      code: 'invalid-value',
      field: 'STATUS',
    },
    {
      case: 'an empty status',
      term: { LOINC_NUM: CODE_1, STATUS: '' },
      code: 'missing-value',
      field: 'STATUS',
    },
  ])('reports $case', async ({ term, code, field }) => {
    const { records, problems } = await readAll(
      readLoincTable,
      fileBytes(loincFile([TERMS[1] as Term, term])),
      { file: 'Loinc.csv' },
    );

    // The second term's definition spans two lines, so the bad term starts on line 4.
    expect(located(problems)).toEqual([{ code, line: 4, field }]);
    expect(records.map((record) => record.LOINC_NUM)).toEqual([CODE_2]);
  });

  it('lists the valid statuses', async () => {
    const { problems } = await readAll(
      readLoincTable,
      fileBytes(loincFile([{ LOINC_NUM: CODE_1, STATUS: 'RETIRED' }])),
      { file: 'Loinc.csv' },
    );
    expect(problems[0]?.reason).toBe(
      'STATUS must be one of "ACTIVE", "TRIAL", "DISCOURAGED", "DEPRECATED"',
    );
  });

  it('reports a record with too few fields', async () => {
    const lines = loincFile(TERMS);
    lines[2] = csvLine([CODE_2, 'Synthetic component 2']);
    const { records, problems } = await readAll(readLoincTable, fileBytes(lines), {
      file: 'Loinc.csv',
    });
    expect(located(problems)).toEqual([{ code: 'field-count', line: 3 }]);
    expect(records.map((record) => record.LOINC_NUM)).toEqual([CODE_1, CODE_3]);
  });
});

describe('readLoincMapTo', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const lines = [
      csvLine(['LOINC', 'MAP_TO', 'COMMENT']),
      csvLine([CODE_2, CODE_1, 'Synthetic comment']),
      csvLine([CODE_2, CODE_3, '']),
    ];
    const { records, problems } = await readAll(readLoincMapTo, fileBytes(lines, encoding), {
      file: 'MapTo.csv',
    });

    expect(problems).toEqual([]);
    expect(records).toEqual([
      { LOINC: CODE_2, MAP_TO: CODE_1, COMMENT: 'Synthetic comment' },
      { LOINC: CODE_2, MAP_TO: CODE_3, COMMENT: '' },
    ]);
    expect(groupLoincReplacements(records)).toEqual(new Map([[CODE_2, [CODE_1, CODE_3]]]));
  });

  it('rejects a file without MAP_TO', async () => {
    const lines = [csvLine(['LOINC', 'COMMENT']), csvLine([CODE_2, ''])];
    await expect(readAll(readLoincMapTo, fileBytes(lines), { file: 'MapTo.csv' })).rejects.toThrow(
      'MapTo.csv header lacks the required column(s) "MAP_TO"',
    );
  });
});
