// Real: RRF files in RxNorm's pipe-delimited layout, in memory and on disk in a temp folder read
// with fs.createReadStream. Faked: every concept, atom and name is synthetic; no RxNorm content.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ENCODINGS, fileBytes, located, readAll } from './__fixtures__/input';
import { collectVocab } from './problems';
import {
  readRxnConso,
  readRxnCui,
  readRxnCuiChanges,
  readRxnRel,
  readRxnSat,
  RXNCONSO_COLUMNS,
} from './rxnorm';

/** Writes an RRF line: each field followed by "|". */
function rrfLine(fields: readonly string[]): string {
  return fields.map((field) => `${field}|`).join('');
}

function consoLine(
  rxcui: string,
  rxaui: string,
  tty: string,
  name: string,
  suppress = 'N',
): string {
  //             RXCUI  LAT    TS LUI STT SUI ISPREF RXAUI SAUI SCUI SDUI SAB       TTY  CODE   STR   SRL  SUPPRESS  CVF
  return rrfLine([
    rxcui,
    'ENG',
    '',
    '',
    '',
    '',
    '',
    rxaui,
    '',
    '',
    '',
    'RXNORM',
    tty,
    rxcui,
    name,
    '',
    suppress,
    '4096',
  ]);
}

const CONSO_LINES = [
  consoLine('9000001', '90000011', 'IN', 'Synthetic test ingredient 1'),
  consoLine('9000002', '90000021', 'SCD', 'Synthetic test drug 1 10 MG Oral Tablet'),
  consoLine('9000002', '90000022', 'PSN', 'Synthetic test drug 1 "prescribable" name'),
];

describe('readRxnConso', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const { records, problems } = await readAll(readRxnConso, fileBytes(CONSO_LINES, encoding), {
      file: 'RXNCONSO.RRF',
    });

    expect(problems).toEqual([]);
    expect(records).toHaveLength(3);
    expect(records[0]).toEqual({
      RXCUI: '9000001',
      LAT: 'ENG',
      TS: '',
      LUI: '',
      STT: '',
      SUI: '',
      ISPREF: '',
      RXAUI: '90000011',
      SAUI: '',
      SCUI: '',
      SDUI: '',
      SAB: 'RXNORM',
      TTY: 'IN',
      CODE: '9000001',
      STR: 'Synthetic test ingredient 1',
      SRL: '',
      SUPPRESS: 'N',
      CVF: '4096',
    });
    expect(records[2]?.STR).toBe('Synthetic test drug 1 "prescribable" name');
    expect(Object.keys(records[0] ?? {})).toEqual([...RXNCONSO_COLUMNS]);
  });

  it.each([
    {
      case: 'a missing trailing pipe',
      line: (CONSO_LINES[0] as string).slice(0, -1),
      found: 'the line does not end with "|"',
    },
    {
      case: 'one field too few',
      line: (CONSO_LINES[0] as string).replace('ENG|', ''),
      found: 'the line has 17 field(s), but',
    },
    {
      case: 'one field too many',
      line: `${CONSO_LINES[0] as string}extra|`,
      found: 'the line has 19 field(s), but',
    },
    {
      case: 'a pipe inside a name',
      line: consoLine('9000003', '90000031', 'IN', 'Synthetic | test'),
      found: 'the line has 19 field(s), but',
    },
  ])('reports $case as a field-count problem', async ({ line, found }) => {
    const bytes = fileBytes([CONSO_LINES[0] as string, line, CONSO_LINES[1] as string]);
    const { records, problems } = await readAll(readRxnConso, bytes, { file: 'RXNCONSO.RRF' });

    expect(located(problems)).toEqual([{ code: 'field-count', line: 2 }]);
    expect(problems[0]?.reason).toContain(found);
    expect(problems[0]?.reason).toMatch(
      /lines of RXNCONSO\.RRF have 18 fields, each followed by "\|"$/,
    );
    expect(problems[0]?.reason).not.toContain('Synthetic');
    expect(records.map((record) => record.RXAUI)).toEqual(['90000011', '90000021']);
  });

  it.each([
    {
      case: 'letters in RXCUI',
      line: consoLine('R9000003', '90000031', 'IN', 'Synthetic test ingredient 3'),
      problem: { code: 'invalid-code', line: 1, field: 'RXCUI' },
    },
    {
      case: 'an empty STR',
      line: consoLine('9000003', '90000031', 'IN', ''),
      problem: { code: 'missing-value', line: 1, field: 'STR' },
    },
    {
      case: 'an unknown SUPPRESS',
      line: consoLine('9000003', '90000031', 'IN', 'Synthetic', 'X'),
      problem: { code: 'invalid-value', line: 1, field: 'SUPPRESS' },
    },
  ])('reports $case', async ({ line, problem }) => {
    const { problems } = await readAll(readRxnConso, fileBytes([line]), { file: 'RXNCONSO.RRF' });
    expect(located(problems)).toEqual([problem]);
  });

  it('reads a file from disk in small chunks', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'carelake-vocab-'));
    try {
      const lines = Array.from({ length: 2000 }, (_, index) =>
        consoLine(
          String(9_100_000 + index),
          String(91_000_000 + index),
          'SCD',
          `Synthetic test drug ${index} ünïcode`,
        ),
      );
      lines[1234] = 'not an RRF line';
      const file = path.join(folder, 'RXNCONSO.RRF');
      await writeFile(file, fileBytes(lines, ENCODINGS[1]));

      const { records, problems } = await collectVocab(
        readRxnConso(createReadStream(file, { highWaterMark: 1000 }), { file }),
      );

      expect(records).toHaveLength(1999);
      expect(records[1999 - 1]?.STR).toBe('Synthetic test drug 1999 ünïcode');
      expect(located(problems)).toEqual([{ code: 'field-count', line: 1235 }]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('other RRF files', () => {
  it('reads RXNREL', async () => {
    const line = rrfLine([
      '9000001',
      '',
      'CUI',
      'RO',
      '9000002',
      '',
      'CUI',
      'has_ingredient',
      'R900001',
      '',
      'RXNORM',
      'RXNORM',
      '',
      '',
      'N',
      '',
    ]);
    const { records, problems } = await readAll(readRxnRel, fileBytes([line], ENCODINGS[1]), {
      file: 'RXNREL.RRF',
    });
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      RXCUI1: '9000001',
      REL: 'RO',
      RXCUI2: '9000002',
      RELA: 'has_ingredient',
      SAB: 'RXNORM',
    });
  });

  it('reads RXNSAT', async () => {
    const line = rrfLine([
      '9000002',
      '',
      '',
      '90000021',
      'AUI',
      '9000002',
      'AT900001',
      '',
      'NDC',
      'RXNORM',
      '99999000001',
      'N',
      '',
    ]);
    const { records, problems } = await readAll(readRxnSat, fileBytes([line]), {
      file: 'RXNSAT.RRF',
    });
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({ RXCUI: '9000002', ATN: 'NDC', ATV: '99999000001' });
  });

  it('reads RXNCUI with its cardinality as a number', async () => {
    const lines = [
      rrfLine(['9000009', '20150105', '20190107', '2', '9000001']),
      rrfLine(['9000008', '20150105', '20160104', '0', '9000008']),
    ];
    const { records, problems } = await readAll(readRxnCui, fileBytes(lines, ENCODINGS[2]), {
      file: 'RXNCUI.RRF',
    });
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        CUI1: '9000009',
        VER_START: '20150105',
        VER_END: '20190107',
        CARDINALITY: 2,
        CUI2: '9000001',
      },
      {
        CUI1: '9000008',
        VER_START: '20150105',
        VER_END: '20160104',
        CARDINALITY: 0,
        CUI2: '9000008',
      },
    ]);
  });

  it.each([
    {
      case: 'a cardinality that is not a number',
      fields: ['9000009', '20150105', '20190107', 'two', '9000001'],
      field: 'CARDINALITY',
      code: 'invalid-value',
    },
    {
      case: 'an empty CUI1',
      fields: ['', '20150105', '20190107', '1', '9000001'],
      field: 'CUI1',
      code: 'missing-value',
    },
  ])('reports RXNCUI with $case', async ({ fields, field, code }) => {
    const { problems } = await readAll(readRxnCui, fileBytes([rrfLine(fields)]), {
      file: 'RXNCUI.RRF',
    });
    expect(located(problems)).toEqual([{ code, line: 1, field }]);
  });

  it('reads RXNCUICHANGES', async () => {
    const line = rrfLine([
      '90000031',
      '9000003',
      'RXNORM',
      'SCD',
      'Synthetic test drug 3',
      '9000003',
      '9000004',
    ]);
    const { records, problems } = await readAll(readRxnCuiChanges, fileBytes([line]), {
      file: 'RXNCUICHANGES.RRF',
    });
    expect(problems).toEqual([]);
    expect(records[0]).toMatchObject({
      RXAUI: '90000031',
      OLD_RXCUI: '9000003',
      NEW_RXCUI: '9000004',
    });
  });
});
