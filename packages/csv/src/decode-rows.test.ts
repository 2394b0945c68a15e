// Real: decodeCsv with csv-parse and iconv-lite over in-memory CSV bytes in several encodings; nothing is faked.
import iconv from 'iconv-lite';
import { chunksOf, decodeAll, FILE, located } from './__fixtures__/input';
import { decodeCsv } from './decode';
import { CsvDecodeError } from './errors';
import type { CsvSchemaInput } from './schema';

const schema: CsvSchemaInput = {
  columns: [
    { name: 'member_id', type: 'string', required: true },
    { name: 'note', type: 'string' },
    { name: 'birth_date', type: 'date', required: true },
  ],
};

const HEADER = 'member_id,note,birth_date\n';

describe('decodeCsv rows', () => {
  it('quarantines a bad row in the middle and keeps the rows around it', async () => {
    const text = `${HEADER}M001,a,1987-03-09\nM002,b,1990-12-01\nM003,c,1990-02-30\nM004,d,2001-07-15\nM005,e,1955-01-31\n`;
    const result = await decodeAll(text, schema, 7);

    expect(result.records.map((record) => [record.line, record.recordIndex, record.values['member_id']])).toEqual([
      [2, 0, 'M001'],
      [3, 1, 'M002'],
      [5, 3, 'M004'],
      [6, 4, 'M005'],
    ]);
    expect(result.problems).toEqual([
      {
        kind: 'problem',
        code: 'invalid-value',
        file: FILE,
        line: 4,
        endLine: 4,
        recordIndex: 2,
        column: 'birth_date',
        reason: 'birth_date is not a calendar date when read as YYYY-MM-DD',
      },
    ]);
  });

  it('numbers lines after records with embedded line breaks', async () => {
    const text = [
      HEADER.trimEnd(),
      'M001,"first line',
      'second line',
      'third line",1987-03-09',
      'M002,b,not-a-date',
      'M003,"x\r\ny",1990-01-01',
      'M004,d,1990-01-02',
    ].join('\n');
    const result = await decodeAll(text, schema, 3);

    expect(result.records.map((record) => [record.line, record.values['member_id']])).toEqual([
      [2, 'M001'],
      [6, 'M003'],
      [8, 'M004'],
    ]);
    expect(result.problems.map(located)).toEqual([
      { code: 'invalid-value', line: 5, endLine: 5, recordIndex: 1, column: 'birth_date' },
    ]);
  });

  it.each([
    {
      case: 'too many fields',
      row: 'M002,b,1990-01-01,extra',
      problems: [{ code: 'field-count', line: 3, endLine: 3, recordIndex: 1 }],
      reasons: ['the record has 4 field(s), but the header has 3'],
    },
    {
      case: 'too few fields',
      row: 'M002,b',
      problems: [{ code: 'field-count', line: 3, endLine: 3, recordIndex: 1 }],
      reasons: ['the record has 2 field(s), but the header has 3'],
    },
    {
      case: 'missing required value',
      row: ',b,1990-01-01',
      problems: [{ code: 'missing-value', line: 3, endLine: 3, recordIndex: 1, column: 'member_id' }],
      reasons: ['member_id is required but has no value (empty or one of nullValues)'],
    },
    {
      case: 'two bad values in one row',
      row: ',b,01/01/1990',
      problems: [
        { code: 'missing-value', line: 3, endLine: 3, recordIndex: 1, column: 'member_id' },
        { code: 'invalid-value', line: 3, endLine: 3, recordIndex: 1, column: 'birth_date' },
      ],
      reasons: [
        'member_id is required but has no value (empty or one of nullValues)',
        'birth_date does not match the date format YYYY-MM-DD',
      ],
    },
    {
      case: 'quote inside an unquoted field',
      row: 'M002,5" tall,1990-01-01',
      problems: [{ code: 'invalid-quote', line: 3, endLine: 3, recordIndex: 1, column: 'note' }],
      reasons: [
        'field 2 (note) has a quote inside an unquoted value; a value with quotes must be enclosed in quotes, with each inner quote doubled',
      ],
    },
    {
      case: 'text after a closing quote, swallowing the next line',
      row: 'M002,"ab"c,1990-01-01\nM003,"x",1990-01-01',
      problems: [{ code: 'invalid-quote', line: 3, endLine: 4, recordIndex: 1, column: 'note' }],
      reasons: ['field 2 (note) has characters after its closing quote; each quote inside a quoted value must be doubled'],
    },
  ])('reports $case and goes on', async ({ row, problems, reasons }) => {
    const text = `${HEADER}M001,a,1987-03-09\n${row}\nM009,z,2000-01-01\n`;
    const result = await decodeAll(text, schema, 4);

    expect(result.problems.map(located)).toEqual(problems);
    expect(result.problems.map((problem) => problem.reason)).toEqual(reasons);
    expect(result.records.map((record) => record.values['member_id'])).toEqual(['M001', 'M009']);
    expect(result.records.map((record) => record.recordIndex)).toEqual([0, 2]);
  });

  it('reports an unclosed quote at the line where it opened', async () => {
    const text = `${HEADER}M001,"two\nlines",1987-03-09\nM002,b,1990-01-01\nM003,"never closed,1990-01-01\nM004,d,1990-01-02\nM005,e,1990-01-03\n`;
    const result = await decodeAll(text, schema, 5);

    expect(result.records.map((record) => [record.line, record.values['member_id']])).toEqual([
      [2, 'M001'],
      [4, 'M002'],
    ]);
    expect(result.problems).toEqual([
      {
        kind: 'problem',
        code: 'unterminated-quote',
        file: FILE,
        line: 5,
        endLine: 7,
        recordIndex: 2,
        column: 'note',
        reason: 'a quote opened at line 5 is never closed, so the rest of the file, to line 7, cannot be read',
      },
    ]);
  });

  it('reports an unclosed quote in a record whose first field spans lines', async () => {
    const text = `${HEADER}"M001\nM001b",a,1987-03-09\n"M002\nM002b","open,1990-01-01\nM003,c,1990-01-01\n`;
    const result = await decodeAll(text, schema);

    expect(result.problems.map(located)).toEqual([
      { code: 'unterminated-quote', line: 5, endLine: 6, recordIndex: 1, column: 'note' },
    ]);
  });

  it('reports consecutive broken records one by one', async () => {
    const text = `${HEADER}M001,5" a,1987-03-09\nM002,6" b,1990-01-01\nM0"03,c,1990-01-01\nM004,d,19"90-01-01\nM005,e,1990-01-02\n`;
    const result = await decodeAll(text, schema, 2);

    expect(result.problems.map(located)).toEqual([
      { code: 'invalid-quote', line: 2, endLine: 2, recordIndex: 0, column: 'note' },
      { code: 'invalid-quote', line: 3, endLine: 3, recordIndex: 1, column: 'note' },
      { code: 'invalid-quote', line: 4, endLine: 4, recordIndex: 2, column: 'member_id' },
      { code: 'invalid-quote', line: 5, endLine: 5, recordIndex: 3, column: 'birth_date' },
    ]);
    expect(result.records.map((record) => [record.line, record.recordIndex])).toEqual([[6, 4]]);
  });

  it('stops at a field longer than maxFieldBytes, keeping the records before it', async () => {
    const rows = Array.from({ length: 300 }, (_, index) => `M${index},n,1990-01-01`);
    const text = `${HEADER}${rows.join('\n')}\nM300,"unclosed ${'x'.repeat(200)}\nM301,a,1990-01-01\n`;
    const result = await decodeAll(text, schema, 16, { maxFieldBytes: 100 });

    expect(result.records).toHaveLength(300);
    expect(result.records.at(-1)?.line).toBe(301);
    expect(result.problems).toEqual([
      {
        kind: 'problem',
        code: 'field-too-large',
        file: FILE,
        line: 302,
        recordIndex: 300,
        column: 'note',
        reason:
          'field 2 (note) is longer than maxFieldBytes (100 bytes), usually because a quote is never closed; the rest of the file was not read',
      },
    ]);
  });

  it('never puts a value in a problem', async () => {
    const secrets = ['Ana Álvarez', '555-12-3456', '02/31/1987', 'OXY"CODONE'];
    const text = `${HEADER},${secrets[0]},1987-03-09\nM002,${secrets[1]},${secrets[2]}\nM003,${secrets[3]},1987-03-09\nM004,"${secrets[1]}\n`;
    const result = await decodeAll(text, schema);
    const written = JSON.stringify(result.problems);

    expect(result.problems.map((problem) => problem.code)).toEqual([
      'missing-value',
      'invalid-value',
      'invalid-quote',
      'unterminated-quote',
    ]);
    for (const secret of secrets) expect(written).not.toContain(secret);
  });

  it('turns a problem into an error with its position', () => {
    const error = CsvDecodeError.fromProblem({
      kind: 'problem',
      code: 'invalid-value',
      file: FILE,
      line: 4,
      endLine: 4,
      recordIndex: 2,
      column: 'birth_date',
      reason: 'birth_date is not a calendar date',
    });

    expect(error.code).toBe('invalid-value');
    expect(error.describe()).toBe(`${FILE}:4 record 2 field birth_date: birth_date is not a calendar date`);
  });
});

describe('decodeCsv encodings', () => {
  const nameSchema: CsvSchemaInput = {
    columns: [
      { name: 'member_id', type: 'string' },
      { name: 'full_name', type: 'string' },
    ],
  };

  it.each([
    { case: 'latin1', encoding: 'latin1', names: ['José Álvarez', 'Zoë Müller', 'François Ñúñez'] },
    { case: 'windows-1252', encoding: 'windows-1252', names: ['Ångström', 'O’Brien “Pat”', 'Œuvre €5'] },
    { case: 'iso-8859-15', encoding: 'iso-8859-15', names: ['Œdipe', 'Šimon €'] },
  ])('decodes $case names', async ({ encoding, names }) => {
    const text = `member_id,full_name\r\n${names.map((name, index) => `M${index},"${name}"`).join('\r\n')}\r\n`;
    const result = await decodeAll(iconv.encode(text, encoding), { ...nameSchema, encoding }, 3);

    expect(result.problems).toEqual([]);
    expect(result.records.map((record) => record.values['full_name'])).toEqual(names);
  });

  it.each([
    { case: 'invalid UTF-8 sequence', encoding: 'utf-8', bad: [0xc3, 0x28] },
    { case: 'truncated UTF-8 sequence', encoding: 'utf-8', bad: [0xe2, 0x82] },
    { case: 'byte undefined in windows-1252', encoding: 'windows-1252', bad: [0x81] },
    { case: 'byte above 0x7f in ascii', encoding: 'ascii', bad: [0xe9] },
  ])('quarantines a row with an $case', async ({ encoding, bad }) => {
    const bytes = Buffer.concat([
      Buffer.from('member_id,full_name\nM001,Ana\nM002,Jo'),
      Buffer.from(bad),
      Buffer.from('se\nM003,Bo\n'),
    ]);
    const result = await decodeAll(bytes, { ...nameSchema, encoding });

    expect(result.problems).toEqual([
      {
        kind: 'problem',
        code: 'invalid-encoding',
        file: FILE,
        line: 3,
        endLine: 3,
        recordIndex: 1,
        column: 'full_name',
        reason: `full_name contains bytes that are not valid ${encoding}`,
      },
    ]);
    expect(result.records.map((record) => record.values['member_id'])).toEqual(['M001', 'M003']);
  });

  it('rejects a chunk that is not bytes', async () => {
    async function* strings(): AsyncGenerator<Uint8Array> {
      yield 'member_id,full_name\n' as unknown as Uint8Array;
    }
    const items = decodeCsv(strings(), nameSchema, { file: FILE });

    await expect(items.next()).rejects.toThrow(new CsvDecodeError('chunk 0 of the input is not bytes but a string'));
  });

  it('rejects a maxFieldBytes below 1', async () => {
    const items = decodeCsv(chunksOf(Buffer.from('a'), 1), nameSchema, { file: FILE, maxFieldBytes: 0 });

    await expect(items.next()).rejects.toThrow('maxFieldBytes must be a positive integer, got 0');
  });
});
