import type { Principal } from '@carelake/core';
import {
  resolveAccess,
  type AccessBasis,
  type FilterNode,
  type GovernanceSnapshot,
  type VisibleColumn,
} from '@carelake/governance';

/** The part of one registered table that one principal reads, as the engine exposes it. */
export interface TableGrant {
  /** `database.table`. */
  name: string;
  database: string;
  table: string;
  basis: AccessBasis;
  /** Columns readable, in table order; undefined for every column the table has (admins and owners). */
  columns?: VisibleColumn[];
  /** Rows readable; undefined for every row. */
  rowFilter?: FilterNode;
}

/**
 * List the registered tables a principal may read, with the columns and rows
 * of each. Deny by default: an admin reads every table, and anyone else only
 * what the applied governance snapshot grants (`resolveAccess`), so that
 * without a snapshot a non-admin reads nothing. Tables the snapshot names but
 * the catalog does not are left out, as are tables granted without SELECT.
 *
 * The principal's role and groups come from the caller (carelake.yaml as it
 * is now), the grants from the snapshot (the policies last applied).
 */
export function tableGrants(
  principal: Principal,
  governance: GovernanceSnapshot | undefined,
  registered: ReadonlyArray<{ database: string; table: string }>,
): TableGrant[] {
  if (principal.role === 'admin') {
    return registered.map(({ database, table }) => ({ name: `${database}.${table}`, database, table, basis: 'admin' }));
  }
  if (governance === undefined) return [];

  const names = new Set(registered.map(({ database, table }) => `${database}.${table}`));
  const grants: TableGrant[] = [];
  for (const access of resolveAccess(governance.policySet, principal).tables) {
    const name = `${access.database}.${access.table}`;
    if (!access.select || !names.has(name)) continue;

    const grant: TableGrant = { name, database: access.database, table: access.table, basis: access.basis };
    if (access.basis === 'grants') {
      grant.columns = access.columns;
      if (access.rowFilter !== undefined) grant.rowFilter = access.rowFilter;
    }
    grants.push(grant);
  }
  return grants;
}
