import type { CatalogColumn, CatalogTable } from '../catalog';

/** Returns the steward metadata of a table, read back from its `carelake.*` parameters, as label and value. */
export function tableFacts(table: CatalogTable): Array<[string, string]> {
  const parameter = (key: string): string | undefined => table.parameters[`carelake.${key}`];
  const facts: Array<[string, string | undefined]> = [
    ['Classification', parameter('classification')],
    ['Owner', parameter('owner')],
    ['Steward', parameter('steward')],
    ['Domain', parameter('domain')],
    ['Retention', parameter('retention')],
    ['Update frequency', parameter('update_frequency')],
    ['Kind', parameter('kind')],
    ['Key', parameter('key')],
    ['Source pipeline', parameter('source.pipeline')],
    ['Source inputs', parameter('source.inputs')],
    ['Partitioned by', table.partitionKeys.map((column) => column.name).join(', ') || undefined],
    ['Location', table.location],
  ];
  for (const [key, value] of Object.entries(table.parameters).sort(([a], [b]) => a.localeCompare(b))) {
    if (key.startsWith('carelake.tag.')) facts.push([`Tag ${key.slice('carelake.tag.'.length)}`, value]);
  }
  return facts.filter((fact): fact is [string, string] => fact[1] !== undefined && fact[1] !== '');
}

/** A column of the data dictionary: its catalog fields and steward metadata. */
export interface ColumnFacts {
  name: string;
  type: string;
  partitionKey: boolean;
  classification: string;
  identifier: string;
  vocabulary: string;
  description: string;
}

/** Returns the columns, then the partition keys, in the order a query lists them. */
export function columnFacts(table: CatalogTable): ColumnFacts[] {
  const facts = (column: CatalogColumn, partitionKey: boolean): ColumnFacts => ({
    name: column.name,
    type: column.type,
    partitionKey,
    classification: column.parameters['carelake.classification'] ?? '',
    identifier: column.parameters['carelake.identifier'] ?? '',
    vocabulary: column.parameters['carelake.vocabulary'] ?? '',
    description: column.comment ?? '',
  });
  return [...table.columns.map((column) => facts(column, false)), ...table.partitionKeys.map((column) => facts(column, true))];
}
