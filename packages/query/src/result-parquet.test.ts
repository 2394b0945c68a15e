// Real: DuckDB through the query engine over an empty lake in a temp folder, Parquet files
// written to a temp folder and read back by a separate DuckDB. Nothing is faked.
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeDuckDb, openDuckDb, quoteLiteral } from '@carelake/tables';
import { analyst, openTempLake, type TempLake } from './__fixtures__/temp-lake';
import type { DuckDbQueryEngine } from './duckdb-engine';
import { QueryInterruptedError } from './errors';
import { writeResultParquet } from './result-parquet';

const TYPED_SQL = `
SELECT range AS id,
       9007199254740993::BIGINT + range AS big,
       CAST('12345678901234567890.125' AS DECIMAL(38, 3)) AS amount,
       DATE '2024-02-29' + CAST(range AS INTEGER) AS day,
       TIMESTAMP '2024-03-01 09:45:00.123456' AS at,
       ['8480-6', '8462-4'] AS codes,
       {'code': '29463-7', 'value': 71.4} AS reading
FROM range(3000)`;

let lake: TempLake;
let engine: DuckDbQueryEngine;
let folder: string;

beforeAll(async () => {
  lake = await openTempLake('carelake-parquet-');
  engine = await lake.openEngine();
  folder = await mkdtemp(join(tmpdir(), 'carelake-parquet-out-'));
});

afterAll(async () => {
  await engine.close();
  await lake.close();
  await rm(folder, { recursive: true, force: true });
});

async function readBack(path: string, sql: string): Promise<Record<string, unknown>[]> {
  const duck = await openDuckDb({ threads: 1 });
  try {
    const reader = await duck.connection.runAndReadAll(
      sql.replace('FILE', `read_parquet(${quoteLiteral(path)})`),
    );
    return reader.getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    closeDuckDb(duck);
  }
}

describe('writeResultParquet', () => {
  it('keeps BIGINT, DECIMAL, DATE, TIMESTAMP, LIST and STRUCT values and types', async () => {
    const path = join(folder, 'typed.parquet');
    const rows = await writeResultParquet(
      await engine.stream(TYPED_SQL, { principal: analyst }),
      path,
      { limits: { threads: 1 } },
    );

    expect(rows).toBe(3000);
    expect(
      await readBack(path, 'SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM FILE)'),
    ).toEqual([
      { column_name: 'id', column_type: 'BIGINT' },
      { column_name: 'big', column_type: 'BIGINT' },
      { column_name: 'amount', column_type: 'DECIMAL(38,3)' },
      { column_name: 'day', column_type: 'DATE' },
      { column_name: 'at', column_type: 'TIMESTAMP' },
      { column_name: 'codes', column_type: 'VARCHAR[]' },
      { column_name: 'reading', column_type: 'STRUCT(code VARCHAR, "value" DECIMAL(3,1))' },
    ]);
    expect(await readBack(path, 'SELECT * FROM FILE WHERE id = 1')).toEqual([
      {
        id: '1',
        big: '9007199254740994',
        amount: '12345678901234567890.125',
        day: '2024-03-01',
        at: '2024-03-01 09:45:00.123456',
        codes: ['8480-6', '8462-4'],
        reading: { code: '29463-7', value: '71.4' },
      },
    ]);
  });

  it('writes the rows up to the limit', async () => {
    const path = join(folder, 'limited.parquet');
    await writeResultParquet(
      await engine.stream(TYPED_SQL, { principal: analyst, limit: 2050 }),
      path,
    );
    expect(await readBack(path, 'SELECT count(*) AS n, max(id) AS last FROM FILE')).toEqual([
      { n: '2050', last: '2049' },
    ]);
  });

  it('leaves no file when stopped', async () => {
    const stopFolder = await mkdtemp(join(tmpdir(), 'carelake-parquet-stop-'));
    const spillParent = await mkdtemp(join(tmpdir(), 'carelake-parquet-spill-'));
    const controller = new AbortController();
    const stream = await engine.stream('SELECT a.range AS n FROM range(10000000) AS a', {
      principal: analyst,
      signal: controller.signal,
    });
    const chunks = stream.chunks[Symbol.asyncIterator]();
    const abortingStream = {
      ...stream,
      chunks: {
        [Symbol.asyncIterator]: () => ({
          next: async () => {
            const next = await chunks.next();
            controller.abort();
            return next;
          },
        }),
      },
    };

    // os.tmpdir() reads TMPDIR on each call, so the spill folder goes where the test can see it.
    const savedTmpdir = process.env['TMPDIR'];
    process.env['TMPDIR'] = spillParent;
    const error = await writeResultParquet(abortingStream, join(stopFolder, 'stopped.parquet'), {
      signal: controller.signal,
    })
      .catch((caught: unknown) => caught)
      .finally(() => {
        if (savedTmpdir === undefined) delete process.env['TMPDIR'];
        else process.env['TMPDIR'] = savedTmpdir;
      });

    expect(error).toBeInstanceOf(QueryInterruptedError);
    expect(await readdir(stopFolder)).toEqual([]);
    expect(await readdir(spillParent)).toEqual([]);
    await rm(stopFolder, { recursive: true, force: true });
    await rm(spillParent, { recursive: true, force: true });
  });
});
