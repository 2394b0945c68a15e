// Real SQLite file in a temp folder, with a ManualClock in place of the system clock.
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { DatabaseNotFoundError, InvalidTableInputError } from '../errors';
import {
  encountersInput,
  makeTempDir,
  rejectionOf,
  removeTempDir,
} from '../__fixtures__/catalog-fixtures';
import { SqliteCatalog } from './sqlite-catalog';

const START = '2026-03-01T08:00:00.000Z';
const ONE_HOUR_MS = 3_600_000;

describe('SqliteCatalog tables', () => {
  let dir: string;
  let clock: ManualClock;
  let catalog: SqliteCatalog;

  beforeEach(async () => {
    dir = await makeTempDir();
    clock = new ManualClock(START);
    catalog = await SqliteCatalog.open({ path: join(dir, 'catalog.sqlite'), clock });
    await catalog.ensureDatabase('clinical', 'The conformed clinical model');
  });

  afterEach(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  it('creates then reads table', async () => {
    const result = await catalog.upsertTable(encountersInput());
    expect(result).toEqual({ created: true, changed: true, version: 1 });

    const table = await catalog.getTable('clinical', 'encounters');
    expect(table).toEqual({
      database: 'clinical',
      name: 'encounters',
      description: 'One row per encounter version',
      tableType: 'EXTERNAL_TABLE',
      location: 'curated/clinical/encounters/',
      columns: [
        {
          name: 'encounter_key',
          type: 'string',
          comment: 'Source-qualified encounter id',
          parameters: {},
        },
        { name: 'patient_key', type: 'string', parameters: { 'carelake.classification': 'phi' } },
        { name: 'admit_time', type: 'timestamp', parameters: {} },
      ],
      partitionKeys: [{ name: 'admit_month', type: 'string', parameters: {} }],
      parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
      storage: {
        inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
        outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
        serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      },
      createdAt: new Date(START),
      updatedAt: new Date(START),
      version: 1,
    });
  });

  it('identical upsert is no-op', async () => {
    await catalog.upsertTable(encountersInput());
    clock.advance(ONE_HOUR_MS);

    const again = encountersInput();
    // Key order differs from the first upsert, and parameters compare as maps.
    again.parameters = { 'carelake.owner': 'data-engineering', classification: 'parquet' };
    expect(await catalog.upsertTable(again)).toEqual({
      created: false,
      changed: false,
      version: 1,
    });

    const table = await catalog.getTable('clinical', 'encounters');
    expect(table?.version).toBe(1);
    expect(table?.updatedAt).toEqual(new Date(START));
  });

  it.each([
    {
      case: 'column type',
      change: (input: ReturnType<typeof encountersInput>) => (input.columns[2]!.type = 'date'),
    },
    {
      case: 'column comment',
      change: (input: ReturnType<typeof encountersInput>) =>
        (input.columns[1]!.comment = 'The patient_key of clinical.patients'),
    },
    {
      case: 'added column',
      change: (input: ReturnType<typeof encountersInput>) =>
        input.columns.push({ name: 'facility', type: 'string' }),
    },
    {
      case: 'table parameter',
      change: (input: ReturnType<typeof encountersInput>) =>
        (input.parameters!['carelake.steward'] = 'his-steward'),
    },
    {
      case: 'description removed',
      change: (input: ReturnType<typeof encountersInput>) => delete input.description,
    },
  ])('changed $case bumps version', async ({ change }) => {
    await catalog.upsertTable(encountersInput());
    clock.advance(ONE_HOUR_MS);

    const changed = encountersInput();
    change(changed);
    expect(await catalog.upsertTable(changed)).toEqual({
      created: false,
      changed: true,
      version: 2,
    });

    const table = await catalog.getTable('clinical', 'encounters');
    expect(table?.version).toBe(2);
    expect(table?.createdAt).toEqual(new Date(START));
    expect(table?.updatedAt).toEqual(new Date(Date.parse(START) + ONE_HOUR_MS));
    expect(table?.columns).toEqual(
      changed.columns.map((column) => ({ ...column, parameters: column.parameters ?? {} })),
    );
    expect(table?.description).toBe(changed.description);
    expect(table?.parameters).toEqual(changed.parameters);
  });

  it('rejects table in missing database', async () => {
    const input = { ...encountersInput(), database: 'deid' };
    const error = await rejectionOf(catalog.upsertTable(input));
    expect(error).toBeInstanceOf(DatabaseNotFoundError);
    expect((error as DatabaseNotFoundError).message).toBe(
      'database "deid" not found in the catalog',
    );
  });

  it('rejects invalid definition unwritten', async () => {
    const input = encountersInput();
    input.columns.push({ name: 'admit_month', type: 'string' });
    await expect(catalog.upsertTable(input)).rejects.toBeInstanceOf(InvalidTableInputError);
    expect(await catalog.getTable('clinical', 'encounters')).toBeUndefined();
  });

  it('lists tables by database', async () => {
    await catalog.ensureDatabase('raw');
    await catalog.upsertTable({ ...encountersInput(), name: 'patients' });
    await catalog.upsertTable(encountersInput());
    await catalog.upsertTable({ ...encountersInput(), database: 'raw', name: 'feed' });

    const names = (tables: Array<{ database: string; name: string }>) =>
      tables.map((t) => `${t.database}.${t.name}`);
    expect(names(await catalog.listTables())).toEqual([
      'clinical.encounters',
      'clinical.patients',
      'raw.feed',
    ]);
    expect(names(await catalog.listTables('raw'))).toEqual(['raw.feed']);
    // Columns of each table come back with their own table, not a neighbour's.
    const listed = await catalog.listTables('clinical');
    expect(listed.map((table) => table.columns.length)).toEqual([3, 3]);
    await expect(catalog.listTables('vocab')).rejects.toBeInstanceOf(DatabaseNotFoundError);
  });

  it('deletes table', async () => {
    await catalog.upsertTable(encountersInput());
    expect(await catalog.deleteTable('clinical', 'encounters')).toEqual({ deleted: true });
    expect(await catalog.getTable('clinical', 'encounters')).toBeUndefined();
    expect(await catalog.deleteTable('clinical', 'encounters')).toEqual({ deleted: false });

    // The name is free again and starts over at version 1.
    expect(await catalog.upsertTable(encountersInput())).toEqual({
      created: true,
      changed: true,
      version: 1,
    });
  });

  it('keeps and updates database description', async () => {
    clock.advance(ONE_HOUR_MS);
    await catalog.ensureDatabase('clinical');
    expect(await catalog.listDatabases()).toEqual([
      { name: 'clinical', description: 'The conformed clinical model', createdAt: new Date(START) },
    ]);
    await catalog.ensureDatabase('clinical', 'Conformed model');
    await catalog.ensureDatabase('raw');
    expect(await catalog.listDatabases()).toEqual([
      { name: 'clinical', description: 'Conformed model', createdAt: new Date(START) },
      { name: 'raw', createdAt: new Date(Date.parse(START) + ONE_HOUR_MS) },
    ]);
  });
});
