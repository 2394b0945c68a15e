import {
  CLASSIFICATIONS,
  COLUMN_TYPES,
  IDENTIFIER_KINDS,
  parseTableName,
  type Classification,
  type ColumnType,
  type DatasetDefinition,
  type IdentifierKind,
} from '@carelake/core';
import type { CatalogColumn, CatalogTable } from '@carelake/catalog';

/** A column as governance sees it: type, classification and identifier kind. */
export interface GovernedColumn {
  name: string;
  type: ColumnType;
  /** The column's own classification, else the table's. */
  classification: Classification;
  /** Safe Harbor identifier kind, or `quasi`, when the dataset marks one. */
  identifier?: IdentifierKind;
  /** True for a partition column, on which Lake Formation rejects IS [NOT] NULL. */
  partition: boolean;
}

/** A table that policies govern, built from its dataset file or its catalog entry. */
export interface GovernedTable {
  database: string;
  table: string;
  classification: Classification;
  /** Team or principal accountable for the data; it reads the whole table without a grant. */
  owner?: string;
  columns: GovernedColumn[];
}

/** Return `database.table`. */
export function qualifiedName(table: { database: string; table: string }): string {
  return `${table.database}.${table.table}`;
}

/** Build the governed view of a dataset definition. */
export function governedTableFromDataset(dataset: DatasetDefinition): GovernedTable {
  const { database, table } = parseTableName(dataset.table);
  const partitions = new Set(dataset.partitionBy);
  const columns: GovernedColumn[] = Object.entries(dataset.columns).map(([name, column]) => {
    const governed: GovernedColumn = {
      name,
      type: column.type,
      classification: column.classification ?? dataset.classification,
      partition: partitions.has(name),
    };
    if (column.identifier !== undefined) governed.identifier = column.identifier;
    return governed;
  });
  const governed: GovernedTable = { database, table, classification: dataset.classification, columns };
  if (dataset.owner !== undefined) governed.owner = dataset.owner;
  return governed;
}

/**
 * Build the governed view of a registered table from the `carelake.*` parameters that
 * `tableInputFromDataset` writes. A table registered without them is taken as `phi`, the
 * strictest classification, so that a missing label never widens who may be granted it.
 */
export function governedTableFromCatalog(table: CatalogTable): GovernedTable {
  const tableClassification = asClassification(table.parameters['carelake.classification']) ?? 'phi';
  const column = (source: CatalogColumn, partition: boolean): GovernedColumn => {
    const governed: GovernedColumn = {
      name: source.name,
      type: (COLUMN_TYPES as readonly string[]).includes(source.type) ? source.type : 'string',
      classification: asClassification(source.parameters['carelake.classification']) ?? tableClassification,
      partition,
    };
    const identifier = source.parameters['carelake.identifier'];
    if (identifier !== undefined && (IDENTIFIER_KINDS as readonly string[]).includes(identifier)) {
      governed.identifier = identifier as IdentifierKind;
    }
    return governed;
  };
  const governed: GovernedTable = {
    database: table.database,
    table: table.name,
    classification: tableClassification,
    columns: [...table.columns.map((source) => column(source, false)), ...table.partitionKeys.map((source) => column(source, true))],
  };
  const owner = table.parameters['carelake.owner'];
  if (owner !== undefined) governed.owner = owner;
  return governed;
}

function asClassification(value: string | undefined): Classification | undefined {
  return value !== undefined && (CLASSIFICATIONS as readonly string[]).includes(value) ? (value as Classification) : undefined;
}
