import { writeFile } from 'node:fs/promises';
import { parseTableName, sha256Hex, type LoadedConfig, type Principal } from '@carelake/core';
import {
  columnFacts,
  renderDataDictionary,
  searchTables,
  tableFacts,
  type CatalogTable,
  type DictionaryFormat,
} from '@carelake/catalog';
import { catalogHistory, diffDataset, readDatasetForCatalog, registerDataset } from '@carelake/pipeline';
import { withLake } from '../context';
import { formatAuditDetails } from './audit';
import { CliUsageError } from '../errors';

type Write = (text: string) => void;

/** Checks every file first, so that one broken file registers nothing, then registers each. */
export async function registerCatalogFiles(
  config: LoadedConfig,
  files: readonly string[],
  principal: Principal,
  write: Write,
): Promise<void> {
  const datasets = files.map((file) => readDatasetForCatalog(file));

  await withLake(config, async (lake) => {
    // Registering describes tables for everyone, so it is the stewards' work, and admins'.
    if (principal.role !== 'steward' && principal.role !== 'admin') {
      await lake.audit.append({ principal: principal.name, action: 'catalog.table.update', resources: datasets.map((dataset) => dataset.table), outcome: 'denied' });
      throw new CliUsageError(`principal ${principal.name} may not register tables: only stewards and admins describe datasets`, {
        hint: 'Run it --as a principal whose role in carelake.yaml is steward or admin.',
      });
    }
    for (const dataset of datasets) {
      for (const result of await registerDataset(lake, dataset, principal)) {
        let state = 'unchanged';
        if (result.tableCreated) state = 'created';
        else if (result.tableChanged) state = 'updated';
        const partitions = result.partitionsAdded > 0 ? `, ${result.partitionsAdded} partition(s) added` : '';
        write(`${result.table}: ${state} (version ${result.version}${partitions})`);
      }
    }
  });
}

export async function describeCatalogTable(config: LoadedConfig, name: string, write: Write): Promise<void> {
  const { database, table: tableName } = parseTableName(name);
  await withLake(config, async (lake) => {
    const table = await lake.catalog.getTable(database, tableName);
    if (!table) {
      throw new CliUsageError(`table ${name} is not in the catalog`, {
        hint: 'List the registered tables with `carelake catalog list`, or register its dataset file.',
      });
    }
    const partitions = table.partitionKeys.length > 0 ? (await lake.catalog.listPartitions(database, tableName)).length : 0;

    write(`${name} (version ${table.version}, updated ${table.updatedAt.toISOString()})`);
    if (table.description) write(table.description.trim());
    write('');
    for (const [label, value] of tableFacts(table)) write(`${label}: ${value}`);
    if (table.partitionKeys.length > 0) write(`Partitions: ${partitions}`);
    write('');
    writeColumns(table, write);
  });
}

function writeColumns(table: CatalogTable, write: Write): void {
  const rows = columnFacts(table).map((column) => [
    column.partitionKey ? `${column.name} (partition)` : column.name,
    column.type,
    column.classification,
    column.vocabulary,
    column.description,
  ]);
  const header = ['column', 'type', 'classification', 'vocabulary', 'description'];
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const render = (cells: string[]): string => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();

  write(render(header));
  write(render(widths.map((width) => '-'.repeat(width))));
  for (const row of rows) write(render(row));
}

export async function listCatalogTables(config: LoadedConfig, database: string | undefined, write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    const tables = await lake.catalog.listTables(database);
    for (const table of tables) {
      const classification = table.parameters['carelake.classification'] ?? '';
      write(`${table.database}.${table.name}  ${classification}  ${firstLine(table.description)}`.trimEnd());
    }
    write(`(${tables.length} table${tables.length === 1 ? '' : 's'})`);
  });
}

export async function searchCatalog(config: LoadedConfig, words: readonly string[], write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    const hits = searchTables(await lake.catalog.listTables(), words.join(' '));
    for (const hit of hits) write(`${hit.table.database}.${hit.table.name}  (${hit.matches.join(', ')})`);
    write(`(${hits.length} match${hits.length === 1 ? '' : 'es'})`);
  });
}

/** Writes what registering the file would change; returns 1 when anything differs, as `diff` does. */
export async function diffCatalogFile(config: LoadedConfig, file: string, write: Write): Promise<number> {
  const dataset = readDatasetForCatalog(file);
  return withLake(config, async (lake) => {
    let differences = 0;
    for (const { table, differences: found } of await diffDataset(lake, dataset)) {
      if (found.length === 0) {
        write(`${table}: the catalog matches the file`);
        continue;
      }
      write(`${table}: ${found.length} difference(s)`);
      for (const difference of found) {
        write(`  ${difference.path}: file ${difference.declared ?? '(absent)'}, catalog ${difference.stored ?? '(absent)'}`);
      }
      differences += found.length;
    }
    return differences === 0 ? 0 : 1;
  });
}

export async function exportCatalog(
  config: LoadedConfig,
  options: { format: DictionaryFormat; out?: string; database?: string },
  write: Write,
): Promise<void> {
  await withLake(config, async (lake) => {
    const tables = await lake.catalog.listTables(options.database);
    const text = renderDataDictionary(tables, options.format, { title: 'carelake data dictionary' });
    if (options.out === undefined) {
      write(text.trimEnd());
      return;
    }
    await writeFile(options.out, text);
    write(`wrote ${tables.length} table(s) to ${options.out}`);
  });
}

export async function writeCatalogHistory(config: LoadedConfig, table: string, write: Write): Promise<void> {
  let events = 0;
  for await (const event of catalogHistory(config.lakeRoot, table)) {
    write(`${event.time}  ${event.action}  ${event.principal}  ${event.outcome}  ${formatAuditDetails(event)}`.trimEnd());
    events++;
  }
  write(`(${events} change${events === 1 ? '' : 's'})`);
}

function firstLine(text: string | undefined): string {
  const line = (text ?? '').trim().replace(/\s+/g, ' ');
  return line.length > 80 ? `${line.slice(0, 77)}...` : line;
}

/** Saves a query for everyone using the lake, and records the change in the audit log. */
export async function saveCatalogQuery(
  config: LoadedConfig,
  input: { name: string; sql: string; description?: string },
  principal: Principal,
  write: Write,
): Promise<void> {
  await withLake(config, async (lake) => {
    const result = await lake.savedQueries.saveQuery({ ...input, savedBy: principal.name });
    if (result.changed) {
      await lake.audit.append({
        principal: principal.name,
        action: result.created ? 'catalog.query.create' : 'catalog.query.update',
        resources: [`query:${input.name}`],
        outcome: 'success',
        // The SQL text may quote field values, so only its hash is kept.
        details: { sqlSha256: sha256Hex(input.sql) },
      });
    }
    let state = 'unchanged';
    if (result.created) state = 'saved';
    else if (result.changed) state = 'updated';
    write(`query ${input.name}: ${state}`);
  });
}

export async function listCatalogQueries(config: LoadedConfig, write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    const queries = await lake.savedQueries.listSavedQueries();
    for (const query of queries) {
      write(`${query.name}  ${query.savedBy}  ${query.updatedAt.toISOString()}  ${firstLine(query.description)}`.trimEnd());
    }
    write(`(${queries.length} saved quer${queries.length === 1 ? 'y' : 'ies'})`);
  });
}

export async function deleteCatalogQuery(config: LoadedConfig, name: string, principal: Principal, write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    const { deleted } = await lake.savedQueries.deleteSavedQuery(name);
    if (!deleted) {
      throw new CliUsageError(`saved query ${name} does not exist`, { hint: 'List them with `carelake catalog queries`.' });
    }
    await lake.audit.append({ principal: principal.name, action: 'catalog.query.delete', resources: [`query:${name}`], outcome: 'success' });
    write(`query ${name}: deleted`);
  });
}

/** Returns the SQL to run: the text given, or the saved query named by `--saved`, never both. */
export async function querySqlOf(config: LoadedConfig, sql: string | undefined, saved: string | undefined): Promise<string> {
  if ((sql === undefined) === (saved === undefined)) {
    throw new CliUsageError('give either SQL or --saved NAME', { hint: 'List saved queries with `carelake catalog queries`.' });
  }
  if (sql !== undefined) return sql;

  return withLake(config, async (lake) => {
    const query = await lake.savedQueries.getSavedQuery(saved as string);
    if (!query) {
      throw new CliUsageError(`saved query ${saved} does not exist`, { hint: 'List saved queries with `carelake catalog queries`.' });
    }
    return query.sql;
  });
}
