import type { GovernedColumn, GovernedTable } from '../policy/governed-table';
import type { ColumnsSpec } from '../policy/policy-set';

/**
 * Return the columns of a table that a column specification keeps, in table order. Names the table
 * lacks are ignored here; checkPolicies reports them. Include and exclude together (which Lake
 * Formation does not accept, and checkPolicies reports) keep the included columns not excluded.
 */
export function selectColumns(table: GovernedTable, spec: ColumnsSpec | undefined): GovernedColumn[] {
  if (spec === undefined) return [...table.columns];
  const include = spec.include === undefined ? undefined : new Set(spec.include);
  const exclude = new Set(spec.exclude ?? []);
  const excludedClassifications = new Set(spec.excludeClassifications ?? []);
  const excludedIdentifiers = new Set(spec.excludeIdentifiers ?? []);
  return table.columns.filter(
    (column) =>
      (include === undefined || include.has(column.name)) &&
      !exclude.has(column.name) &&
      !excludedClassifications.has(column.classification) &&
      (column.identifier === undefined || !excludedIdentifiers.has(column.identifier)),
  );
}
