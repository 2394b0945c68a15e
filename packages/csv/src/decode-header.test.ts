// Real: decodeCsv with csv-parse over in-memory CSV bytes; nothing is faked.
import { decodeAll, FILE } from './__fixtures__/input';
import { decodeCsv } from './decode';
import { CsvHeaderError } from './errors';
import type { CsvSchemaInput } from './schema';

const schema: CsvSchemaInput = {
  columns: [
    { name: 'member_id', header: 'Member ID', type: 'string', required: true },
    { name: 'birth_date', header: 'DOB', type: 'date', required: true },
    { name: 'plan_code', type: 'string' },
  ],
};

/** Decodes the text and returns the header error it raises. */
async function headerErrorOf(text: string | Uint8Array, overrides: Record<string, unknown> = {}): Promise<CsvHeaderError> {
  try {
    await decodeAll(text, { ...schema, ...overrides });
  } catch (error) {
    if (error instanceof CsvHeaderError) return error;
    throw error;
  }
  throw new Error('expected a CsvHeaderError');
}

describe('decodeCsv header check', () => {
  it('lists missing and unexpected columns in one error', async () => {
    const error = await headerErrorOf('Member ID,First Name,Plan,Group\nM001,Ana,P1,G1\n');

    expect(error.message).toBe(
      'header does not match the schema: missing required column(s) "DOB" (birth_date); unexpected column(s) "First Name" at position 2, "Plan" at position 3, "Group" at position 4',
    );
    expect(error.position).toEqual({ file: FILE, line: 1 });
    expect(error.differences).toEqual({
      missing: [{ column: 'birth_date', header: 'DOB' }],
      unexpected: [
        { position: 2, header: 'First Name' },
        { position: 3, header: 'Plan' },
        { position: 4, header: 'Group' },
      ],
      duplicates: [],
    });
    expect(error.describe()).toBe(
      `${FILE}:1: ${error.message} Map a renamed header with the column's header key, or mark the column required: false. Declare the extra columns, or set extraColumns: ignore.`,
    );
  });

  it('reports a header that appears twice', async () => {
    const error = await headerErrorOf('Member ID,DOB,Member ID\n');

    expect(error.message).toBe('header does not match the schema: "Member ID" appears at positions 1, 3');
    expect(error.differences?.duplicates).toEqual([{ header: 'Member ID', positions: [1, 3] }]);
  });

  it('withholds names of an unmatched first row', async () => {
    const error = await headerErrorOf('M001,1987-03-09,Ana Álvarez\nM002,1990-01-01,Bo\n');

    expect(error.message).toBe(
      'header does not match the schema: missing required column(s) "Member ID" (member_id), "DOB" (birth_date); none of the 3 header field(s) names a declared column, so the first row may be data or use another delimiter than ","',
    );
    expect(error.differences?.unexpected).toEqual([{ position: 1 }, { position: 2 }, { position: 3 }]);
    expect(error.describe()).not.toMatch(/M001|Álvarez|1987/);
  });

  it('rejects an unmatched first row even when extra columns are ignored', async () => {
    const error = await headerErrorOf('M001,1987-03-09\n', {
      extraColumns: 'ignore',
      columns: [
        { name: 'member_id', header: 'Member ID', type: 'string' },
        { name: 'birth_date', header: 'DOB', type: 'date' },
      ],
    });

    expect(error.differences).toEqual({ missing: [], unexpected: [{ position: 1 }, { position: 2 }], duplicates: [] });
    expect(error.hint).toBe('Set header: false in decode.schema if the file has no header row, or check the delimiter.');
  });

  it('suggests utf-8 when a single-byte file starts with a UTF-8 byte-order mark', async () => {
    const bytes = Buffer.from('\uFEFFMember ID,DOB\nM001,1987-03-09\n', 'utf8');
    const error = await headerErrorOf(bytes, { encoding: 'windows-1252' });

    expect(error.hint).toContain('The file starts with a UTF-8 byte-order mark, but the schema declares windows-1252; declare utf-8.');
  });

  it.each([
    { case: 'empty file', text: '' },
    { case: 'only blank lines', text: '\r\n\n  \n' },
  ])('rejects a file without a header row: $case', async ({ text }) => {
    const error = await headerErrorOf(text);

    expect(error.message).toBe('the file has no header row: it is empty or has only blank lines');
    expect(error.position).toEqual({ file: FILE });
  });

  it('rejects a header row with an unclosed quote, naming its line', async () => {
    const error = await headerErrorOf('\n"Member ID,DOB\nM001,1987-03-09\n');

    expect(error.message).toBe('the header row cannot be read: a quote opened at line 2 is never closed, so the rest of the file, to line 3, cannot be read');
    expect(error.position).toEqual({ file: FILE, line: 2 });
  });

  it('rejects a header with bytes invalid in the encoding', async () => {
    const bytes = Buffer.concat([Buffer.from('Member ID,D'), Buffer.from([0xff]), Buffer.from('B\n')]);
    const error = await headerErrorOf(bytes);

    expect(error.message).toBe('header field 2 contains bytes that are not valid utf-8');
  });

  it('raises before yielding any record', async () => {
    const items = decodeCsv(Buffer.from('Member ID\nM001\nM002\n'), schema, { file: FILE });

    await expect(items.next()).rejects.toBeInstanceOf(CsvHeaderError);
  });

  it('maps columns by header name in any order, trimming the names', async () => {
    const result = await decodeAll(' DOB ,plan_code,Member ID\n1987-03-09,P1,M001\n', schema);

    expect(result.records.map((record) => record.values)).toEqual([
      { member_id: 'M001', birth_date: new Date('1987-03-09T00:00:00Z'), plan_code: 'P1' },
    ]);
  });

  it('gives null to an optional column the file lacks', async () => {
    const result = await decodeAll('Member ID,DOB\nM001,1987-03-09\n', schema);

    expect(result.records[0]?.values['plan_code']).toBeNull();
  });

  it('drops extra columns when extraColumns is ignore', async () => {
    const result = await decodeAll('Group,Member ID,Notes,DOB\nG1,M001,"a, b",1987-03-09\n', {
      ...schema,
      extraColumns: 'ignore',
    });

    expect(result.problems).toEqual([]);
    expect(result.records.map((record) => record.values)).toEqual([
      { member_id: 'M001', birth_date: new Date('1987-03-09T00:00:00Z'), plan_code: null },
    ]);
  });

  it('still requires the field count of the header when extra columns are ignored', async () => {
    const result = await decodeAll('Member ID,DOB,Notes\nM001,1987-03-09\n', { ...schema, extraColumns: 'ignore' });

    expect(result.problems.map((problem) => [problem.code, problem.reason])).toEqual([
      ['field-count', 'the record has 2 field(s), but the header has 3'],
    ]);
  });
});
