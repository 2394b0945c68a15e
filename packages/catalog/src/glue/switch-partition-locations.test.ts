// GlueCatalog.switchPartitionLocations on a real GlueClient whose send is mocked (aws-sdk-client-mock) by an in-memory fake of Glue, plus one recorded partial failure.
import {
  BatchCreatePartitionCommand,
  BatchUpdatePartitionCommand,
  GetTableCommand,
  UpdateTableCommand,
} from '@aws-sdk/client-glue';
import { ManualClock } from '@carelake/core';
import type { TableInput } from '../catalog';
import { InvalidPartitionInputError } from '../errors';
import { encountersInput, rejectionOf } from '../__fixtures__/catalog-fixtures';
import { FakeGlue } from './__fixtures__/fake-glue';
import {
  mockedGlueClient,
  onlyInput,
  sentInputs,
  TEST_BUCKET,
  TEST_LAKE_URI,
  TEST_PREFIX,
  type MockedGlue,
} from './__fixtures__/glue-client';
import { GlueCatalog } from './glue-catalog';
import { GluePartitionBatchError } from './glue-errors';
import { SYMLINK_MANIFEST_STORAGE_FORMAT } from './storage-formats';

const MANIFESTS = '_state/tables/clinical/encounters/_manifests';

/** Build the encounters table read through symlink manifests, as tables on S3 are. */
function manifestTable(overrides: Partial<TableInput> = {}): TableInput {
  return { ...encountersInput(), storage: SYMLINK_MANIFEST_STORAGE_FORMAT, ...overrides };
}

function monthAt(version: number, month: string) {
  return { values: [month], location: `${MANIFESTS}/v${version}/admit_month=${month}/` };
}

describe('GlueCatalog.switchPartitionLocations', () => {
  let glue: MockedGlue;
  let catalog: GlueCatalog;

  beforeEach(async () => {
    glue = mockedGlueClient();
    const fake = new FakeGlue(new ManualClock());
    fake.addDatabase('clinical');
    fake.attach(glue.mock);
    catalog = new GlueCatalog({ client: glue.client, bucket: TEST_BUCKET, prefix: TEST_PREFIX });
    await catalog.upsertTable(manifestTable());
  });

  afterEach(() => glue.release());

  it('creates missing and moves existing', async () => {
    await catalog.addPartitions('clinical', 'encounters', [
      monthAt(1, '2026-01'),
      monthAt(1, '2026-02'),
    ]);
    glue.mock.resetHistory();

    const result = await catalog.switchPartitionLocations('clinical', 'encounters', [
      { ...monthAt(2, '2026-01'), parameters: { 'carelake.commit': '2' } },
      monthAt(2, '2026-03'),
    ]);

    expect(result).toEqual({ created: 1, updated: 1 });
    expect(await catalog.listPartitions('clinical', 'encounters')).toEqual([
      { ...monthAt(2, '2026-01'), parameters: { 'carelake.commit': '2' } },
      { ...monthAt(1, '2026-02'), parameters: {} },
      { ...monthAt(2, '2026-03'), parameters: {} },
    ]);

    const creates = onlyInput(glue.mock, BatchCreatePartitionCommand);
    expect(creates.PartitionInputList?.map((input) => input.Values)).toEqual([
      ['2026-01'],
      ['2026-03'],
    ]);
    const entries = onlyInput(glue.mock, BatchUpdatePartitionCommand).Entries ?? [];
    expect(entries).toHaveLength(1);
    expect(entries[0]?.PartitionValueList).toEqual(['2026-01']);
    expect(entries[0]?.PartitionInput?.Parameters).toEqual({ 'carelake.commit': '2' });
    expect(entries[0]?.PartitionInput?.StorageDescriptor).toMatchObject({
      Location: `${TEST_LAKE_URI}${MANIFESTS}/v2/admit_month=2026-01/`,
      InputFormat: 'org.apache.hadoop.hive.ql.io.SymlinkTextInputFormat',
      OutputFormat: 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat',
      SerdeInfo: {
        SerializationLibrary: 'org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe',
      },
    });
  });

  it('moves 150 in 100 and 50', async () => {
    const months = Array.from({ length: 150 }, (_, index) => `m${String(index).padStart(3, '0')}`);
    await catalog.addPartitions(
      'clinical',
      'encounters',
      months.map((month) => monthAt(1, month)),
    );
    glue.mock.resetHistory();

    const result = await catalog.switchPartitionLocations(
      'clinical',
      'encounters',
      months.map((month) => monthAt(2, month)),
    );

    expect(result).toEqual({ created: 0, updated: 150 });
    const updates = sentInputs(glue.mock, BatchUpdatePartitionCommand);
    expect(updates.map((input) => input.Entries?.length)).toEqual([100, 50]);
    const listed = await catalog.listPartitions('clinical', 'encounters');
    expect(listed.every((partition) => partition.location.includes('/v2/'))).toBe(true);
  });

  it('reports failed moves by code', async () => {
    await catalog.addPartitions('clinical', 'encounters', [monthAt(1, '2026-01')]);
    glue.mock.on(BatchUpdatePartitionCommand).resolves({
      Errors: [
        {
          PartitionValueList: ['2026-01'],
          ErrorDetail: {
            ErrorCode: 'EntityNotFoundException',
            ErrorMessage: 'Partition not found.',
          },
        },
      ],
    });

    const error = await rejectionOf(
      catalog.switchPartitionLocations('clinical', 'encounters', [monthAt(2, '2026-01')]),
    );

    expect(error).toBeInstanceOf(GluePartitionBatchError);
    expect((error as Error).message).toBe(
      'Glue BatchUpdatePartition failed for 1 of 1 partition(s) of clinical.encounters: EntityNotFoundException (1)',
    );
  });

  it('rejects repeated values unsent', async () => {
    glue.mock.resetHistory();

    const error = await rejectionOf(
      catalog.switchPartitionLocations('clinical', 'encounters', [
        monthAt(2, '2026-01'),
        monthAt(3, '2026-01'),
      ]),
    );

    expect(error).toBeInstanceOf(InvalidPartitionInputError);
    expect((error as InvalidPartitionInputError).issues).toEqual([
      { keyPath: 'partitions[1].values', message: 'the same values as partitions[0]' },
    ]);
    expect(glue.mock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(0);
  });

  describe('unpartitioned table', () => {
    const flatAt = (version: number) => ({
      values: [],
      location: `_state/tables/clinical/flat/_manifests/v${version}/`,
    });

    beforeEach(async () => {
      await catalog.upsertTable(
        manifestTable({ name: 'flat', partitionKeys: [], location: flatAt(1).location }),
      );
      glue.mock.resetHistory();
    });

    it('updates changed table location', async () => {
      expect(await catalog.switchPartitionLocations('clinical', 'flat', [flatAt(2)])).toEqual({
        created: 0,
        updated: 1,
      });

      const update = onlyInput(glue.mock, UpdateTableCommand);
      expect(update.VersionId).toBe('0');
      expect(update.TableInput?.StorageDescriptor?.Location).toBe(
        `${TEST_LAKE_URI}_state/tables/clinical/flat/_manifests/v2/`,
      );
      const table = await catalog.getTable('clinical', 'flat');
      expect(table?.location).toBe(flatAt(2).location);
      expect(table?.storage).toEqual(SYMLINK_MANIFEST_STORAGE_FORMAT);
      expect(table?.version).toBe(2);
    });

    it('sends nothing for same location', async () => {
      expect(await catalog.switchPartitionLocations('clinical', 'flat', [flatAt(1)])).toEqual({
        created: 0,
        updated: 0,
      });

      expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
      expect(glue.mock.commandCalls(GetTableCommand)).toHaveLength(2);
    });

    it.each([
      { case: 'values given', partitions: [{ values: ['2026-01'], location: 'x/' }] },
      { case: 'no entry', partitions: [] },
      { case: 'two entries', partitions: [flatAt(2), flatAt(3)] },
    ])('rejects $case', async ({ partitions }) => {
      const error = await rejectionOf(
        catalog.switchPartitionLocations('clinical', 'flat', partitions),
      );

      expect(error).toBeInstanceOf(InvalidPartitionInputError);
      expect((error as Error).message).toBe(
        `table clinical.flat has no partition keys, so it takes exactly one entry with no values, found ${partitions.length} entries`,
      );
      expect(glue.mock.commandCalls(UpdateTableCommand)).toHaveLength(0);
    });
  });
});
