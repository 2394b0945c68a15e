import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ManualClock } from '@carelake/core';
import type { Catalog, ColumnInput, PartitionInput, TableInput } from '../catalog';
import {
  CatalogClosedError,
  DatabaseNotFoundError,
  InvalidCatalogNameError,
  InvalidPartitionInputError,
  InvalidTableInputError,
  TableNotFoundError,
} from '../errors';

// The behaviour every `Catalog` shares, registered as jest blocks by each
// implementation's test file. Test-only code: the package index does not export it.

/** Databases each factory provides, created at `CONTRACT_START`. */
export const CONTRACT_DATABASES = ['clinical', 'raw'] as const;
export const CONTRACT_START = '2026-03-01T08:00:00.000Z';

export interface CatalogUnderTest {
  catalog: Catalog;
  /** Release what the factory set up, such as a temporary folder. The suite closes the catalog first. */
  cleanup(): Promise<void>;
}

export interface CatalogContractContext {
  /** The clock the catalog must take its times from, at `CONTRACT_START`. */
  clock: ManualClock;
}

export type CatalogFactory = (context: CatalogContractContext) => Promise<CatalogUnderTest>;

const ONE_HOUR_MS = 3_600_000;

/** Build a small partitioned table input, shaped like clinical.encounters. */
export function contractEncounters(): TableInput {
  return {
    database: 'clinical',
    name: 'encounters',
    description: 'One row per encounter version',
    location: 'curated/clinical/encounters/',
    columns: [
      { name: 'encounter_key', type: 'string', comment: 'Source-qualified encounter id' },
      { name: 'patient_key', type: 'string', parameters: { 'carelake.classification': 'phi' } },
      { name: 'admit_time', type: 'timestamp' },
    ],
    partitionKeys: [{ name: 'admit_month', type: 'string' }],
    parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
  };
}

const JANUARY: PartitionInput = {
  values: ['2026-01'],
  location: 'curated/clinical/encounters/admit_month=2026-01/',
};
const FEBRUARY: PartitionInput = {
  values: ['2026-02'],
  location: 'curated/clinical/encounters/admit_month=2026-02/',
};
const MARCH: PartitionInput = {
  values: ['2026-03'],
  location: 'curated/clinical/encounters/admit_month=2026-03/',
};

/** Register the contract's `describe` blocks for one implementation. */
export function describeCatalogContract(implementation: string, factory: CatalogFactory): void {
  describe(`${implementation} contract`, () => {
    let clock: ManualClock;
    let catalog: Catalog;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      clock = new ManualClock(CONTRACT_START);
      const created = await factory({ clock });
      catalog = created.catalog;
      cleanup = () => created.cleanup();
    });

    afterEach(async () => {
      await catalog.close();
      await cleanup();
    });

    describe('databases and tables', () => {
      it('lists databases by name', async () => {
        await catalog.ensureDatabase('raw');
        expect(await catalog.listDatabases()).toEqual([
          { name: 'clinical', createdAt: new Date(CONTRACT_START) },
          { name: 'raw', createdAt: new Date(CONTRACT_START) },
        ]);
      });

      it('creates then reads table', async () => {
        const result = await catalog.upsertTable(contractEncounters());
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
            {
              name: 'patient_key',
              type: 'string',
              parameters: { 'carelake.classification': 'phi' },
            },
            { name: 'admit_time', type: 'timestamp', parameters: {} },
          ],
          partitionKeys: [{ name: 'admit_month', type: 'string', parameters: {} }],
          parameters: { classification: 'parquet', 'carelake.owner': 'data-engineering' },
          storage: {
            inputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat',
            outputFormat: 'org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat',
            serde: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
          },
          createdAt: new Date(CONTRACT_START),
          updatedAt: new Date(CONTRACT_START),
          version: 1,
        });
      });

      it('reads missing table as undefined', async () => {
        expect(await catalog.getTable('clinical', 'orders')).toBeUndefined();
        expect(await catalog.getTable('vocab', 'loinc')).toBeUndefined();
      });

      it('identical upsert is no-op', async () => {
        await catalog.upsertTable(contractEncounters());
        clock.advance(ONE_HOUR_MS);

        const again = contractEncounters();
        // Key order differs from the first upsert, and parameters compare as maps.
        again.parameters = { 'carelake.owner': 'data-engineering', classification: 'parquet' };
        expect(await catalog.upsertTable(again)).toEqual({
          created: false,
          changed: false,
          version: 1,
        });

        const table = await catalog.getTable('clinical', 'encounters');
        expect(table?.version).toBe(1);
        expect(table?.updatedAt).toEqual(new Date(CONTRACT_START));
      });

      it.each([
        {
          case: 'column type',
          change: (input: TableInput) => (columnAt(input, 2).type = 'date'),
        },
        {
          case: 'column comment',
          change: (input: TableInput) =>
            (columnAt(input, 1).comment = 'The patient_key of clinical.patients'),
        },
        {
          case: 'added column',
          change: (input: TableInput) => input.columns.push({ name: 'facility', type: 'string' }),
        },
        {
          case: 'table parameter',
          change: (input: TableInput) =>
            (input.parameters = { ...input.parameters, 'carelake.steward': 'his-steward' }),
        },
        {
          case: 'description removed',
          change: (input: TableInput) => delete input.description,
        },
      ])('changed $case bumps version', async ({ change }) => {
        await catalog.upsertTable(contractEncounters());
        clock.advance(ONE_HOUR_MS);

        const changed = contractEncounters();
        change(changed);
        expect(await catalog.upsertTable(changed)).toEqual({
          created: false,
          changed: true,
          version: 2,
        });

        const table = await catalog.getTable('clinical', 'encounters');
        expect(table?.version).toBe(2);
        expect(table?.createdAt).toEqual(new Date(CONTRACT_START));
        expect(table?.updatedAt).toEqual(new Date(Date.parse(CONTRACT_START) + ONE_HOUR_MS));
        expect(table?.columns).toEqual(
          changed.columns.map((column) => ({ ...column, parameters: column.parameters ?? {} })),
        );
        expect(table?.description).toBe(changed.description);
        expect(table?.parameters).toEqual(changed.parameters);
      });

      it('rejects table in missing database', async () => {
        const input = { ...contractEncounters(), database: 'deid' };
        const error = await rejectionOf(catalog.upsertTable(input));
        expect(error).toBeInstanceOf(DatabaseNotFoundError);
        expect((error as DatabaseNotFoundError).message).toBe(
          'database "deid" not found in the catalog',
        );
        expect((error as DatabaseNotFoundError).database).toBe('deid');
      });

      it('rejects invalid definition unwritten', async () => {
        const input = contractEncounters();
        input.columns.push({ name: 'admit_month', type: 'string' });
        await expect(catalog.upsertTable(input)).rejects.toBeInstanceOf(InvalidTableInputError);
        expect(await catalog.getTable('clinical', 'encounters')).toBeUndefined();
      });

      it('rejects invalid names', async () => {
        await expect(catalog.getTable('Clinical', 'encounters')).rejects.toBeInstanceOf(
          InvalidCatalogNameError,
        );
        await expect(catalog.listPartitions('clinical', 'en-counters')).rejects.toBeInstanceOf(
          InvalidCatalogNameError,
        );
      });

      it('lists tables by database', async () => {
        await catalog.upsertTable({ ...contractEncounters(), name: 'patients' });
        await catalog.upsertTable({ ...contractEncounters(), name: 'orders' });
        await catalog.upsertTable(contractEncounters());
        await catalog.upsertTable({ ...contractEncounters(), database: 'raw', name: 'feed' });

        const names = (tables: Array<{ database: string; name: string }>) =>
          tables.map((table) => `${table.database}.${table.name}`);
        expect(names(await catalog.listTables())).toEqual([
          'clinical.encounters',
          'clinical.orders',
          'clinical.patients',
          'raw.feed',
        ]);
        expect(names(await catalog.listTables('raw'))).toEqual(['raw.feed']);
        // Columns of each table come back with their own table, not a neighbour's.
        const listed = await catalog.listTables('clinical');
        expect(listed.map((table) => table.columns.length)).toEqual([3, 3, 3]);
        await expect(catalog.listTables('vocab')).rejects.toBeInstanceOf(DatabaseNotFoundError);
      });

      it('deletes table', async () => {
        await catalog.upsertTable(contractEncounters());
        expect(await catalog.deleteTable('clinical', 'encounters')).toEqual({ deleted: true });
        expect(await catalog.getTable('clinical', 'encounters')).toBeUndefined();
        expect(await catalog.deleteTable('clinical', 'encounters')).toEqual({ deleted: false });

        // The name is free again and starts over at version 1.
        expect(await catalog.upsertTable(contractEncounters())).toEqual({
          created: true,
          changed: true,
          version: 1,
        });
      });

      it('rejects calls after close', async () => {
        await catalog.close();
        await expect(catalog.getTable('clinical', 'encounters')).rejects.toBeInstanceOf(
          CatalogClosedError,
        );
        await expect(catalog.upsertTable(contractEncounters())).rejects.toBeInstanceOf(
          CatalogClosedError,
        );
      });
    });

    describe('partitions', () => {
      beforeEach(async () => {
        await catalog.upsertTable(contractEncounters());
      });

      it('adds partitions idempotently', async () => {
        expect(await catalog.addPartitions('clinical', 'encounters', [FEBRUARY, JANUARY])).toEqual({
          added: 2,
        });

        // A retried commit sends January again, with a different location and parameters.
        const retried = {
          ...JANUARY,
          location: 'elsewhere/',
          parameters: { 'carelake.commit': '7' },
        };
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

      it('counts repeated new partition once', async () => {
        expect(await catalog.addPartitions('clinical', 'encounters', [MARCH, MARCH])).toEqual({
          added: 1,
        });
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
          ...contractEncounters(),
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

      it('rejects delete with wrong value count', async () => {
        const error = await rejectionOf(
          catalog.deletePartitions('clinical', 'encounters', [['2026-01', 'EAST']]),
        );
        expect(error).toBeInstanceOf(InvalidPartitionInputError);
        expect((error as InvalidPartitionInputError).issues).toEqual([
          {
            keyPath: 'partitionValues[0]',
            message: 'found 2 value(s), expected 1, one for each partition key (admit_month)',
          },
        ]);
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
        await catalog.upsertTable({ ...contractEncounters(), name: 'flat', partitionKeys: [] });
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
        await expect(
          catalog.deletePartitions('clinical', 'orders', [['2026-01']]),
        ).rejects.toBeInstanceOf(TableNotFoundError);
      });

      it('deletes partitions with table', async () => {
        await catalog.addPartitions('clinical', 'encounters', [JANUARY]);
        await catalog.deleteTable('clinical', 'encounters');
        await catalog.upsertTable(contractEncounters());
        expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([]);
      });

      it('rejects partition key change while partitioned', async () => {
        await catalog.addPartitions('clinical', 'encounters', [JANUARY]);
        const renamed = {
          ...contractEncounters(),
          partitionKeys: [{ name: 'admit_year', type: 'string' as const }],
        };

        const error = await rejectionOf(catalog.upsertTable(renamed));
        expect(error).toBeInstanceOf(InvalidTableInputError);
        expect((error as Error).message).toBe(
          'cannot change the partition keys of clinical.encounters from (admit_month) to (admit_year) while it has 1 partition(s)',
        );
        expect((await catalog.getTable('clinical', 'encounters'))?.version).toBe(1);

        // Other changes to a partitioned table go through.
        const described = {
          ...contractEncounters(),
          description: 'Encounters, one row per version',
        };
        expect(await catalog.upsertTable(described)).toEqual({
          created: false,
          changed: true,
          version: 2,
        });
      });
    });
  });
}

function columnAt(input: TableInput, index: number): ColumnInput {
  const column = input.columns[index];
  if (!column) throw new Error(`the contract table has no column ${index}`);
  return column;
}

/** Await a promise that must reject and return its error, so a test can assert its class and fields one by one. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the promise to reject, but it resolved');
}
