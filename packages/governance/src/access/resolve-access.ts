import type { ColumnType, Principal } from '@carelake/core';
import { anyOf, type FilterNode } from '../filter/syntax-tree';
import type { GovernedColumn, GovernedTable } from '../policy/governed-table';
import type { PolicyDataCellsFilter, PolicyPermission, PolicySet, PolicySource } from '../policy/policy-set';
import { granteeKey } from '../policy/policy-set';
import { selectColumns } from './column-selection';
import { EffectiveTags, matchesExpression } from './effective-tags';

/** Reason a principal may read a table: the admin role, ownership, or grants. */
export type AccessBasis = 'admin' | 'owner' | 'grants';

/** A column the principal reads. */
export interface VisibleColumn {
  name: string;
  type: ColumnType;
  /**
   * Set when the column's cells are visible on fewer rows than the table's `rowFilter` lets
   * through: elsewhere the cell reads as NULL, as Lake Formation shows cells outside a data
   * cells filter's columns.
   */
  rowFilter?: FilterNode;
}

/** A grant, tag grant or data cells filter that gives access. */
export interface AccessSource {
  kind: 'grant' | 'tagGrant';
  source: PolicySource;
  /** The data cells filter the grant goes through. */
  filter?: string;
}

/** Rights of one principal on one table. */
export interface TableAccess {
  database: string;
  table: string;
  basis: AccessBasis;
  /** May read rows (SELECT). */
  select: boolean;
  /** May see the table's definition (DESCRIBE, implied by SELECT and by steward rights). */
  describe: boolean;
  /** May change the table or its data (ALTER, INSERT, DELETE). */
  steward: boolean;
  /** Columns readable, in table order; empty without SELECT. */
  columns: VisibleColumn[];
  /** Rows readable, as the OR of the filters of every slice granted; undefined for every row. */
  rowFilter?: FilterNode;
  grants: AccessSource[];
}

export interface AccessResolution {
  principal: string;
  /** Tables the principal may read or describe, by database and table. Every other table is denied. */
  tables: TableAccess[];
}

/** A slice of a table that one grant opens: some columns of the rows a filter keeps. */
interface Slice {
  columns: GovernedColumn[];
  rowFilter: FilterNode | undefined;
  origin: AccessSource;
}

/**
 * Resolve what a principal may read, table by table. Deny by default: a table is readable only by
 * admins, by its owner (a principal or group named as the dataset's owner) and through grants.
 * Grants add up as in Lake Formation, where permissions from named-resource and LF-tag grants are
 * a union and several data cells filters show the union of their rows.
 */
export function resolveAccess(policySet: PolicySet, principal: Principal | string): AccessResolution {
  const resolved = typeof principal === 'string' ? principalFromDirectory(policySet, principal) : principal;
  const keys = granteeKeys(policySet, resolved);
  const tags = new EffectiveTags(policySet);
  const tables: TableAccess[] = [];

  for (const table of policySet.tables) {
    if (resolved.role === 'admin' || isOwner(table, resolved)) {
      tables.push(fullAccess(table, resolved.role === 'admin' ? 'admin' : 'owner'));
      continue;
    }
    const access = grantedAccess(policySet, table, keys, tags);
    if (access !== undefined) tables.push(access);
  }
  return { principal: resolved.name, tables };
}

function grantedAccess(policySet: PolicySet, table: GovernedTable, keys: ReadonlySet<string>, tags: EffectiveTags): TableAccess | undefined {
  const slices: Slice[] = [];
  let describe = false;
  let steward = false;
  const origins: AccessSource[] = [];

  for (const grant of policySet.grants) {
    if (!keys.has(granteeKey(grant.grantee))) continue;
    const resource = grant.resource;
    if (resource.kind === 'database' || resource.database !== table.database) continue;
    if (resource.kind === 'table' && resource.table !== table.table) continue;

    const origin: AccessSource = { kind: 'grant', source: grant.source };
    const reads = canSelect(grant.permissions);
    if (reads && grant.filters !== undefined && resource.kind === 'table') {
      for (const name of grant.filters) {
        const filter = findFilter(policySet, table, name);
        if (filter === undefined) continue;
        slices.push(filterSlice(table, filter, { ...origin, filter: name }));
        origins.push({ ...origin, filter: name });
      }
    } else if (reads) {
      slices.push({ columns: selectColumns(table, grant.columns), rowFilter: undefined, origin });
      origins.push(origin);
    } else {
      origins.push(origin);
    }
    describe ||= grant.permissions.length > 0;
    steward ||= grant.permissions.includes('steward') || grant.permissions.includes('admin');
  }

  for (const grant of policySet.tagGrants) {
    if (grant.resourceType !== 'table' || !keys.has(granteeKey(grant.grantee))) continue;
    const matching = table.columns.filter((column) => matchesExpression(tags.column(table, column.name), grant.expression));
    const tableMatches = matchesExpression(tags.table(table), grant.expression);
    if (matching.length === 0 && !tableMatches) continue;

    const origin: AccessSource = { kind: 'tagGrant', source: grant.source };
    origins.push(origin);
    describe = true;
    if (canSelect(grant.permissions) && matching.length > 0) slices.push({ columns: matching, rowFilter: undefined, origin });
    // Lake Formation gives only DESCRIBE when the tags match some columns but the permission needs all of them.
    const everyColumn = matching.length === table.columns.length;
    steward ||= everyColumn && (grant.permissions.includes('steward') || grant.permissions.includes('admin'));
  }

  if (origins.length === 0) return undefined;
  return combineSlices(table, slices, { describe, steward, origins });
}

function combineSlices(
  table: GovernedTable,
  slices: readonly Slice[],
  rights: { describe: boolean; steward: boolean; origins: AccessSource[] },
): TableAccess {
  const access: TableAccess = {
    database: table.database,
    table: table.table,
    basis: 'grants',
    select: slices.some((slice) => slice.columns.length > 0),
    describe: rights.describe || slices.length > 0,
    steward: rights.steward,
    columns: [],
    grants: rights.origins,
  };
  const tableFilter = rowsOf(slices);
  if (tableFilter !== undefined) access.rowFilter = tableFilter;

  for (const column of table.columns) {
    const covering = slices.filter((slice) => slice.columns.some((candidate) => candidate.name === column.name));
    if (covering.length === 0) continue;
    const visible: VisibleColumn = { name: column.name, type: column.type };
    // The column's own filter matters only when some slice opens rows but not this column.
    if (covering.length < slices.length) {
      const columnFilter = rowsOf(covering);
      if (columnFilter !== undefined) visible.rowFilter = columnFilter;
    }
    access.columns.push(visible);
  }
  if (access.columns.length === 0) access.select = false;
  return access;
}

/**
 * OR of the slices' filters; undefined (every row) as soon as one slice keeps every row.
 * NOTE: that several data cells filters union their rows is unverified against Lake Formation.
 */
function rowsOf(slices: readonly Slice[]): FilterNode | undefined {
  if (slices.some((slice) => slice.rowFilter === undefined)) return undefined;
  return anyOf(slices.map((slice) => slice.rowFilter as FilterNode));
}

function filterSlice(table: GovernedTable, filter: PolicyDataCellsFilter, origin: AccessSource): Slice {
  return { columns: selectColumns(table, filter.columns), rowFilter: filter.rowFilter?.tree, origin };
}

function findFilter(policySet: PolicySet, table: GovernedTable, name: string): PolicyDataCellsFilter | undefined {
  return policySet.dataCellsFilters.find((filter) => filter.database === table.database && filter.table === table.table && filter.name === name);
}

function canSelect(permissions: readonly PolicyPermission[]): boolean {
  return permissions.includes('select') || permissions.includes('admin');
}

function fullAccess(table: GovernedTable, basis: AccessBasis): TableAccess {
  return {
    database: table.database,
    table: table.table,
    basis,
    select: true,
    describe: true,
    steward: true,
    columns: table.columns.map((column) => ({ name: column.name, type: column.type })),
    grants: [],
  };
}

function isOwner(table: GovernedTable, principal: Principal): boolean {
  return table.owner !== undefined && (table.owner === principal.name || principal.groups.includes(table.owner));
}

/** Look a principal up by name in the set's copy of carelake.yaml; an unknown name (an IAM ARN) is a plain user. */
export function principalFromDirectory(policySet: PolicySet, name: string): Principal {
  if (name === 'runner') return { name, role: 'admin', groups: [] };
  const declared = policySet.directory.principals[name];
  return declared === undefined ? { name, role: 'user', groups: [] } : { name, role: declared.role, groups: declared.groups };
}

/**
 * Return the grantee keys that stand for a principal: its name, its groups, and the IAM ARNs the
 * policies give them. For a principal named by ARN, also the principals and groups given that ARN.
 */
export function granteeKeys(policySet: PolicySet, principal: Principal): Set<string> {
  const keys = new Set<string>([`principal:${principal.name}`, ...principal.groups.map((group) => `group:${group}`)]);
  if (principal.name.startsWith('arn:')) {
    keys.add(principal.name);
    for (const declared of policySet.principals) {
      if (declared.arn === principal.name) keys.add(granteeKey(declared.grantee));
    }
    return keys;
  }
  for (const declared of policySet.principals) {
    if (declared.arn !== undefined && keys.has(granteeKey(declared.grantee))) keys.add(declared.arn);
  }
  return keys;
}
