// Real Parquet files from carelake's table writer (the built tables package) and a real
// in-memory SQLite catalog; nothing is faked.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Row } from '@carelake/core';
/* eslint-disable @nx/enforce-module-boundaries -- the catalog package does not depend on the
   tables package; only this test reads its built output, and Nx builds it first from this import. */
import { partitionPath } from '../../../tables/dist/partition-path';
import { writeParquetFile } from '../../../tables/dist/parquet-writer';
import type { SnapshotColumn } from '../../../tables/dist/snapshot';
/* eslint-enable @nx/enforce-module-boundaries */
import { makeTempDir, removeTempDir } from '../__fixtures__/catalog-fixtures';
import { SqliteCatalog } from '../sqlite/sqlite-catalog';
import { openTestDuckDb, type TestDuckDb } from './__fixtures__/parquet-fixtures';
import { inferTableFromFolder } from './folder-walk';
import { assertEvolutionAccepted, evolveSchema } from './schema-evolution';

const ENCOUNTER_COLUMNS: SnapshotColumn[] = [
  { name: 'encounter_id', type: 'string' },
  { name: 'length_of_stay', type: 'int' },
  { name: 'message_number', type: 'bigint' },
  { name: 'charge_total', type: 'double' },
  { name: 'is_inpatient', type: 'boolean' },
  { name: 'admit_date', type: 'date' },
  { name: 'ingested_at', type: 'timestamp' },
];

function encounterRow(id: string): Row {
  return {
    encounter_id: id,
    length_of_stay: 3,
    message_number: 9_000_000_000n,
    charge_total: 1250.5,
    is_inpatient: true,
    admit_date: new Date('2024-01-15T00:00:00Z'),
    ingested_at: new Date('2024-01-15T10:20:30Z'),
  };
}

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

async function writeTableFile(
  partition: Record<string, string | null>,
  columns: readonly SnapshotColumn[],
  rows: readonly Row[],
): Promise<void> {
  const partitionFolder = join(folder, partitionPath(Object.keys(partition), partition));
  await mkdir(partitionFolder, { recursive: true });
  await writeParquetFile(
    duckDb.connection,
    columns,
    rows,
    join(partitionFolder, 'part-00000.parquet'),
  );
}

describe('inference over the table writer', () => {
  it('reads back every column type the writer stores', async () => {
    await writeTableFile({ facility: 'EAST', admit_year: '2024' }, ENCOUNTER_COLUMNS, [
      encounterRow('e-1'),
    ]);
    await writeTableFile({ facility: null, admit_year: '2023' }, ENCOUNTER_COLUMNS, [
      encounterRow('e-2'),
    ]);

    const table = await inferTableFromFolder(folder);

    expect(table.columns.map(({ name, type }) => ({ name, type }))).toEqual(ENCOUNTER_COLUMNS);
    expect(table.partitionKeys).toEqual([
      { name: 'facility', type: 'string' },
      { name: 'admit_year', type: 'bigint' },
    ]);
    expect(table.partitions.map((partition) => partition.values)).toEqual([
      ['EAST', '2024'],
      [null, '2023'],
    ]);
    expect(table.widenings).toEqual([]);
  });

  it('registers and evolves the table in a catalog', async () => {
    await writeTableFile({ facility: 'EAST' }, ENCOUNTER_COLUMNS, [encounterRow('e-1')]);
    const catalog = await SqliteCatalog.open({ path: ':memory:' });
    try {
      await catalog.ensureDatabase('clinical');
      const first = await inferTableFromFolder(folder);
      await catalog.upsertTable({
        database: 'clinical',
        name: 'encounters',
        location: 'curated/clinical/encounters/',
        columns: first.columns,
        partitionKeys: first.partitionKeys,
      });

      // A later commit writes length_of_stay as bigint and adds a column.
      const widerColumns: SnapshotColumn[] = [
        ...ENCOUNTER_COLUMNS.map((column) =>
          column.name === 'length_of_stay' ? { ...column, type: 'bigint' as const } : column,
        ),
        { name: 'discharge_disposition', type: 'string' },
      ];
      await writeTableFile({ facility: 'WEST' }, widerColumns, [
        { ...encounterRow('e-2'), length_of_stay: 3_000_000_000n, discharge_disposition: 'home' },
      ]);
      const second = await inferTableFromFolder(folder);
      const current = await catalog.getTable('clinical', 'encounters');
      const evolution = assertEvolutionAccepted(
        evolveSchema(current?.columns ?? [], second.columns, { table: 'clinical.encounters' }),
        'clinical.encounters',
      );
      const result = await catalog.upsertTable({
        database: 'clinical',
        name: 'encounters',
        location: 'curated/clinical/encounters/',
        columns: evolution.columns,
        partitionKeys: second.partitionKeys,
      });

      expect(evolution.changes.map((change) => change.message)).toEqual([
        'clinical.encounters column "length_of_stay" widened from int to bigint, seen in partition facility=WEST (file part-00000.parquet)',
        'clinical.encounters column "discharge_disposition" added as string, seen in partition facility=WEST (file part-00000.parquet)',
      ]);
      expect(result).toEqual({ created: false, changed: true, version: 2 });
      const stored = await catalog.getTable('clinical', 'encounters');
      expect(stored?.columns.map((column) => `${column.name}:${column.type}`)).toEqual([
        'encounter_id:string',
        'length_of_stay:bigint',
        'message_number:bigint',
        'charge_total:double',
        'is_inpatient:boolean',
        'admit_date:date',
        'ingested_at:timestamp',
        'discharge_disposition:string',
      ]);
    } finally {
      await catalog.close();
    }
  });
});
