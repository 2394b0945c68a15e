import type { ColumnType } from '@carelake/core';
import { filterColumns, GovernanceError, renderDuckDbFilter, type FilterNode, type VisibleColumn } from '@carelake/governance';
import { quoteIdentifier, type SnapshotColumn } from '@carelake/tables';
import type { TableGrant } from './table-grants';

/** The view of one table for one principal, or why the table is withheld from the principal. */
export type GovernedView =
  | {
      kind: 'view';
      /** The SELECT that defines the view. */
      sql: string;
      /** Columns the view exposes, in table order. */
      columns: string[];
    }
  | { kind: 'withheld'; reason: string };

/**
 * Build the SELECT that shows a principal its part of a table: the granted
 * columns of the rows the row filter keeps, over `sourceSql`, which reads
 * the table's committed files. A column visible on fewer rows than the table
 * reads as NULL elsewhere, as Lake Formation shows cells outside a data cells
 * filter. Filters are rendered from their syntax tree, never pasted as text.
 *
 * A grant the data cannot honour withholds the table instead of widening it:
 * a row filter on a column the files lack, or a type row filters cannot
 * compare. Granted columns the files lack are left out. Columns added to the
 * table after the policies were applied stay hidden until a grant names them.
 */
export function governedView(grant: TableGrant, sourceSql: string, tableColumns: readonly SnapshotColumn[]): GovernedView {
  if (grant.columns === undefined && grant.rowFilter === undefined) {
    return { kind: 'view', sql: sourceSql, columns: tableColumns.map((column) => column.name) };
  }

  const types = new Map<string, ColumnType>(tableColumns.map((column) => [column.name, column.type]));
  const granted: VisibleColumn[] = grant.columns ?? tableColumns.map((column) => ({ name: column.name, type: column.type }));
  const selected = granted.filter((column) => types.has(column.name));
  if (selected.length === 0) {
    return { kind: 'withheld', reason: `none of the columns granted on ${grant.name} is in its data files` };
  }

  try {
    const selectList = selected.map((column) =>
      column.rowFilter === undefined
        ? quoteIdentifier(column.name)
        : `CASE WHEN ${renderFilter(grant, column.rowFilter, types)} THEN ${quoteIdentifier(column.name)} END AS ${quoteIdentifier(column.name)}`,
    );
    // NOTE: a query's own predicate that can fail (an overflow) must not see rows this filter drops;
    // DuckDB 1.5.6 evaluates the filter first, in the Parquet scan, but does not promise to.
    const where = grant.rowFilter === undefined ? '' : ` WHERE ${renderFilter(grant, grant.rowFilter, types)}`;
    return {
      kind: 'view',
      sql: `SELECT ${selectList.join(', ')} FROM (${sourceSql}) AS governed_source${where}`,
      columns: selected.map((column) => column.name),
    };
  } catch (error) {
    if (error instanceof GovernanceError) return { kind: 'withheld', reason: error.message };
    throw error;
  }
}

function renderFilter(grant: TableGrant, filter: FilterNode, types: ReadonlyMap<string, ColumnType>): string {
  const missing = filterColumns(filter).filter((column) => !types.has(column));
  if (missing.length > 0) {
    throw new GovernanceError(`the row filter on ${grant.name} reads column(s) ${missing.join(', ')}, which its data files lack`);
  }
  return renderDuckDbFilter(filter, (column) => types.get(column));
}
