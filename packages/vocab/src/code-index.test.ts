// Real: buildCodeIndex over CodeRecords, and over the ICD-10-CM sample lines of the shared test
// data read with the order-file loader. Faked: the other codes are synthetic.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readAll, syntheticLoincNumber } from './__fixtures__/input';
import { buildCodeIndex, CodeIndexBuilder } from './code-index';
import type { CodeRecord } from './code-record';
import { codeRecordFromIcd10 } from './code-record-mapping';
import { VocabError } from './errors';
import { icd10FiscalYearStart, readIcd10OrderFile } from './icd10';

const TESTDATA = path.resolve(__dirname, '../../../../shared/testdata/vocab');
const LOINC_ACTIVE = syntheticLoincNumber(900001);
const LOINC_DEPRECATED = syntheticLoincNumber(900002);

const RECORDS: CodeRecord[] = [
  {
    system: 'icd10cm',
    code: 'Z99.1',
    display: 'Synthetic test code 1',
    status: 'active',
    validFrom: '2015-10-01',
  },
  // Retired at the start of FY2024.
  {
    system: 'icd10cm',
    code: 'Z99.2',
    display: 'Synthetic test code 2',
    status: 'retired',
    validFrom: '2015-10-01',
    validTo: '2023-10-01',
  },
  // Valid in FY2020 and again from FY2023, not in between.
  {
    system: 'icd10cm',
    code: 'Z99.3',
    display: 'Synthetic test code 3',
    status: 'active',
    validFrom: '2019-10-01',
    validTo: '2020-10-01',
  },
  {
    system: 'icd10cm',
    code: 'Z99.3',
    display: 'Synthetic test code 3',
    status: 'active',
    validFrom: '2022-10-01',
  },
  { system: 'loinc', code: LOINC_ACTIVE, display: 'Synthetic test code 1', status: 'active' },
  {
    system: 'loinc',
    code: LOINC_DEPRECATED,
    display: 'Synthetic test code 2',
    status: 'deprecated',
    replacedBy: [LOINC_ACTIVE],
  },
  { system: 'cvx', code: '07', display: 'Synthetic test vaccine 1', status: 'inactive' },
  { system: 'cvx', code: '702', display: 'Synthetic test vaccine 2', status: 'pending' },
  {
    system: 'snomedct',
    code: '9900100',
    display: 'Synthetic concept',
    status: 'retired',
    validTo: '2024-09-01',
  },
];

const index = buildCodeIndex(RECORDS);

describe('buildCodeIndex', () => {
  it.each([
    {
      case: 'an active code',
      system: 'icd10cm',
      code: 'Z99.1',
      date: '2024-05-01',
      expected: 'known',
    },
    {
      case: 'an active code without its dot',
      system: 'icd10cm',
      code: 'Z991',
      date: '2024-05-01',
      expected: 'known',
    },
    {
      case: 'an active code in lower case with spaces',
      system: 'icd10cm',
      code: ' z99.1 ',
      date: '2024-05-01',
      expected: 'known',
    },
    {
      case: 'a code before it was valid',
      system: 'icd10cm',
      code: 'Z99.1',
      date: '2015-09-30',
      expected: 'unknown',
    },
    {
      case: 'a retired code before it was retired',
      system: 'icd10cm',
      code: 'Z99.2',
      date: '2023-09-30',
      expected: 'known',
    },
    {
      case: 'a retired code on its retirement day',
      system: 'icd10cm',
      code: 'Z992',
      date: '2023-10-01',
      expected: 'retired',
    },
    {
      case: 'a retired code after it was retired',
      system: 'icd10cm',
      code: 'Z99.2',
      date: '2024-05-01',
      expected: 'retired',
    },
    {
      case: 'a code in its first period',
      system: 'icd10cm',
      code: 'Z99.3',
      date: '2020-09-30',
      expected: 'known',
    },
    {
      case: 'a code between its periods',
      system: 'icd10cm',
      code: 'Z99.3',
      date: '2021-06-01',
      expected: 'retired',
    },
    {
      case: 'a code in its second period',
      system: 'icd10cm',
      code: 'Z99.3',
      date: '2030-01-01',
      expected: 'known',
    },
    {
      case: 'an unknown code',
      system: 'icd10cm',
      code: 'Z99.9',
      date: '2024-05-01',
      expected: 'unknown',
    },
    {
      case: 'a deprecated code without dates',
      system: 'loinc',
      code: LOINC_DEPRECATED,
      date: '1990-01-01',
      expected: 'retired',
    },
    {
      case: 'an active code without dates',
      system: 'loinc',
      code: LOINC_ACTIVE,
      date: '1900-01-01',
      expected: 'known',
    },
    {
      case: 'an inactive CVX code without its leading zero',
      system: 'cvx',
      code: '7',
      date: '2024-05-01',
      expected: 'known',
    },
    {
      case: 'a pending CVX code',
      system: 'cvx',
      code: '702',
      date: '2024-05-01',
      expected: 'unknown',
    },
    {
      case: 'an inactive SNOMED CT concept before inactivation',
      system: 'snomedct',
      code: '9900100',
      date: '2024-08-31',
      expected: 'known',
    },
    {
      case: 'an inactive SNOMED CT concept after inactivation',
      system: 'snomedct',
      code: '9900100',
      date: '2024-09-01',
      expected: 'retired',
    },
  ])('returns $expected for $case', ({ system, code, date, expected }) => {
    expect(index.check(system, code, date)).toBe(expected);
  });

  it.each([
    { case: 'YYYYMMDD', date: '20230930', expected: 'known' },
    { case: 'a date-time', date: '2023-10-01T08:30:00Z', expected: 'retired' },
    { case: 'a Date', date: new Date(Date.UTC(2023, 8, 30)), expected: 'known' },
  ])('reads $case', ({ date, expected }) => {
    expect(index.check('icd10cm', 'Z99.2', date)).toBe(expected);
  });

  it.each([
    { case: 'a day that does not exist', date: '2023-02-29' },
    { case: 'a US date', date: '09/30/2023' },
    { case: 'an invalid Date', date: new Date('not a date') },
    { case: 'an empty string', date: '' },
  ])('rejects $case without quoting it', ({ date }) => {
    const check = (): unknown => index.check('icd10cm', 'Z99.9', date);
    expect(check).toThrow(VocabError);
    expect(check).toThrow(/expected YYYY-MM-DD, YYYYMMDD or a Date/);
    if (typeof date === 'string' && date !== '') expect(check).not.toThrow(date);
  });

  it('rejects a system the index does not have, listing its systems', () => {
    expect(() => index.check('rxnorm', '9000001', '2024-05-01')).toThrow(
      'code system "rxnorm" is not in the code index; it has "icd10cm", "loinc", "cvx", "snomedct"',
    );
  });

  it('counts codes after normalization and leaves pending codes out', () => {
    expect(index.forSystem('icd10cm')?.size).toBe(3);
    expect(index.forSystem('cvx')?.size).toBe(1);
    expect(index.systems).toEqual(['icd10cm', 'loinc', 'cvx', 'snomedct']);
  });

  it('rejects a record date that is not YYYY-MM-DD', () => {
    const builder = new CodeIndexBuilder();
    expect(() =>
      builder.add({
        system: 'icd10cm',
        code: 'Z99.1',
        display: '',
        status: 'active',
        validFrom: '20151001',
      }),
    ).toThrow('validFrom of icd10cm code Z99.1 is not a date written YYYY-MM-DD');
  });

  it('checks the codes of an order file', async () => {
    const file = path.join(TESTDATA, 'icd10cm_order_sample.txt');
    const { records } = await readAll(readIcd10OrderFile, await readFile(file), {
      file,
      system: 'icd10cm',
    });
    const sampleIndex = buildCodeIndex(
      records.map((record) =>
        codeRecordFromIcd10(record, { validFrom: icd10FiscalYearStart(2026) }),
      ),
    );

    expect(sampleIndex.check('icd10cm', 'E11.65', '2025-11-02')).toBe('known');
    expect(sampleIndex.check('icd10cm', 'A000', '2025-11-02')).toBe('known');
    expect(sampleIndex.check('icd10cm', 'E11.65', '2025-09-30')).toBe('unknown');
    expect(sampleIndex.check('icd10cm', 'E11.9', '2025-11-02')).toBe('unknown');
  });
});
