import { parseTableName, tableDataPrefix, type DatasetDefinition, type Principal } from '@carelake/core';
import type { AuditLog } from '@carelake/audit';
import { assertEvolutionAccepted, evolveSchema, tableInputFromDataset, type Catalog, type TableInput } from '@carelake/catalog';
import { partitionPath, type TableSnapshot } from '@carelake/tables';

export interface RegisterResult {
  tableCreated: boolean;
  tableChanged: boolean;
  version: number;
  partitionsAdded: number;
}

/** Audit log and principal that catalog changes are recorded under. */
export interface CatalogAudit {
  audit: AuditLog;
  principal: Principal;
}

/**
 * Describe a table in the catalog: its schema and steward metadata from the dataset file, and one
 * partition per partition folder of the snapshot, when there is one. Both steps are no-ops when
 * nothing changed, and each change is an audit event.
 */
export async function registerTable(
  catalog: Catalog,
  dataset: DatasetDefinition,
  snapshot: TableSnapshot | undefined,
  recorder: CatalogAudit,
): Promise<RegisterResult> {
  const { database, table } = parseTableName(dataset.table);
  const location = tableDataPrefix(database, table);
  await catalog.ensureDatabase(database);
  const input = tableInputFromDataset(dataset, location);
  await checkTypeChanges(catalog, dataset, input);
  const upsert = await catalog.upsertTable(input);
  if (upsert.changed) {
    await recorder.audit.append({
      principal: recorder.principal.name,
      action: upsert.created ? 'catalog.table.create' : 'catalog.table.update',
      resources: [dataset.table],
      outcome: 'success',
      details: { version: upsert.version },
    });
  }

  const result = { tableCreated: upsert.created, tableChanged: upsert.changed, version: upsert.version, partitionsAdded: 0 };
  if (!snapshot || dataset.partitionBy.length === 0) return result;

  const partitions = new Map<string, { values: string[]; location: string }>();
  for (const file of snapshot.files) {
    const folder = partitionPath(dataset.partitionBy, file.partition);
    const values = dataset.partitionBy.map((column) => file.partition[column] ?? '__HIVE_DEFAULT_PARTITION__');
    partitions.set(folder, { values, location: `${location}${folder}/` });
  }
  const added = await catalog.addPartitions(database, table, [...partitions.values()]);
  if (added.added > 0) {
    await recorder.audit.append({
      principal: recorder.principal.name,
      action: 'catalog.partitions.add',
      resources: [dataset.table],
      outcome: 'success',
      details: { partitions: added.added, tableVersion: snapshot.version },
    });
  }
  return { ...result, partitionsAdded: added.added };
}

/**
 * Rejects a dataset file that changes a registered column to a type the files already written
 * cannot be read as, because Athena would then fail every query on the table.
 */
async function checkTypeChanges(catalog: Catalog, dataset: DatasetDefinition, input: TableInput): Promise<void> {
  const stored = await catalog.getTable(input.database, input.name);
  if (!stored) return;

  const seenIn = `the dataset file of ${dataset.table}`;
  const incoming = [...input.columns, ...(input.partitionKeys ?? [])].map((column) => ({ ...column, seenIn }));
  const evolution = evolveSchema([...stored.columns, ...stored.partitionKeys], incoming, { table: dataset.table });
  assertEvolutionAccepted(evolution, dataset.table);
}
