// Real DuckDB writes and reads real Parquet files in a temp folder; nothing is faked.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { openTestDuckDb, writeParquet, type TestDuckDb } from './__fixtures__/parquet-fixtures';
import { SchemaInferenceError } from './errors';
import { inferParquetSchema, type InferParquetSchemaRequest } from './parquet-schema';

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

async function inferenceErrorOf(request: InferParquetSchemaRequest): Promise<SchemaInferenceError> {
  try {
    await inferParquetSchema(request);
  } catch (error) {
    expect(error).toBeInstanceOf(SchemaInferenceError);
    return error as SchemaInferenceError;
  }
  throw new Error('expected inferParquetSchema to raise');
}

describe('inferParquetSchema', () => {
  it('maps every supported file type', async () => {
    const path = await writeParquet(
      duckDb.connection,
      folder,
      'observations.parquet',
      `SELECT 'obs-1' AS observation_id, true AS is_final, 3::TINYINT AS priority, 12::SMALLINT AS panel_size,
              7::INTEGER AS sequence, 9000000000::BIGINT AS message_number, 36.6::FLOAT AS body_temperature,
              5.25::DOUBLE AS value_quantity, DATE '2024-03-01' AS effective_date,
              TIMESTAMP '2024-03-01 10:15:00' AS issued_at, TIMESTAMPTZ '2024-03-01 10:15:00+00' AS received_at,
              TIMESTAMP_NS '2024-03-01 10:15:00' AS ingested_at`,
    );

    const schema = await inferParquetSchema({ files: [{ path, label: 'observations.parquet' }] });

    expect(schema.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
      'observation_id:string',
      'is_final:boolean',
      'priority:int',
      'panel_size:int',
      'sequence:int',
      'message_number:bigint',
      'body_temperature:double',
      'value_quantity:double',
      'effective_date:date',
      'issued_at:timestamp',
      'received_at:timestamp',
      'ingested_at:timestamp',
    ]);
    expect(schema.widenings.map((widening) => widening.message)).toEqual([
      'column "priority" is tinyint in file observations.parquet, which registers as int',
      'column "panel_size" is smallint in file observations.parquet, which registers as int',
      'column "body_temperature" is float in file observations.parquet, which registers as double',
    ]);
    expect(schema.partitionKeys).toEqual([]);
    expect(schema.partitions).toEqual([]);
    expect(schema.fileCount).toBe(1);
  });

  it('names the file and column of unsupported types', async () => {
    const path = await writeParquet(
      duckDb.connection,
      folder,
      'claims.parquet',
      `SELECT 'c-1' AS claim_id, 12.50::DECIMAL(10,2) AS charge_amount, uuid() AS claim_uuid,
              TIME '08:30' AS admit_time, [1, 2] AS diagnosis_ranks, {'code': 'X'} AS payer,
              'ab'::BLOB AS attachment`,
    );

    const error = await inferenceErrorOf({
      files: [{ path, label: 'claims.parquet' }],
      source: 'raw/claims/',
    });

    expect(error.issues.map((issue) => [issue.kind, issue.keyPath, issue.message])).toEqual([
      [
        'unsupported-type',
        'claims.parquet',
        'column "charge_amount" has type DECIMAL(10,2), a decimal, which has no catalog column type, and reading it as double would round it',
      ],
      [
        'unsupported-type',
        'claims.parquet',
        'column "claim_uuid" has type UUID, a UUID, which has no catalog column type',
      ],
      [
        'unsupported-type',
        'claims.parquet',
        'column "admit_time" has type TIME, a time of day, which has no catalog column type',
      ],
      [
        'unsupported-type',
        'claims.parquet',
        'column "diagnosis_ranks" has type INTEGER[], a nested type, which the catalog cannot register',
      ],
      [
        'unsupported-type',
        'claims.parquet',
        'column "payer" has type STRUCT(code VARCHAR), a nested type, which the catalog cannot register',
      ],
      [
        'unsupported-type',
        'claims.parquet',
        'column "attachment" has type BLOB, binary, which has no catalog column type',
      ],
    ]);
    expect(error.message).toBe('cannot infer a schema from raw/claims/: 6 problems');
    expect(error.hint).toBe(
      'Write such columns as string, int, bigint, double, boolean, date or timestamp, or move those files out of the table folder.',
    );
  });

  it('reports a problem repeated across files once', async () => {
    const files = [];
    for (const name of ['part-0.parquet', 'part-1.parquet', 'part-2.parquet']) {
      const path = await writeParquet(
        duckDb.connection,
        folder,
        name,
        `SELECT 1.5::DECIMAL(4,1) AS dose`,
      );
      files.push({ path, label: name });
    }

    const error = await inferenceErrorOf({ files });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.keyPath).toBe('part-0.parquet');
    expect(error.issues[0]?.message).toMatch(/\(also in 2 other files\)$/);
  });

  it('reports a file that is not Parquet', async () => {
    const path = join(folder, 'truncated.parquet');
    await writeFile(path, 'PAR1 cut short');

    const error = await inferenceErrorOf({ files: [{ path, label: 'truncated.parquet' }] });

    expect(error.issues).toHaveLength(1);
    expect(error.issues[0]?.kind).toBe('unreadable-file');
    expect(error.issues[0]?.message).toMatch(/^cannot be read as Parquet: .*truncated\.parquet/);
    // Errors from the DuckDB addon come from another realm, so `toBeInstanceOf(Error)` cannot match them.
    expect(String((error.cause as { message?: unknown }).message)).toMatch(/truncated\.parquet/);
  });

  // DuckDB reads a path as a glob pattern, so each name would also match its decoy.
  it.each([
    { case: '[', name: 'lab[1].parquet', decoy: 'lab1.parquet' },
    { case: '*', name: 'lab*.parquet', decoy: 'lab(.parquet' },
    { case: '?', name: 'lab?.parquet', decoy: 'lab(.parquet' },
  ])('reads a file name with $case', async ({ name, decoy }) => {
    await writeParquet(duckDb.connection, folder, decoy, `SELECT 'wrong file' AS decoy`);
    const path = await writeParquet(duckDb.connection, folder, name, `SELECT 'x' AS specimen_id`);

    const schema = await inferParquetSchema({ files: [{ path }] });

    expect(schema.columns.map((column) => column.name)).toEqual(['specimen_id']);
  });

  it('rejects a relative path', async () => {
    const error = await inferenceErrorOf({ files: [{ path: 'curated/clinical/part-0.parquet' }] });

    expect(error.issues).toEqual([
      {
        kind: 'not-local',
        keyPath: 'curated/clinical/part-0.parquet',
        message: 'the path is not an absolute local path',
      },
    ]);
  });

  it('rejects column names Athena cannot query', async () => {
    const path = await writeParquet(
      duckDb.connection,
      folder,
      'feed.parquet',
      `SELECT 'x' AS "Patient Class"`,
    );

    const error = await inferenceErrorOf({ files: [{ path, label: 'feed.parquet' }] });

    expect(error.issues).toEqual([
      {
        kind: 'invalid-name',
        keyPath: 'feed.parquet',
        message:
          'invalid column name "Patient Class": a name may contain only lower case letters a-z, digits 0-9 and "_"',
      },
    ]);
  });

  it('rejects an empty file list', async () => {
    const error = await inferenceErrorOf({ files: [], source: 'curated/clinical/encounters/' });

    expect(error.message).toBe(
      'cannot infer a schema from curated/clinical/encounters/: no Parquet files found',
    );
    expect(error.issues.map((issue) => issue.kind)).toEqual(['no-files']);
  });

  it('leaves the caller connection open', async () => {
    const path = await writeParquet(
      duckDb.connection,
      folder,
      'a.parquet',
      `SELECT 1 AS encounter_count`,
    );

    await inferParquetSchema({ files: [{ path }], connection: duckDb.connection });
    const reader = await duckDb.connection.runAndReadAll('SELECT 41 + 1 AS answer');

    expect(reader.getRowObjectsJS()).toEqual([{ answer: 42 }]);
  });
});
