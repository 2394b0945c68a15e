// Real: the zod schema and parseCsvSchema on literal schema objects, as a pipeline file would hold them; nothing is faked.
import { ConfigError } from '@carelake/core';
import { parseCsvSchema } from './schema';

const validColumns = [
  { name: 'member_id', header: 'Member ID', type: 'string', required: true },
  { name: 'birth_date', type: 'date', format: 'MM/DD/YYYY' },
];

/** Returns the issues `parseCsvSchema` reports, as `keyPath: message` lines. */
function issuesOf(value: unknown): string[] {
  try {
    parseCsvSchema(value);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => `${issue.keyPath}: ${issue.message}`);
    throw error;
  }
  throw new Error('expected the schema to be rejected');
}

describe('parseCsvSchema', () => {
  it('applies the defaults', () => {
    const schema = parseCsvSchema({ columns: [{ name: 'member_id', type: 'string' }] });

    expect(schema).toEqual({
      delimiter: ',',
      quote: '"',
      encoding: 'utf-8',
      header: true,
      extraColumns: 'reject',
      trim: false,
      columns: [{ name: 'member_id', type: 'string', required: false, nullValues: [''] }],
    });
  });

  it.each([
    {
      case: 'unknown type',
      schema: { columns: [...validColumns, { name: 'a', type: 'text' }] },
      issue: 'decode.schema.columns[2].type: Invalid option: expected one of "string"|"integer"|"decimal"|"boolean"|"date"|"timestamp"',
    },
    {
      case: 'column name with capitals',
      schema: { columns: [{ name: 'MemberId', type: 'string' }] },
      issue: 'decode.schema.columns[0].name: must be lower case letters, digits and "_", starting with a letter',
    },
    {
      case: 'column name starting with a digit',
      schema: { columns: [{ name: '2nd_address', type: 'string' }] },
      issue: 'decode.schema.columns[0].name: must be lower case letters, digits and "_", starting with a letter',
    },
    {
      case: 'bad date format',
      schema: { columns: [...validColumns, { name: 'visit', type: 'date', format: 'DD/MM/YY' }] },
      issue: 'decode.schema.columns[2].format: date format "DD/MM/YY" has a year shorter than YYYY, which is not supported because its century would be a guess',
    },
    {
      case: 'format on a string column',
      schema: { columns: [{ name: 'a', type: 'string', format: 'YYYY' }] },
      issue: 'decode.schema.columns[0].format: applies only to date and timestamp columns, and this column is string',
    },
    {
      case: 'trueValues on an integer column',
      schema: { columns: [{ name: 'a', type: 'integer', trueValues: ['1'] }] },
      issue: 'decode.schema.columns[0].trueValues: applies only to boolean columns, and this column is integer',
    },
    {
      case: 'value both true and false',
      schema: { columns: [{ name: 'a', type: 'boolean', trueValues: ['Y'], falseValues: ['N', 'y'] }] },
      issue: 'decode.schema.columns[0].falseValues: "y" is also in trueValues',
    },
    {
      case: 'scale above precision',
      schema: { columns: [{ name: 'a', type: 'decimal', precision: 4, scale: 6 }] },
      issue: 'decode.schema.columns[0].scale: must not exceed the precision (4)',
    },
    {
      case: 'scale without precision',
      schema: { columns: [{ name: 'a', type: 'decimal', scale: 2 }] },
      issue: 'decode.schema.columns[0].scale: needs a precision too, such as precision: 10 with scale: 2',
    },
    {
      case: 'repeated column name',
      schema: { columns: [...validColumns, { name: 'member_id', header: 'Subscriber', type: 'string' }] },
      issue: 'decode.schema.columns[2].name: repeats the name of columns[0]',
    },
    {
      case: 'two columns for one header',
      schema: { columns: [...validColumns, { name: 'member_key', header: 'Member ID', type: 'string' }] },
      issue: 'decode.schema.columns[2].header: maps the same file header as columns[0]',
    },
    {
      case: 'header name without a header row',
      schema: { header: false, columns: validColumns },
      issue: 'decode.schema.columns[0].header: has no effect because header is false; remove it, or set header: true',
    },
    {
      case: 'two-character delimiter',
      schema: { delimiter: '||', columns: validColumns },
      issue: 'decode.schema.delimiter: must be one character, got 2',
    },
    {
      case: 'line break as quote',
      schema: { quote: '\n', columns: validColumns },
      issue: 'decode.schema.quote: must not be a line break',
    },
    {
      case: 'delimiter equal to quote',
      schema: { delimiter: '"', columns: validColumns },
      issue: 'decode.schema.quote: must differ from the delimiter',
    },
    {
      case: 'delimiter outside the encoding',
      schema: { encoding: 'latin1', delimiter: '€', columns: validColumns },
      issue: 'decode.schema.delimiter: cannot be written in latin1',
    },
    {
      case: 'unknown encoding',
      schema: { encoding: 'klingon', columns: validColumns },
      issue: 'decode.schema.encoding: encoding "klingon" is not known; use utf-8, latin1, windows-1252 or another single-byte encoding',
    },
    {
      case: 'multi-byte encoding',
      schema: { encoding: 'utf-16le', columns: validColumns },
      issue: 'decode.schema.encoding: encoding "utf-16le" is not supported: only utf-8 and single-byte encodings that extend ASCII are; convert the file to utf-8',
    },
    {
      case: 'unknown key',
      schema: { columns: validColumns, seperator: ';' },
      issue: 'decode.schema: Unrecognized key: "seperator"',
    },
    {
      case: 'no columns',
      schema: { columns: [] },
      issue: 'decode.schema.columns: Too small: expected array to have >=1 items',
    },
  ])('names the key path: $case', ({ schema, issue }) => {
    expect(issuesOf(schema)).toEqual([issue]);
  });

  it('reports every problem of several columns at once', () => {
    const issues = issuesOf({
      columns: [
        { name: 'a', type: 'integer', format: 'YYYY-MM-DD' },
        { name: 'b', type: 'date', format: 'yyyy' },
        { name: 'c', type: 'string', precision: 3 },
      ],
    });

    expect(issues.map((issue) => issue.split(':')[0])).toEqual([
      'decode.schema.columns[0].format',
      'decode.schema.columns[1].format',
      'decode.schema.columns[2].precision',
    ]);
  });

  it('prefixes issues with the key path given', () => {
    let caught: unknown;
    try {
      parseCsvSchema({ columns: [{ name: 'a', type: 'text' }] }, 'feeds.eligibility');
    } catch (error) {
      caught = error;
    }

    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).message).toBe('feeds.eligibility has 1 invalid setting(s)');
    expect((caught as ConfigError).issues[0]?.keyPath).toBe('feeds.eligibility.columns[0].type');
  });

  it.each([
    { case: 'windows-1252', encoding: 'windows-1252' },
    { case: 'latin1 in capitals', encoding: 'ISO-8859-1' },
    { case: 'utf8 without dash', encoding: 'UTF8' },
  ])('accepts the encoding $case', ({ encoding }) => {
    expect(parseCsvSchema({ encoding, delimiter: ';', columns: validColumns }).encoding).toBe(encoding);
  });
});
