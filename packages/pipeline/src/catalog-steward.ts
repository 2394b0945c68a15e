import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import {
  ConfigError,
  DATASET_PARSE_OPTIONS,
  datasetSchema,
  parseTableName,
  parseYamlDocument,
  tableDataPrefix,
  type ConfigIssue,
  type DatasetDefinition,
  type Principal,
} from '@carelake/core';
import { readAuditEvents, type AuditEvent } from '@carelake/audit';
import {
  CatalogInputError,
  diffTable,
  normalizeTableInput,
  tableInputFromDataset,
  type CatalogDifference,
  type TableInput,
} from '@carelake/catalog';
import { currentDatasetOf } from '@carelake/tables';
import type { Lake } from './lake';
import { registerTable, type RegisterResult } from './register';

/**
 * Reads a dataset file and checks everything registration needs: the schema, the PHI stewardship
 * rules, and the Glue rules of the table and its `_current` companion. Raises one `ConfigError`
 * that lists every problem with its key path.
 */
export function readDatasetForCatalog(path: string): DatasetDefinition {
  const file = basename(path);
  const dataset = parseYamlDocument(readFileSync(path, 'utf8'), file, datasetSchema, DATASET_PARSE_OPTIONS);

  const issues: ConfigIssue[] = [];
  for (const described of describedTables(dataset)) {
    const input = tableInputOf(described);
    try {
      normalizeTableInput(input);
    } catch (error) {
      if (!(error instanceof CatalogInputError)) throw error;
      const prefix = described === dataset ? '' : `${described.table}: `;
      for (const issue of error.issues) {
        issues.push({ keyPath: datasetKeyPathOf(issue.keyPath, input), message: `${prefix}${issue.message}` });
      }
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(`${file} cannot be registered: ${issues.length} problem(s)`, issues, { position: { file } });
  }
  return dataset;
}

/** Returns the tables a dataset file describes: the table, and its `_current` companion for a history table. */
export function describedTables(dataset: DatasetDefinition): DatasetDefinition[] {
  return dataset.kind === 'history' ? [dataset, currentDatasetOf(dataset)] : [dataset];
}

export interface DatasetRegistration extends RegisterResult {
  table: string;
}

/**
 * Registers a dataset file's tables in the catalog with their steward metadata, and the
 * partitions of data already committed. Registering an unchanged file writes nothing.
 */
export async function registerDataset(
  lake: Lake,
  dataset: DatasetDefinition,
  principal: Principal,
): Promise<DatasetRegistration[]> {
  const results: DatasetRegistration[] = [];
  for (const described of describedTables(dataset)) {
    const snapshot = await lake.tables.snapshot(described.table);
    const result = await registerTable(lake.catalog, described, snapshot, { audit: lake.audit, principal });
    results.push({ table: described.table, ...result });
  }
  return results;
}

/** Lists, per table of the dataset file, how the catalog differs from the file. */
export async function diffDataset(
  lake: Lake,
  dataset: DatasetDefinition,
): Promise<Array<{ table: string; differences: CatalogDifference[] }>> {
  const results = [];
  for (const described of describedTables(dataset)) {
    const { database, table } = parseTableName(described.table);
    const declared = normalizeTableInput(tableInputOf(described));
    results.push({ table: described.table, differences: diffTable(declared, await lake.catalog.getTable(database, table)) });
  }
  return results;
}

/** Yields the catalog changes of one table from the audit log, oldest first. */
export async function* catalogHistory(lakeRoot: string, table: string): AsyncGenerator<AuditEvent> {
  for await (const event of readAuditEvents(join(lakeRoot, '_audit'), { resource: table })) {
    if (event.action.startsWith('catalog.')) yield event;
  }
}

/** Turns a key path of the catalog's table input into the key path of the dataset file it came from. */
function datasetKeyPathOf(keyPath: string, input: TableInput): string {
  const column = /^(columns|partitionKeys)\[(\d+)\](.*)$/.exec(keyPath);
  if (column) {
    const [, list, index, rest] = column;
    const name = (list === 'columns' ? input.columns : (input.partitionKeys ?? []))[Number(index)]?.name;
    if (name !== undefined) return `columns.${name}${(rest ?? '').replace(/^\.comment$/, '.description')}`;
  }
  if (keyPath.startsWith('parameters.carelake.tag.')) return `tags.${keyPath.slice('parameters.carelake.tag.'.length)}`;
  return keyPath;
}

function tableInputOf(dataset: DatasetDefinition): TableInput {
  const { database, table } = parseTableName(dataset.table);
  return tableInputFromDataset(dataset, tableDataPrefix(database, table));
}
