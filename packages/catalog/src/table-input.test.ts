// Real validation of table definitions, with no catalog and nothing faked.
import { InvalidTableInputError } from './errors';
import { isSameDefinition, normalizeTableInput } from './table-input';
import { PARQUET_STORAGE_FORMAT, type TableInput } from './catalog';
import { encountersInput } from './__fixtures__/catalog-fixtures';

function issuesOf(input: TableInput): unknown {
  try {
    normalizeTableInput(input);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidTableInputError);
    return (error as InvalidTableInputError).issues;
  }
  throw new Error('expected normalizeTableInput to raise');
}

describe('normalizeTableInput', () => {
  it('fills defaults', () => {
    const definition = normalizeTableInput({
      database: 'raw',
      name: 'feed',
      location: 'raw/raw/feed/',
      columns: [{ name: 'line', type: 'string' }],
    });
    expect(definition).toEqual({
      database: 'raw',
      name: 'feed',
      tableType: 'EXTERNAL_TABLE',
      location: 'raw/raw/feed/',
      columns: [{ name: 'line', type: 'string', parameters: {} }],
      partitionKeys: [],
      parameters: {},
      storage: PARQUET_STORAGE_FORMAT,
    });
  });

  it.each([
    {
      case: 'partition key among columns',
      change: (input: TableInput) => input.columns.push({ name: 'admit_month', type: 'string' }),
      issues: [
        {
          keyPath: 'partitionKeys[0].name',
          message:
            'column "admit_month" is already declared at columns[3].name. Leave partition keys out of columns',
        },
      ],
    },
    {
      case: 'duplicate column',
      change: (input: TableInput) => input.columns.push({ name: 'patient_key', type: 'string' }),
      issues: [
        {
          keyPath: 'columns[3].name',
          message: 'column "patient_key" is already declared at columns[1].name',
        },
      ],
    },
    {
      case: 'unknown type',
      change: (input: TableInput) =>
        input.columns.push({ name: 'amount', type: 'decimal(10,2)' as 'double' }),
      issues: [
        {
          keyPath: 'columns[3].type',
          message:
            'column "amount" has type "decimal(10,2)", expected one of string, int, bigint, double, boolean, date, timestamp',
        },
      ],
    },
    {
      case: 'comment over 255 bytes',
      change: (input: TableInput) => (input.columns[0]!.comment = 'é'.repeat(128)),
      issues: [
        {
          keyPath: 'columns[0].comment',
          message: 'comment of column "encounter_key" is 256 bytes, Glue allows at most 255',
        },
      ],
    },
    {
      case: 'description over 2048 bytes',
      change: (input: TableInput) => (input.description = 'd'.repeat(2049)),
      issues: [
        { keyPath: 'description', message: 'description is 2049 bytes, Glue allows at most 2048' },
      ],
    },
    {
      case: 'parameter key over 255 bytes',
      change: (input: TableInput) =>
        (input.parameters = { [`carelake.tag.${'t'.repeat(250)}`]: 'x' }),
      issues: [
        {
          keyPath: 'parameters',
          message: expect.stringContaining('is 263 bytes, Glue allows 1 to 255'),
        },
      ],
    },
    {
      case: 'no data columns',
      change: (input: TableInput) => (input.columns = []),
      issues: [
        {
          keyPath: 'columns',
          message: 'a table needs at least one column besides its partition keys',
        },
      ],
    },
    {
      case: 'empty location',
      change: (input: TableInput) => (input.location = ' '),
      issues: [
        {
          keyPath: 'location',
          message: 'location is empty, expected the lake key prefix or s3:// URI of the data files',
        },
      ],
    },
  ])('rejects $case', ({ change, issues }) => {
    const input = encountersInput();
    change(input);
    expect(issuesOf(input)).toEqual(issues);
  });

  it('reports all problems at once', () => {
    const input = encountersInput();
    input.location = '';
    input.columns.push({ name: 'patient_key', type: 'string' });
    input.columns[0]!.comment = 'c'.repeat(300);
    const issues = issuesOf(input) as Array<{ keyPath: string }>;
    expect(issues.map((issue) => issue.keyPath)).toEqual([
      'location',
      'columns[0].comment',
      'columns[3].name',
    ]);
  });
});

describe('isSameDefinition', () => {
  it('ignores parameter key order', () => {
    const first = encountersInput();
    const second = encountersInput();
    second.parameters = { 'carelake.owner': 'data-engineering', classification: 'parquet' };
    expect(isSameDefinition(normalizeTableInput(first), normalizeTableInput(second))).toBe(true);
  });

  it('sees column order', () => {
    const first = encountersInput();
    const second = encountersInput();
    second.columns.reverse();
    expect(isSameDefinition(normalizeTableInput(first), normalizeTableInput(second))).toBe(false);
  });
});
