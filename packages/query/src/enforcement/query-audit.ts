import type { AuditDetails } from '@carelake/audit';
import { sha256Hex } from '@carelake/core';
import { renderLakeFormationFilter } from '@carelake/governance';
import type { TableGrant } from './table-grants';

/** Longest `details` string the audit log takes. */
const MAX_DETAIL_LENGTH = 200;
/** Row filters listed one per key; the audit log takes 50 keys, and the rest of the event needs a few. */
const MAX_LISTED_FILTERS = 40;

/** A table as one principal's engine exposes it. */
export interface ExposedTable {
  grant: TableGrant;
  /** Columns of its view, in table order. */
  columns: string[];
}

/**
 * Describe what a query reads, for its audit event: `resources` lists each
 * table, then each of its columns as `database.table.column`, and `details`
 * contains the row filter of the n-th table under `rowFilter<n>` (1-based, in
 * the order of `resources`), in Lake Formation's text. The filters are
 * policy, not data. The columns are those of the table's view, which the
 * statement may read, not only those it names.
 *
 * A filter longer than an audit detail may be is recorded as its SHA-256
 * (`sha256:<hex>`); the policy snapshot named by `policySha256` contains it.
 */
export function queryAuditFacts(
  tables: readonly string[],
  exposed: ReadonlyMap<string, ExposedTable>,
  policySha256: string | undefined,
): { resources: string[]; details: AuditDetails } {
  const columns: string[] = [];
  const details: AuditDetails = {};
  if (policySha256 !== undefined) details['policySha256'] = policySha256;

  let unlisted = 0;
  tables.forEach((table, index) => {
    const view = exposed.get(table);
    if (view === undefined) return;
    columns.push(...view.columns.map((column) => `${table}.${column}`));
    if (view.grant.rowFilter === undefined) return;

    if (index >= MAX_LISTED_FILTERS) {
      unlisted++;
      return;
    }
    const text = renderLakeFormationFilter(view.grant.rowFilter);
    details[`rowFilter${index + 1}`] = text.length <= MAX_DETAIL_LENGTH ? text : `sha256:${sha256Hex(text)}`;
  });
  if (unlisted > 0) details['rowFiltersNotListed'] = unlisted;
  return { resources: [...tables, ...columns], details };
}

/** Details of a denied statement: the first construct that denied it, and how many there were. */
export function denialDetails(denials: readonly string[]): AuditDetails {
  const first = denials[0] ?? '';
  return { denied: first.length <= MAX_DETAIL_LENGTH ? first : `${first.slice(0, MAX_DETAIL_LENGTH - 1)}…`, denials: denials.length };
}
