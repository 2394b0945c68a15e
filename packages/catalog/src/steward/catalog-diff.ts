import type { CatalogColumn, CatalogTable } from '../catalog';
import type { TableDefinition } from '../table-input';

/**
 * One way the catalog differs from what a dataset file declares. `path` is a key path into the
 * table (`columns.birth_date.type`, `parameters.carelake.owner`); `declared` or `stored` is absent
 * when the element exists on one side only. Values are metadata (types, names, descriptions),
 * never table data.
 */
export interface CatalogDifference {
  path: string;
  declared?: string;
  stored?: string;
}

/**
 * Lists what `catalog register` would change: every difference between the declared table and the
 * one in the catalog, in a stable order. An unregistered table gives one difference at `table`.
 */
export function diffTable(declared: TableDefinition, stored: CatalogTable | undefined): CatalogDifference[] {
  const name = `${declared.database}.${declared.name}`;
  if (!stored) return [{ path: 'table', declared: name }];

  const differences: CatalogDifference[] = [];
  compareValue(differences, 'description', declared.description, stored.description);
  compareValue(differences, 'location', declared.location, stored.location);
  compareColumns(differences, 'columns', declared.columns, stored.columns);
  compareColumns(differences, 'partitionKeys', declared.partitionKeys, stored.partitionKeys);
  compareParameters(differences, 'parameters', declared.parameters, stored.parameters);
  return differences;
}

function compareValue(
  differences: CatalogDifference[],
  path: string,
  declared: string | undefined,
  stored: string | undefined,
): void {
  if (declared === stored) return;

  const difference: CatalogDifference = { path };
  if (declared !== undefined) difference.declared = declared;
  if (stored !== undefined) difference.stored = stored;
  differences.push(difference);
}

function compareColumns(
  differences: CatalogDifference[],
  path: string,
  declared: readonly CatalogColumn[],
  stored: readonly CatalogColumn[],
): void {
  const storedByName = new Map(stored.map((column) => [column.name, column]));
  const declaredNames = new Set(declared.map((column) => column.name));

  for (const column of declared) {
    const match = storedByName.get(column.name);
    const columnPath = `${path}.${column.name}`;
    if (!match) {
      differences.push({ path: columnPath, declared: column.type });
      continue;
    }
    compareValue(differences, `${columnPath}.type`, column.type, match.type);
    compareValue(differences, `${columnPath}.comment`, column.comment, match.comment);
    compareParameters(differences, `${columnPath}.parameters`, column.parameters, match.parameters);
  }
  for (const column of stored) {
    if (!declaredNames.has(column.name)) differences.push({ path: `${path}.${column.name}`, stored: column.type });
  }

  const declaredOrder = declared.map((column) => column.name).filter((name) => storedByName.has(name));
  const storedOrder = stored.map((column) => column.name).filter((name) => declaredNames.has(name));
  compareValue(differences, `${path}.order`, declaredOrder.join(','), storedOrder.join(','));
}

function compareParameters(
  differences: CatalogDifference[],
  path: string,
  declared: Readonly<Record<string, string>>,
  stored: Readonly<Record<string, string>>,
): void {
  const keys = [...new Set([...Object.keys(declared), ...Object.keys(stored)])].sort();
  for (const key of keys) compareValue(differences, `${path}.${key}`, declared[key], stored[key]);
}
