// Real: the public-domain ICD-10-CM sample lines of the shared test data, and lines built in the
// CMS order-file layout with synthetic codes. Faked: nothing.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ENCODINGS, fileBytes, located, readAll } from './__fixtures__/input';
import { VocabFileError } from './errors';
import {
  icd10DisplayCode,
  icd10FiscalYearStart,
  readIcd10CodesFile,
  readIcd10OrderFile,
} from './icd10';

const TESTDATA = path.resolve(__dirname, '../../../../shared/testdata/vocab');

/** Writes one order-file line: order number 1-5, code 7-13, flag 15, short description 17-76, long description from 78. */
function orderLine(order: number, code: string, flag: string, short: string, long: string): string {
  return `${String(order).padStart(5, '0')} ${code.padEnd(7)} ${flag} ${short.padEnd(60)} ${long}`;
}

const SYNTHETIC_ORDER_LINES = [
  orderLine(1, 'Z99', '0', 'Synthetic test header 1', 'Synthetic test header 1, long description'),
  orderLine(2, 'Z991', '1', 'Synthetic test code 1', 'Synthetic test code 1, long description'),
  orderLine(3, 'Z99X1A', '1', 'Synthetic test code 2', 'Synthetic test code 2, long description'),
];

describe('readIcd10OrderFile', () => {
  it('reads the CMS sample lines', async () => {
    const file = path.join(TESTDATA, 'icd10cm_order_sample.txt');
    const { records, problems } = await readAll(readIcd10OrderFile, await readFile(file), {
      file,
      system: 'icd10cm',
    });

    expect(problems).toEqual([]);
    expect(
      records.map((record) => [
        record.orderNumber,
        record.code,
        record.displayCode,
        record.billable,
      ]),
    ).toEqual([
      [1, 'A00', 'A00', false],
      [2, 'A000', 'A00.0', true],
      [4301, 'E11', 'E11', false],
      [4413, 'E1165', 'E11.65', true],
      [11580, 'I10', 'I10', true],
    ]);
    expect(records[1]).toEqual({
      system: 'icd10cm',
      orderNumber: 2,
      code: 'A000',
      displayCode: 'A00.0',
      billable: true,
      shortDescription: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
      longDescription: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
    });
  });

  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const bytes = fileBytes(SYNTHETIC_ORDER_LINES, encoding);
    const { records, problems } = await readAll(readIcd10OrderFile, bytes, {
      file: 'icd10cm_order_2025.txt',
    });

    expect(problems).toEqual([]);
    expect(records.map((record) => record.displayCode)).toEqual(['Z99', 'Z99.1', 'Z99.X1A']);
    expect(records[2]?.longDescription).toBe('Synthetic test code 2, long description');
    expect(records[0]?.orderNumber).toBe(1);
  });

  it('takes the system from the file name', async () => {
    const line = orderLine(
      7,
      '0SR9019',
      '1',
      'Synthetic test procedure 1',
      'Synthetic test procedure 1, long',
    );
    const { records } = await readAll(readIcd10OrderFile, fileBytes([line]), {
      file: 'landing/cms/icd10pcs_order_2025.txt',
    });
    expect(records[0]).toMatchObject({
      system: 'icd10pcs',
      code: '0SR9019',
      displayCode: '0SR9019',
    });
  });

  it('rejects a file whose system is unknown', async () => {
    const error = await readAll(readIcd10OrderFile, fileBytes(SYNTHETIC_ORDER_LINES), {
      file: 'codes.txt',
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(VocabFileError);
    expect((error as VocabFileError).position).toEqual({ file: 'codes.txt' });
    expect((error as VocabFileError).hint).toContain("system: 'icd10cm'");
  });

  it.each([
    {
      case: 'shifted fields',
      line: ` ${orderLine(4, 'Z992', '1', 'Synthetic test code 3', 'Long')}`,
      field: 'position 6',
      code: 'invalid-layout',
    },
    {
      case: 'flag other than 0 or 1',
      line: orderLine(4, 'Z992', '2', 'Synthetic test code 3', 'Long'),
      field: 'billable flag (position 15)',
      code: 'invalid-value',
    },
    {
      case: 'letters in the order number',
      line: orderLine(4, 'Z992', '1', 'S', 'L').replace('00004', '0000A'),
      field: 'order number (positions 1-5)',
      code: 'invalid-value',
    },
    {
      case: 'code with a dot',
      line: orderLine(4, 'Z99.2', '1', 'Synthetic test code 3', 'Long'),
      field: 'code (positions 7-13)',
      code: 'invalid-code',
    },
    {
      case: 'blank code',
      line: orderLine(4, '', '1', 'Synthetic test code 3', 'Long'),
      field: 'code (positions 7-13)',
      code: 'missing-value',
    },
    {
      case: 'no long description',
      line: orderLine(4, 'Z992', '1', 'Synthetic test code 3', '').trimEnd(),
      field: 'long description (positions 78-end)',
      code: 'missing-value',
    },
  ])('reports $case', async ({ line, field, code }) => {
    const bytes = fileBytes([
      SYNTHETIC_ORDER_LINES[0] as string,
      line,
      SYNTHETIC_ORDER_LINES[1] as string,
    ]);
    const { records, problems } = await readAll(readIcd10OrderFile, bytes, {
      file: 'icd10cm_order_2025.txt',
    });

    expect(located(problems)).toEqual([{ code, line: 2, field }]);
    expect(records.map((record) => record.code)).toEqual(['Z99', 'Z991']);
  });

  it('reports a line too short for the layout', async () => {
    const { problems } = await readAll(readIcd10OrderFile, fileBytes(['00001 Z99     1']), {
      file: 'icd10cm_order_2025.txt',
    });
    expect(located(problems)).toEqual([{ code: 'invalid-layout', line: 1 }]);
    expect(problems[0]?.reason).not.toContain('Z99');
  });

  it('rejects an ICD-10-PCS code with the letter O', async () => {
    const line = orderLine(1, '0SRO019', '1', 'Synthetic test procedure 1', 'Long');
    const { problems } = await readAll(readIcd10OrderFile, fileBytes([line]), {
      file: 'icd10pcs_order_2025.txt',
    });
    expect(located(problems)).toEqual([
      { code: 'invalid-code', line: 1, field: 'code (positions 7-13)' },
    ]);
  });
});

describe('readIcd10CodesFile', () => {
  it('reads the CMS sample lines', async () => {
    const file = path.join(TESTDATA, 'icd10cm_codes_sample.txt');
    const { records, problems } = await readAll(readIcd10CodesFile, await readFile(file), {
      file,
      system: 'icd10cm',
    });

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        system: 'icd10cm',
        code: 'A000',
        displayCode: 'A00.0',
        description: 'Cholera due to Vibrio cholerae 01, biovar cholerae',
      },
      {
        system: 'icd10cm',
        code: 'A001',
        displayCode: 'A00.1',
        description: 'Cholera due to Vibrio cholerae 01, biovar eltor',
      },
      {
        system: 'icd10cm',
        code: 'E119',
        displayCode: 'E11.9',
        description: 'Type 2 diabetes mellitus without complications',
      },
    ]);
  });

  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const bytes = fileBytes(
      ['Z991    Synthetic test code 1', 'Z99X1A  Synthetic test code 2  '],
      encoding,
    );
    const { records, problems } = await readAll(readIcd10CodesFile, bytes, {
      file: 'icd10cm-codes-2026.txt',
    });
    expect(problems).toEqual([]);
    expect(records.map((record) => [record.displayCode, record.description])).toEqual([
      ['Z99.1', 'Synthetic test code 1'],
      ['Z99.X1A', 'Synthetic test code 2'],
    ]);
  });

  it.each([
    {
      case: 'a code without a description',
      line: 'Z991',
      code: 'missing-value',
      field: 'description',
    },
    {
      case: 'a 6-character PCS code',
      line: '0SR901 Synthetic test procedure 1',
      code: 'invalid-code',
      field: 'code',
    },
  ])('reports $case', async ({ line, code, field }) => {
    const { problems } = await readAll(readIcd10CodesFile, fileBytes([line]), {
      file: 'icd10pcs_codes_2025.txt',
    });
    expect(located(problems)).toEqual([{ code, line: 1, field }]);
  });
});

describe('ICD-10 helpers', () => {
  it.each([
    { case: 'CM, 3 characters', system: 'icd10cm', code: 'I10', expected: 'I10' },
    { case: 'CM, 4 characters', system: 'icd10cm', code: 'E119', expected: 'E11.9' },
    { case: 'CM, 7 characters', system: 'icd10cm', code: 'S72001A', expected: 'S72.001A' },
    { case: 'PCS', system: 'icd10pcs', code: '0SR9019', expected: '0SR9019' },
  ] as const)('displays $case', ({ system, code, expected }) => {
    expect(icd10DisplayCode(system, code)).toBe(expected);
  });

  it('starts fiscal year 2025 on 2024-10-01', () => {
    expect(icd10FiscalYearStart(2025)).toBe('2024-10-01');
  });
});
