import { parseTableName, tableDataPrefix, type DatasetDefinition } from '@carelake/core';
import {
  SYMLINK_MANIFEST_STORAGE_FORMAT,
  tableInputFromDataset,
  type GlueCatalog,
  type PartitionInput,
  type SwitchLocationsResult,
} from '@carelake/catalog';
import { ObjectExistsError, type ObjectStore } from '@carelake/storage';
import { partitionPath, type TableSnapshot } from '@carelake/tables';

export interface GluePublishResult extends SwitchLocationsResult {
  manifestsWritten: number;
  partitionsDeleted: number;
}

interface PartitionFiles {
  values: string[];
  /** The `key=value` folders of the partition, '' for an unpartitioned table. */
  folder: string;
  keys: string[];
}

/**
 * Publishes a committed table version to Athena, the catalog step of the commit protocol on S3:
 * for each partition whose files differ from the manifest Glue points at, a symlink manifest that
 * lists the partition's data files under `_state/tables/<db>/<table>/_manifests/v<n>/`, then the
 * Glue partition (or the location of an unpartitioned table) moved to it. Athena then reads exactly
 * the files of the commit, never an orphan or a file of an unfinished commit. Glue partitions that
 * no longer have files are deleted. Comparing with Glue rather than with the previous version
 * brings Glue up to date after a run that died before this step. Publishing again changes nothing.
 */
export async function publishSnapshotToGlue(
  store: ObjectStore,
  catalog: GlueCatalog,
  dataset: DatasetDefinition,
  snapshot: TableSnapshot,
): Promise<GluePublishResult> {
  const { database, table } = parseTableName(dataset.table);
  const manifests = `_state/tables/${database}/${table}/_manifests/`;
  const manifestRoot = `${manifests}v${snapshot.version}/`;
  const current = partitionsOf(dataset, snapshot);
  const stored = await catalog.getTable(database, table);
  const published = await publishedManifests(store, catalog, dataset, stored?.location);
  const changed = [...current.values()].filter((partition) => !sameKeys(partition.keys, published.get(partition.folder)?.keys));

  // Athena reads an unpartitioned table at the table's location, so that location moves with each
  // change. A partitioned table's location is only the folder above its partitions' manifests.
  let location = manifests;
  if (dataset.partitionBy.length === 0) location = changed.length > 0 || !stored ? manifestRoot : stored.location;
  const input = tableInputFromDataset(dataset, tableDataPrefix(database, table));
  await catalog.upsertTable({ ...input, storage: SYMLINK_MANIFEST_STORAGE_FORMAT, location });

  let manifestsWritten = 0;
  const moves: PartitionInput[] = [];
  for (const partition of changed) {
    const folder = partition.folder === '' ? manifestRoot : `${manifestRoot}${partition.folder}/`;
    const manifest = partition.keys.map((key) => catalog.locations.toS3Uri(key)).join('\n');
    if (await putOnce(store, `${folder}manifest`, `${manifest}\n`)) manifestsWritten++;
    moves.push({ values: partition.values, location: folder });
  }

  const partitionMoves = dataset.partitionBy.length > 0 ? moves : [];
  const switched =
    partitionMoves.length > 0 ? await catalog.switchPartitionLocations(database, table, partitionMoves) : { created: 0, updated: 0 };
  const gone = [...published.values()].filter((partition) => partition.folder !== '' && !current.has(partition.folder));
  const deleted = gone.length > 0 ? await catalog.deletePartitions(database, table, gone.map((partition) => partition.values)) : { deleted: 0 };
  return { ...switched, manifestsWritten, partitionsDeleted: deleted.deleted };
}

/** Reads the data files that Glue's partitions (or an unpartitioned table's location) currently list, by partition folder. */
async function publishedManifests(
  store: ObjectStore,
  catalog: GlueCatalog,
  dataset: DatasetDefinition,
  tableLocation: string | undefined,
): Promise<Map<string, PartitionFiles>> {
  const { database, table } = parseTableName(dataset.table);
  const published = new Map<string, PartitionFiles>();
  if (tableLocation === undefined) return published;

  const locations =
    dataset.partitionBy.length === 0
      ? [{ values: [], location: tableLocation }]
      : await catalog.listPartitions(database, table);
  for (const { values, location } of locations) {
    const folder = partitionPath(dataset.partitionBy, Object.fromEntries(dataset.partitionBy.map((column, index) => [column, values[index] ?? null])));
    published.set(folder, { values, folder, keys: await manifestKeys(store, catalog, `${location}manifest`) });
  }
  return published;
}

/** Returns the lake keys a manifest lists, or none when it is missing, as after a data location that predates manifests. */
async function manifestKeys(store: ObjectStore, catalog: GlueCatalog, key: string): Promise<string[]> {
  if (!(await store.head(key))) return [];
  const text = Buffer.from(await store.get(key)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((uri) => catalog.locations.toLakeLocation(uri));
}

function partitionsOf(dataset: DatasetDefinition, snapshot: TableSnapshot): Map<string, PartitionFiles> {
  const partitions = new Map<string, PartitionFiles>();
  for (const file of snapshot.files) {
    const folder = partitionPath(dataset.partitionBy, file.partition);
    const values = dataset.partitionBy.map((column) => file.partition[column] ?? '__HIVE_DEFAULT_PARTITION__');
    const partition = partitions.get(folder) ?? { values, folder, keys: [] };
    partition.keys.push(file.key);
    partitions.set(folder, partition);
  }
  for (const partition of partitions.values()) partition.keys.sort();
  return partitions;
}

function sameKeys(keys: readonly string[], other: readonly string[] | undefined): boolean {
  return other !== undefined && other.length === keys.length && other.every((key, index) => key === keys[index]);
}

/** Writes an object unless it exists; a manifest of a version never changes once written. */
async function putOnce(store: ObjectStore, key: string, body: string): Promise<boolean> {
  try {
    await store.put(key, body, { ifNoneMatch: true, contentType: 'text/plain' });
    return true;
  } catch (error) {
    if (error instanceof ObjectExistsError) return false;
    throw error;
  }
}
