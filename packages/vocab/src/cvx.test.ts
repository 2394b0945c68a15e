// Real: CVX tables in the CDC's pipe-delimited layout, padded as the CDC pads them. Faked: the
// rows are synthetic ("Synthetic test vaccine N"); no row claims to be a real CVX entry.
import { ENCODINGS, fileBytes, located, readAll } from './__fixtures__/input';
import { readCvxTable } from './cvx';

function cvxLine(fields: readonly string[], trailingPipe = false): string {
  return (
    fields.map((field, index) => (index === 0 ? field : field.padEnd(12))).join('|') +
    (trailingPipe ? '|' : '')
  );
}

const ROWS = [
  [
    '701',
    'Synthetic test vaccine 1',
    'Synthetic test vaccine 1, full name',
    '',
    'Active',
    'False',
    '3/5/2024',
  ],
  [
    '07',
    'Synthetic test vaccine 2',
    'Synthetic test vaccine 2, full name',
    'Synthetic note | none',
    'Inactive',
    'False',
    '10/27/2011',
  ],
  [
    '702',
    'Synthetic immune globulin 1',
    'Synthetic immune globulin 1, full name',
    '',
    'never active',
    'True',
    '',
  ],
];

describe('readCvxTable', () => {
  it.each(ENCODINGS)('reads $case', async (encoding) => {
    const lines = [cvxLine(ROWS[0] as string[]), cvxLine(ROWS[2] as string[], true)];
    const { records, problems } = await readAll(readCvxTable, fileBytes(lines, encoding), {
      file: 'cvx.txt',
    });

    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        cvxCode: '701',
        shortDescription: 'Synthetic test vaccine 1',
        fullVaccineName: 'Synthetic test vaccine 1, full name',
        note: '',
        vaccineStatus: 'Active',
        nonvaccine: false,
        lastUpdated: '2024-03-05',
      },
      {
        cvxCode: '702',
        shortDescription: 'Synthetic immune globulin 1',
        fullVaccineName: 'Synthetic immune globulin 1, full name',
        note: '',
        vaccineStatus: 'Never Active',
        nonvaccine: true,
      },
    ]);
  });

  it.each([
    { case: 'M/D/YYYY', date: '3/5/2024', expected: '2024-03-05' },
    { case: 'MM/DD/YYYY', date: '03/05/2024', expected: '2024-03-05' },
    { case: 'YYYY/MM/DD', date: '2024/03/05', expected: '2024-03-05' },
  ])('reads a $case date', async ({ date, expected }) => {
    const row = [...(ROWS[0] as string[])];
    row[6] = date;
    const { records } = await readAll(readCvxTable, fileBytes([cvxLine(row)]), { file: 'cvx.txt' });
    expect(records[0]?.lastUpdated).toBe(expected);
  });

  it('reports a pipe inside a note as a field-count problem', async () => {
    const { records, problems } = await readAll(
      readCvxTable,
      fileBytes(ROWS.map((row) => cvxLine(row))),
      { file: 'cvx.txt' },
    );
    expect(located(problems)).toEqual([{ code: 'field-count', line: 2 }]);
    expect(problems[0]?.reason).toBe(
      'the line has 8 field(s) separated by "|", but lines of CVX have 7',
    );
    expect(records.map((record) => record.cvxCode)).toEqual(['701', '702']);
  });

  it.each([
    {
      case: 'an unknown status',
      change: [4, 'Retired'],
      field: 'VaccineStatus',
      code: 'invalid-value',
    },
    {
      case: 'a nonvaccine flag of Y',
      change: [5, 'Y'],
      field: 'nonvaccine',
      code: 'invalid-value',
    },
    { case: 'letters in the code', change: [0, 'X1'], field: 'CVX Code', code: 'invalid-code' },
    {
      case: 'an empty short description',
      change: [1, ''],
      field: 'CVX Short Description',
      code: 'missing-value',
    },
    {
      case: 'a day that does not exist',
      change: [6, '2/30/2024'],
      field: 'last updated date',
      code: 'invalid-value',
    },
  ] as const)('reports $case', async ({ change, field, code }) => {
    const row = [...(ROWS[0] as string[])];
    row[change[0]] = change[1];
    const { records, problems } = await readAll(readCvxTable, fileBytes([cvxLine(row)]), {
      file: 'cvx.txt',
    });
    expect(located(problems)).toEqual([{ code, line: 1, field }]);
    expect(records).toEqual([]);
  });

  it('lists the valid statuses', async () => {
    const row = [...(ROWS[0] as string[])];
    row[4] = 'Retired';
    const { problems } = await readAll(readCvxTable, fileBytes([cvxLine(row)]), {
      file: 'cvx.txt',
    });
    expect(problems[0]?.reason).toBe(
      'VaccineStatus must be one of Active, Inactive, Pending, Never Active, Non-US',
    );
  });
});
