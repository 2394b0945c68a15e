// Real DuckDB writes real Parquet files into Hive-style folders in a temp folder; nothing is faked.
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { openTestDuckDb, writeParquet, type TestDuckDb } from './__fixtures__/parquet-fixtures';
import { SchemaInferenceError } from './errors';
import { inferTableFromFolder, listParquetFiles } from './folder-walk';

let duckDb: TestDuckDb;
let folder: string;

beforeAll(async () => {
  duckDb = await openTestDuckDb();
});

afterAll(() => {
  duckDb.close();
});

beforeEach(async () => {
  folder = await makeTempDir();
});

afterEach(async () => {
  await removeTempDir(folder);
});

function write(relativePath: string, selectSql: string): Promise<string> {
  return writeParquet(duckDb.connection, folder, relativePath, selectSql);
}

async function inferenceErrorOf(tableFolder: string): Promise<SchemaInferenceError> {
  try {
    await inferTableFromFolder(tableFolder);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaInferenceError);
    return error as SchemaInferenceError;
  }
  throw new Error('expected inferTableFromFolder to raise');
}

describe('inferTableFromFolder', () => {
  it('merges a column added in a later partition', async () => {
    await write(
      'admit_month=2024-01/part-0.parquet',
      `SELECT 'e-1' AS encounter_id, 'EAST' AS facility`,
    );
    await write(
      'admit_month=2024-02/part-0.parquet',
      `SELECT 'e-2' AS encounter_id, 'home' AS discharge_disposition, 'WEST' AS facility`,
    );

    const table = await inferTableFromFolder(folder);

    expect(table.columns).toEqual([
      {
        name: 'encounter_id',
        type: 'string',
        seenIn: 'partition admit_month=2024-01 (file part-0.parquet)',
      },
      {
        name: 'facility',
        type: 'string',
        seenIn: 'partition admit_month=2024-01 (file part-0.parquet)',
      },
      {
        name: 'discharge_disposition',
        type: 'string',
        seenIn: 'partition admit_month=2024-02 (file part-0.parquet)',
      },
    ]);
    expect(table.partitionKeys).toEqual([{ name: 'admit_month', type: 'string' }]);
    expect(table.partitions).toEqual([
      { values: ['2024-01'], folder: 'admit_month=2024-01', fileCount: 1 },
      { values: ['2024-02'], folder: 'admit_month=2024-02', fileCount: 1 },
    ]);
    expect(table.widenings).toEqual([]);
    expect(table.fileCount).toBe(2);
  });

  it.each([
    {
      case: 'int and bigint',
      narrow: 'SELECT 3::INTEGER AS length_of_stay',
      wide: 'SELECT 3000000000::BIGINT AS length_of_stay',
      from: 'int',
      to: 'bigint',
    },
    {
      case: 'float and double',
      narrow: 'SELECT 70.5::FLOAT AS length_of_stay',
      wide: 'SELECT 70.25::DOUBLE AS length_of_stay',
      from: 'float',
      to: 'double',
    },
  ])('widens $case across partitions', async ({ narrow, wide, from, to }) => {
    // The wider type comes first, so the result cannot depend on the last file read.
    await write('admit_month=2024-01/part-0.parquet', wide);
    await write('admit_month=2024-02/part-0.parquet', narrow);

    const table = await inferTableFromFolder(folder);

    expect(table.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      `length_of_stay:${to}`,
    ]);
    expect(table.widenings).toEqual([
      {
        column: 'length_of_stay',
        from,
        to,
        seenIn: 'partition admit_month=2024-02 (file part-0.parquet)',
        message: `column "length_of_stay" is ${from} in partition admit_month=2024-02 (file part-0.parquet) but ${to} in partition admit_month=2024-01 (file part-0.parquet), so it registers as ${to}`,
      },
    ]);
  });

  it('rejects string and int naming both partitions', async () => {
    await write('admit_month=2024-01/part-0.parquet', `SELECT 'EAST' AS facility`);
    await write('admit_month=2024-02/part-0.parquet', `SELECT 3 AS facility`);
    await write('admit_month=2024-03/part-0.parquet', `SELECT 4 AS facility`);

    const error = await inferenceErrorOf(folder);

    expect(error.issues).toEqual([
      {
        kind: 'type-conflict',
        keyPath: 'admit_month=2024-02/part-0.parquet',
        message:
          'column "facility" is string in partition admit_month=2024-01 (file part-0.parquet) but int in partition admit_month=2024-02 (file part-0.parquet), and neither type reads as the other',
      },
    ]);
    expect(error.message).toBe(
      `cannot infer a schema from ${folder}: admit_month=2024-02/part-0.parquet: ${error.issues[0]?.message}`,
    );
    expect(error.hint).toMatch(/^Athena fails queries/);
  });

  it('types integer, date and null partition values', async () => {
    await write(
      'admit_year=2023/admit_date=2023-12-31/part-0.parquet',
      `SELECT 'e-1' AS encounter_id`,
    );
    await write(
      'admit_year=2024/admit_date=2024-01-01/part-0.parquet',
      `SELECT 'e-2' AS encounter_id`,
    );
    await write(
      'admit_year=2024/admit_date=2024-01-01/part-1.parquet',
      `SELECT 'e-3' AS encounter_id`,
    );
    await write(
      'admit_year=__HIVE_DEFAULT_PARTITION__/admit_date=__HIVE_DEFAULT_PARTITION__/part-0.parquet',
      `SELECT 'e-4' AS encounter_id`,
    );

    const table = await inferTableFromFolder(folder);

    expect(table.partitionKeys).toEqual([
      { name: 'admit_year', type: 'bigint' },
      { name: 'admit_date', type: 'date' },
    ]);
    expect(table.partitions).toEqual([
      {
        values: ['2023', '2023-12-31'],
        folder: 'admit_year=2023/admit_date=2023-12-31',
        fileCount: 1,
      },
      {
        values: ['2024', '2024-01-01'],
        folder: 'admit_year=2024/admit_date=2024-01-01',
        fileCount: 2,
      },
      {
        values: [null, null],
        folder: 'admit_year=__HIVE_DEFAULT_PARTITION__/admit_date=__HIVE_DEFAULT_PARTITION__',
        fileCount: 1,
      },
    ]);
  });

  it('decodes escaped partition values', async () => {
    await write('source_system=ADT%2FEAST/part-0.parquet', `SELECT 'm-1' AS message_control_id`);

    const table = await inferTableFromFolder(folder);

    expect(table.partitions).toEqual([
      { values: ['ADT/EAST'], folder: 'source_system=ADT%2FEAST', fileCount: 1 },
    ]);
  });

  it.each([
    {
      case: 'other keys',
      paths: ['admit_month=2024-01/part-0.parquet', 'facility=EAST/part-0.parquet'],
      message:
        'is under partition keys facility, but admit_month=2024-01/part-0.parquet is under partition keys admit_month',
    },
    {
      case: 'keys in another order',
      paths: [
        'admit_month=2024-01/facility=EAST/a.parquet',
        'facility=WEST/admit_month=2024-02/b.parquet',
      ],
      message:
        'is under partition keys facility/admit_month, but admit_month=2024-01/facility=EAST/a.parquet is under partition keys admit_month/facility',
    },
    {
      case: 'file at the top',
      paths: ['admit_month=2024-01/part-0.parquet', 'stray.parquet'],
      message:
        'is under no partition folders, but admit_month=2024-01/part-0.parquet is under partition keys admit_month',
    },
  ])('rejects partition layouts with $case', async ({ paths, message }) => {
    for (const path of paths) await write(path, `SELECT 'e-1' AS encounter_id`);

    const error = await inferenceErrorOf(folder);

    expect(error.issues.map((issue) => [issue.kind, issue.message])).toEqual([
      ['partition-layout', message],
    ]);
  });

  it('rejects a folder that is not a partition folder', async () => {
    await write('admit_month=2024-01/archive/part-0.parquet', `SELECT 'e-1' AS encounter_id`);
    await write('admit_month=2024-01/archive/part-1.parquet', `SELECT 'e-2' AS encounter_id`);

    const error = await inferenceErrorOf(folder);

    expect(error.issues).toEqual([
      {
        kind: 'partition-layout',
        keyPath: 'admit_month=2024-01/archive',
        message: 'is not a key=value partition folder, but it contains Parquet files',
      },
    ]);
  });

  it('rejects a partition key stored in the files', async () => {
    await write('facility=EAST/part-0.parquet', `SELECT 'e-1' AS encounter_id, 'EAST' AS facility`);

    const error = await inferenceErrorOf(folder);

    expect(error.issues).toEqual([
      {
        kind: 'partition-key-in-file',
        keyPath: 'facility=EAST/part-0.parquet',
        message: 'column "facility" has the name of a partition key',
      },
    ]);
  });

  it('rejects an invalid partition key name', async () => {
    await write('Facility=EAST/part-0.parquet', `SELECT 'e-1' AS encounter_id`);

    const error = await inferenceErrorOf(folder);

    expect(error.issues.map((issue) => [issue.kind, issue.message])).toEqual([
      [
        'invalid-name',
        'invalid partition key name "Facility": a name may contain only lower case letters a-z, digits 0-9 and "_"',
      ],
    ]);
  });

  it('rejects a folder without Parquet files', async () => {
    await mkdir(join(folder, '_state'));
    await write('_state/commit.parquet', `SELECT 1 AS version`);

    const error = await inferenceErrorOf(folder);

    expect(error.message).toBe(`cannot infer a schema from ${folder}: no Parquet files found`);
  });
});

describe('listParquetFiles', () => {
  it('skips hidden names, other files and links', async () => {
    await write('admit_month=2024-01/part-0.parquet', `SELECT 'e-1' AS encounter_id`);
    await write('_source=x/part-0.parquet', `SELECT 'e-2' AS encounter_id`);
    await write('_state/snapshot.parquet', `SELECT 1 AS version`);
    await write('.staging/part-9.parquet', `SELECT 1 AS version`);
    await writeFile(join(folder, '_SUCCESS'), '');
    await writeFile(join(folder, 'admit_month=2024-01', '.part-0.parquet.crc'), '');
    await writeFile(join(folder, 'admit_month=2024-01', '_part-1.parquet'), '');
    await writeFile(join(folder, 'README.txt'), 'not data');
    await symlink(join(folder, 'admit_month=2024-01'), join(folder, 'admit_month=2024-09'));

    const listing = await listParquetFiles(folder);

    expect(listing.files.map((file) => file.label)).toEqual(['admit_month=2024-01/part-0.parquet']);
    expect(listing.files[0]?.partition).toEqual([{ key: 'admit_month', value: '2024-01' }]);
    expect(listing.files[0]?.path).toBe(join(folder, 'admit_month=2024-01', 'part-0.parquet'));
    // _source=x, _state, .staging, _SUCCESS, the .crc file, _part-1.parquet, README.txt and the link.
    expect(listing.skippedCount).toBe(8);
    expect(listing.issues).toEqual([]);
  });
});
