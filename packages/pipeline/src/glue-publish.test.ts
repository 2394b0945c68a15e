// Real: a local object store in a temp folder and a GlueCatalog on a real GlueClient. Faked: Glue
// itself, by the catalog package's in-memory fake behind aws-sdk-client-mock, and the clock.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchCreatePartitionCommand, BatchDeletePartitionCommand, BatchUpdatePartitionCommand } from '@aws-sdk/client-glue';
import { datasetSchema, ManualClock } from '@carelake/core';
import { GlueCatalog } from '@carelake/catalog';
import { LocalObjectStore } from '@carelake/storage';
import type { DataFile, TableSnapshot } from '@carelake/tables';
/* eslint-disable @nx/enforce-module-boundaries -- the fake of Glue is a test fixture of the
   catalog package, shared here rather than written twice. */
import { FakeGlue } from '../../catalog/src/glue/__fixtures__/fake-glue';
import { mockedGlueClient, TEST_BUCKET, TEST_PREFIX, type MockedGlue } from '../../catalog/src/glue/__fixtures__/glue-client';
/* eslint-enable @nx/enforce-module-boundaries */
import { publishSnapshotToGlue } from './glue-publish';

const dataset = datasetSchema.parse({
  table: 'clinical.visits',
  description: 'Visits.',
  classification: 'deidentified',
  partitionBy: ['site'],
  columns: { visit_id: { type: 'string' }, site: { type: 'string' } },
});

function file(key: string, site: string | null): DataFile {
  return { key, partition: { site }, rowCount: 1, sizeBytes: 10, sha256: 'a'.repeat(64) };
}

function snapshot(version: number, files: DataFile[]): TableSnapshot {
  return {
    formatVersion: 1,
    database: 'clinical',
    table: 'visits',
    version,
    parentVersion: version > 1 ? version - 1 : null,
    commitId: `commit-${version}`,
    committedAt: '2026-03-01T08:00:00.000Z',
    principal: 'runner',
    operation: 'append',
    columns: [
      { name: 'visit_id', type: 'string' },
      { name: 'site', type: 'string' },
    ],
    partitionBy: ['site'],
    files,
    inputs: [],
    summary: { rowsAdded: files.length, rowsSkippedAsDuplicate: 0, filesAdded: files.length, filesRemoved: 0 },
  };
}

const DATA = 'curated/clinical/visits';
const VERSION_1 = snapshot(1, [file(`${DATA}/site=north/a.parquet`, 'north'), file(`${DATA}/site=south/b.parquet`, 'south')]);
const VERSION_2 = snapshot(2, [...VERSION_1.files, file(`${DATA}/site=north/c.parquet`, 'north')]);
const VERSION_3 = snapshot(3, [file(`${DATA}/site=north/d.parquet`, 'north')]);

describe('publishSnapshotToGlue', () => {
  let root: string;
  let store: LocalObjectStore;
  let glue: MockedGlue;
  let catalog: GlueCatalog;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-glue-publish-'));
    store = new LocalObjectStore({ root });
    glue = mockedGlueClient();
    const fake = new FakeGlue(new ManualClock('2026-03-01T08:00:00.000Z'));
    fake.addDatabase('clinical');
    fake.attach(glue.mock);
    catalog = new GlueCatalog({ client: glue.client, bucket: TEST_BUCKET, prefix: TEST_PREFIX });
  });

  afterEach(async () => {
    glue.release();
    await rm(root, { recursive: true, force: true });
  });

  async function manifest(key: string): Promise<string> {
    return Buffer.from(await store.get(key)).toString('utf8');
  }

  it('points new partitions at their manifests', async () => {
    const result = await publishSnapshotToGlue(store, catalog, dataset, VERSION_1);

    expect(result).toEqual({ created: 2, updated: 0, manifestsWritten: 2, partitionsDeleted: 0 });
    expect(await manifest('_state/tables/clinical/visits/_manifests/v1/site=north/manifest')).toBe(
      `s3://${TEST_BUCKET}/${TEST_PREFIX}${DATA}/site=north/a.parquet\n`,
    );
    const partitions = await catalog.listPartitions('clinical', 'visits');
    expect(partitions.map((partition) => [partition.values, partition.location])).toEqual([
      [['north'], '_state/tables/clinical/visits/_manifests/v1/site=north/'],
      [['south'], '_state/tables/clinical/visits/_manifests/v1/site=south/'],
    ]);
  });

  it('moves only the changed partition', async () => {
    await publishSnapshotToGlue(store, catalog, dataset, VERSION_1);
    glue.mock.resetHistory();

    const result = await publishSnapshotToGlue(store, catalog, dataset, VERSION_2);

    expect(result).toEqual({ created: 0, updated: 1, manifestsWritten: 1, partitionsDeleted: 0 });
    expect(glue.mock.commandCalls(BatchUpdatePartitionCommand)).toHaveLength(1);
    expect((await manifest('_state/tables/clinical/visits/_manifests/v2/site=north/manifest')).split('\n')).toHaveLength(3);
    const south = (await catalog.listPartitions('clinical', 'visits')).find((partition) => partition.values[0] === 'south');
    expect(south?.location).toBe('_state/tables/clinical/visits/_manifests/v1/site=south/');
  });

  it('deletes a partition left without files', async () => {
    await publishSnapshotToGlue(store, catalog, dataset, VERSION_2);

    const result = await publishSnapshotToGlue(store, catalog, dataset, VERSION_3);

    expect(result.partitionsDeleted).toBe(1);
    expect(glue.mock.commandCalls(BatchDeletePartitionCommand)).toHaveLength(1);
    expect((await catalog.listPartitions('clinical', 'visits')).map((partition) => partition.values)).toEqual([['north']]);
  });

  it('catches up after an unpublished version', async () => {
    const result = await publishSnapshotToGlue(store, catalog, dataset, VERSION_2);

    expect(result).toEqual({ created: 2, updated: 0, manifestsWritten: 2, partitionsDeleted: 0 });
  });

  it('changes nothing when published twice', async () => {
    await publishSnapshotToGlue(store, catalog, dataset, VERSION_1);
    glue.mock.resetHistory();

    const again = await publishSnapshotToGlue(store, catalog, dataset, VERSION_1);

    expect(again).toEqual({ created: 0, updated: 0, manifestsWritten: 0, partitionsDeleted: 0 });
    expect(glue.mock.commandCalls(BatchCreatePartitionCommand)).toHaveLength(0);
  });
});
