// Real: decodeCsv with csv-parse over in-memory bytes, cut into chunks of 1, 2, 5 and 64 Ki bytes; nothing is faked.
import { decodeAll, FILE } from './__fixtures__/input';
import { collectCsv, decodeCsv } from './decode';
import type { CsvSchemaInput } from './schema';

const schema: CsvSchemaInput = {
  columns: [
    { name: 'member_id', type: 'string' },
    { name: 'note', type: 'string' },
  ],
};

/** Each record as [line, member_id, note]. */
type Expected = Array<[number, string | null, string | null]>;

const CHUNK_SIZES = [1, 2, 5, 64 * 1024];

describe('decodeCsv RFC 4180 parsing', () => {
  it.each<{ case: string; text: string; records: Expected; options?: Record<string, unknown> }>([
    {
      case: 'quoted fields',
      text: 'member_id,note\n"M001","plain"\n',
      records: [[2, 'M001', 'plain']],
    },
    {
      case: 'doubled quotes',
      text: 'member_id,note\nM001,"patient said ""no"" twice"\nM002,""""\n',
      records: [
        [2, 'M001', 'patient said "no" twice'],
        [3, 'M002', '"'],
      ],
    },
    {
      case: 'delimiter inside quotes',
      text: 'member_id,note\nM001,"Smith, John"\n',
      records: [[2, 'M001', 'Smith, John']],
    },
    {
      case: 'LF inside quotes',
      text: 'member_id,note\nM001,"line one\nline two"\nM002,after\n',
      records: [
        [2, 'M001', 'line one\nline two'],
        [4, 'M002', 'after'],
      ],
    },
    {
      case: 'CRLF inside quotes',
      text: 'member_id,note\r\nM001,"line one\r\nline two\r\nline three"\r\nM002,after\r\n',
      records: [
        [2, 'M001', 'line one\r\nline two\r\nline three'],
        [5, 'M002', 'after'],
      ],
    },
    {
      case: 'CRLF line endings',
      text: 'member_id,note\r\nM001,a\r\nM002,b\r\n',
      records: [
        [2, 'M001', 'a'],
        [3, 'M002', 'b'],
      ],
    },
    {
      case: 'LF line endings',
      text: 'member_id,note\nM001,a\nM002,b\n',
      records: [
        [2, 'M001', 'a'],
        [3, 'M002', 'b'],
      ],
    },
    {
      case: 'CR line endings',
      text: 'member_id,note\rM001,a\rM002,b\r',
      records: [
        [2, 'M001', 'a'],
        [3, 'M002', 'b'],
      ],
    },
    {
      case: 'mixed line endings',
      text: 'member_id,note\r\nM001,a\nM002,b\rM003,c\r\n',
      records: [
        [2, 'M001', 'a'],
        [3, 'M002', 'b'],
        [4, 'M003', 'c'],
      ],
    },
    {
      case: 'byte-order mark stripped',
      text: '\uFEFFmember_id,note\nM001,a\n',
      records: [[2, 'M001', 'a']],
    },
    {
      case: 'last line without line ending',
      text: 'member_id,note\nM001,a\nM002,"b"',
      records: [
        [2, 'M001', 'a'],
        [3, 'M002', 'b'],
      ],
    },
    {
      case: 'blank lines skipped',
      text: '\nmember_id,note\r\n\r\nM001,a\n\n  \nM002,b\n\n\n',
      records: [
        [4, 'M001', 'a'],
        [7, 'M002', 'b'],
      ],
    },
    {
      case: 'empty and quoted empty fields are null',
      text: 'member_id,note\nM001,\nM002,""\n,x\n',
      records: [
        [2, 'M001', null],
        [3, 'M002', null],
        [4, null, 'x'],
      ],
    },
    {
      case: 'spaces kept without trim',
      text: 'member_id,note\n M001 ," a "\n',
      records: [[2, ' M001 ', ' a ']],
    },
    {
      case: 'spaces removed with trim',
      text: 'member_id,note\n M001 ," a "\n',
      records: [[2, 'M001', 'a']],
      options: { trim: true },
    },
    {
      case: 'semicolon and single quote',
      text: "member_id;note\nM001;'O''Brien; Pat'\n",
      records: [[2, 'M001', "O'Brien; Pat"]],
      options: { delimiter: ';', quote: "'" },
    },
    {
      case: 'tab delimiter',
      text: 'member_id\tnote\nM001\t"a\tb"\n',
      records: [[2, 'M001', 'a\tb']],
      options: { delimiter: '\t' },
    },
    {
      case: 'multi-byte text across chunks',
      text: 'member_id,note\nM001,"Zoë Müller, 日本"\n',
      records: [[2, 'M001', 'Zoë Müller, 日本']],
    },
  ])('reads $case', async ({ text, records, options }) => {
    for (const chunkBytes of CHUNK_SIZES) {
      const result = await decodeAll(text, { ...schema, ...options }, chunkBytes);
      const read = result.records.map((record) => [record.line, record.values['member_id'], record.values['note']]);

      expect({ chunkBytes, problems: result.problems }).toEqual({ chunkBytes, problems: [] });
      expect({ chunkBytes, records: read }).toEqual({ chunkBytes, records });
    }
  });

  it('numbers records from 0 after the header', async () => {
    const result = await decodeAll('member_id,note\n\nM001,a\nM002,b\n', schema);

    expect(result.records.map((record) => record.recordIndex)).toEqual([0, 1]);
  });

  it('reads a file without a header row in schema order', async () => {
    const result = await decodeAll('M001,a\r\n\r\nM002,b', { ...schema, header: false });

    expect(result.records.map((record) => [record.line, record.recordIndex, record.values])).toEqual([
      [1, 0, { member_id: 'M001', note: 'a' }],
      [3, 1, { member_id: 'M002', note: 'b' }],
    ]);
  });

  it('reads one byte array as well as chunks', async () => {
    const bytes = Buffer.from('member_id,note\nM001,"x\ny"\nM002,z\n');
    const result = await collectCsv(decodeCsv(bytes, schema, { file: FILE }));

    expect(result.records.map((record) => [record.line, record.values['note']])).toEqual([
      [2, 'x\ny'],
      [4, 'z'],
    ]);
  });
});
