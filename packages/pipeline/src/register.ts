import { parseTableName, tableDataPrefix, type DatasetDefinition } from '@carelake/core';
import { tableInputFromDataset, type Catalog } from '@carelake/catalog';
import { partitionPath, type TableSnapshot } from '@carelake/tables';

/**
 * Describe a committed table in the catalog: its schema and steward metadata
 * from the dataset file, and one partition per partition folder of the
 * snapshot. Both steps are no-ops when nothing changed.
 */
export async function registerTable(
  catalog: Catalog,
  dataset: DatasetDefinition,
  snapshot: TableSnapshot,
): Promise<{ tableChanged: boolean; partitionsAdded: number }> {
  const { database, table } = parseTableName(dataset.table);
  const location = tableDataPrefix(database, table);
  await catalog.ensureDatabase(database);
  const upsert = await catalog.upsertTable(tableInputFromDataset(dataset, location));

  if (dataset.partitionBy.length === 0) return { tableChanged: upsert.changed, partitionsAdded: 0 };

  const partitions = new Map<string, { values: string[]; location: string }>();
  for (const file of snapshot.files) {
    const folder = partitionPath(dataset.partitionBy, file.partition);
    const values = dataset.partitionBy.map((column) => file.partition[column] ?? '__HIVE_DEFAULT_PARTITION__');
    partitions.set(folder, { values, location: `${location}${folder}/` });
  }
  const added = await catalog.addPartitions(database, table, [...partitions.values()]);
  return { tableChanged: upsert.changed, partitionsAdded: added.added };
}
