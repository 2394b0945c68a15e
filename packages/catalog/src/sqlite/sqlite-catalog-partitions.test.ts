// Real SQLite file in a temp folder, with a ManualClock in place of the system clock.
import { join } from 'node:path';
import { ManualClock } from '@carelake/core';
import { InvalidPartitionInputError, InvalidTableInputError, TableNotFoundError } from '../errors';
import {
  encountersInput,
  makeTempDir,
  rejectionOf,
  removeTempDir,
} from '../__fixtures__/catalog-fixtures';
import { SqliteCatalog } from './sqlite-catalog';

const JANUARY = {
  values: ['2026-01'],
  location: 'curated/clinical/encounters/admit_month=2026-01/',
};
const FEBRUARY = {
  values: ['2026-02'],
  location: 'curated/clinical/encounters/admit_month=2026-02/',
};
const MARCH = { values: ['2026-03'], location: 'curated/clinical/encounters/admit_month=2026-03/' };

describe('SqliteCatalog partitions', () => {
  let dir: string;
  let catalog: SqliteCatalog;

  beforeEach(async () => {
    dir = await makeTempDir();
    catalog = await SqliteCatalog.open({
      path: join(dir, 'catalog.sqlite'),
      clock: new ManualClock(),
    });
    await catalog.ensureDatabase('clinical');
    await catalog.upsertTable(encountersInput());
  });

  afterEach(async () => {
    await catalog.close();
    await removeTempDir(dir);
  });

  it('adds partitions idempotently', async () => {
    expect(await catalog.addPartitions('clinical', 'encounters', [FEBRUARY, JANUARY])).toEqual({
      added: 2,
    });

    // A retried commit sends January again, with a different location and parameters.
    const retried = { ...JANUARY, location: 'elsewhere/', parameters: { 'carelake.commit': '7' } };
    expect(await catalog.addPartitions('clinical', 'encounters', [retried, MARCH])).toEqual({
      added: 1,
    });
    expect(await catalog.addPartitions('clinical', 'encounters', [MARCH, MARCH])).toEqual({
      added: 0,
    });

    expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([
      { ...JANUARY, parameters: {} },
      { ...FEBRUARY, parameters: {} },
      { ...MARCH, parameters: {} },
    ]);
  });

  it('deletes partitions by values', async () => {
    await catalog.addPartitions('clinical', 'encounters', [JANUARY, FEBRUARY, MARCH]);
    const result = await catalog.deletePartitions('clinical', 'encounters', [
      ['2026-01'],
      ['2026-03'],
      ['2025-12'],
    ]);
    expect(result).toEqual({ deleted: 2 });
    expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([
      { ...FEBRUARY, parameters: {} },
    ]);
  });

  it('orders multi-key partitions by values', async () => {
    await catalog.upsertTable({
      ...encountersInput(),
      name: 'visits',
      partitionKeys: [
        { name: 'facility', type: 'string' },
        { name: 'admit_month', type: 'string' },
      ],
    });
    const partition = (facility: string, month: string) => ({
      values: [facility, month],
      location: `v/${facility}/${month}/`,
    });
    await catalog.addPartitions('clinical', 'visits', [
      partition('WEST', '2026-01'),
      partition('EAST', '2026-02'),
      partition('EAST', '2026-01'),
    ]);
    const listed = await catalog.listPartitions('clinical', 'visits');
    expect(listed.map((entry) => entry.values)).toEqual([
      ['EAST', '2026-01'],
      ['EAST', '2026-02'],
      ['WEST', '2026-01'],
    ]);
  });

  it.each([
    {
      case: 'too many values',
      values: ['2026-01', 'EAST'],
      keyPath: 'partitions[1].values',
      message: 'found 2 value(s), expected 1, one for each partition key (admit_month)',
    },
    {
      case: 'no values',
      values: [],
      keyPath: 'partitions[1].values',
      message: 'found 0 value(s), expected 1, one for each partition key (admit_month)',
    },
    {
      case: 'empty value',
      values: [''],
      keyPath: 'partitions[1].values[0]',
      message: 'value for admit_month is 0 bytes, Glue allows 1 to 1024',
    },
    {
      case: 'value over 1024 bytes',
      values: ['v'.repeat(1025)],
      keyPath: 'partitions[1].values[0]',
      message: 'value for admit_month is 1025 bytes, Glue allows 1 to 1024',
    },
  ])('rejects $case', async ({ values, keyPath, message }) => {
    const error = await rejectionOf(
      catalog.addPartitions('clinical', 'encounters', [JANUARY, { values, location: 'x/' }]),
    );
    expect(error).toBeInstanceOf(InvalidPartitionInputError);
    expect((error as InvalidPartitionInputError).issues).toEqual([{ keyPath, message }]);
    // Nothing is added when one partition of the call is invalid.
    expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([]);
  });

  it('keeps values out of messages', async () => {
    const error = await rejectionOf(
      catalog.addPartitions('clinical', 'encounters', [
        { values: ['Doe^Jane', 'extra'], location: 'x/' },
      ]),
    );
    expect((error as Error).message).not.toContain('Doe');
    expect(JSON.stringify((error as InvalidPartitionInputError).issues)).not.toContain('Doe');
  });

  it('rejects partitions of unpartitioned table', async () => {
    await catalog.upsertTable({ ...encountersInput(), name: 'flat', partitionKeys: [] });
    await expect(catalog.addPartitions('clinical', 'flat', [JANUARY])).rejects.toBeInstanceOf(
      InvalidPartitionInputError,
    );
  });

  it('rejects partitions of missing table', async () => {
    const error = await rejectionOf(catalog.addPartitions('clinical', 'orders', [JANUARY]));
    expect(error).toBeInstanceOf(TableNotFoundError);
    expect((error as TableNotFoundError).message).toBe(
      'table "clinical.orders" not found in the catalog',
    );
    await expect(catalog.listPartitions('clinical', 'orders')).rejects.toBeInstanceOf(
      TableNotFoundError,
    );
  });

  it('deletes partitions with table', async () => {
    await catalog.addPartitions('clinical', 'encounters', [JANUARY]);
    await catalog.deleteTable('clinical', 'encounters');
    await catalog.upsertTable(encountersInput());
    expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([]);
  });

  it('rejects partition key change while partitioned', async () => {
    await catalog.addPartitions('clinical', 'encounters', [JANUARY]);
    const renamed = {
      ...encountersInput(),
      partitionKeys: [{ name: 'admit_year', type: 'string' as const }],
    };

    const error = await rejectionOf(catalog.upsertTable(renamed));
    expect(error).toBeInstanceOf(InvalidTableInputError);
    expect((error as Error).message).toBe(
      'cannot change the partition keys of clinical.encounters from (admit_month) to (admit_year) while it has 1 partition(s)',
    );
    expect((await catalog.getTable('clinical', 'encounters'))?.version).toBe(1);

    // Other changes to a partitioned table go through.
    const described = { ...encountersInput(), description: 'Encounters, one row per version' };
    expect(await catalog.upsertTable(described)).toEqual({
      created: false,
      changed: true,
      version: 2,
    });
  });
});
