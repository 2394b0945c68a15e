import { selectColumns } from '../access/column-selection';
import { tagResourceKey } from '../access/effective-tags';
import { renderLakeFormationFilter } from '../filter/render-lake-formation';
import type { GovernedTable } from '../policy/governed-table';
import type { ColumnsSpec, Grantee, PolicyPermission, PolicySet, TagResource } from '../policy/policy-set';

/** Lake Formation permission names that policies map to. */
export type LakePermission = 'SELECT' | 'DESCRIBE' | 'ALTER' | 'INSERT' | 'DELETE' | 'DROP' | 'CREATE_TABLE' | 'ALL';

/** A resource permissions are granted on, shaped after Lake Formation's `Resource` union. */
export type PermissionResource =
  | { kind: 'database'; database: string }
  | { kind: 'table'; database: string; table: string }
  | { kind: 'allTables'; database: string }
  /** SELECT on some columns: `columnNames` (include) or every column but `excludedColumnNames`. */
  | { kind: 'tableColumns'; database: string; table: string; columnNames?: string[]; excludedColumnNames?: string[] }
  | { kind: 'dataCellsFilter'; database: string; table: string; name: string }
  | { kind: 'tagPolicy'; resourceType: 'DATABASE' | 'TABLE'; expression: Array<{ key: string; values: string[] }> };

/** Permissions of one principal on one resource. */
export interface PermissionEntry {
  principal: string;
  resource: PermissionResource;
  permissions: LakePermission[];
  /** Permissions the principal may grant on (`PermissionsWithGrantOption`). */
  grantable: LakePermission[];
}

export interface DataCellsFilterState {
  database: string;
  table: string;
  name: string;
  /** Lake Formation's text of the row filter; undefined for every row. */
  rowFilter?: string;
  /** Columns kept: a list (`ColumnNames`), or every column but `excludedColumnNames` (`ColumnWildcard`). */
  columnNames?: string[];
  excludedColumnNames?: string[];
}

/**
 * Governance in a form both backends compare: what the policies ask for, or what is in force in
 * Lake Formation or in the stored local snapshot. Keys are canonical, so equal states compare equal.
 */
export interface GovernanceState {
  lfTags: Record<string, string[]>;
  /** Tags attached directly to each resource, by `tagResourceKey`. */
  tagAssignments: Record<string, { resource: TagResource; tags: Record<string, string> }>;
  /** By `database.table/name`. */
  dataCellsFilters: Record<string, DataCellsFilterState>;
  /** By `principal|resourceKey`. */
  permissions: Record<string, PermissionEntry>;
}

export function emptyGovernanceState(): GovernanceState {
  return { lfTags: {}, tagAssignments: {}, dataCellsFilters: {}, permissions: {} };
}

/** Return a canonical text key of a permission resource. */
export function permissionResourceKey(resource: PermissionResource): string {
  switch (resource.kind) {
    case 'database':
      return `database:${resource.database}`;
    case 'table':
      return `table:${resource.database}.${resource.table}`;
    case 'allTables':
      return `table:${resource.database}.*`;
    case 'tableColumns':
      return resource.columnNames !== undefined
        ? `columns:${resource.database}.${resource.table}:include=${[...resource.columnNames].sort().join(',')}`
        : `columns:${resource.database}.${resource.table}:exclude=${[...(resource.excludedColumnNames ?? [])].sort().join(',')}`;
    case 'dataCellsFilter':
      return `filter:${resource.database}.${resource.table}/${resource.name}`;
    case 'tagPolicy':
      return `tags:${resource.resourceType}:${resource.expression.map(({ key, values }) => `${key}=${[...values].sort().join('|')}`).sort().join(';')}`;
  }
}

/** Return the key of a data cells filter: `database.table/name`. */
export function filterStateKey(filter: { database: string; table: string; name: string }): string {
  return `${filter.database}.${filter.table}/${filter.name}`;
}

/** Add permissions to a state, merging them with those the principal already has on the resource. */
export function addPermissions(state: GovernanceState, entry: PermissionEntry): void {
  if (entry.permissions.length === 0 && entry.grantable.length === 0) return;
  const key = `${entry.principal}|${permissionResourceKey(entry.resource)}`;
  const existing = state.permissions[key];
  state.permissions[key] = {
    principal: entry.principal,
    resource: entry.resource,
    permissions: sortedUnion(existing?.permissions ?? [], entry.permissions),
    grantable: sortedUnion(existing?.grantable ?? [], entry.grantable),
  };
}

function sortedUnion<T extends string>(a: readonly T[], b: readonly T[]): T[] {
  return [...new Set([...a, ...b])].sort();
}

/**
 * Build the state a policy set requests. `principalId` returns each grantee's name on the
 * backend: its grantee key locally, its IAM ARN on Lake Formation. Run `checkPolicies` first,
 * because entries that name unknown tables are left out here.
 */
export function buildGovernanceState(policySet: PolicySet, principalId: (grantee: Grantee) => string): GovernanceState {
  const state = emptyGovernanceState();
  const tables = new Map(policySet.tables.map((table) => [`${table.database}.${table.table}`, table]));

  for (const tag of policySet.lfTags) state.lfTags[tag.key] = [...new Set([...(state.lfTags[tag.key] ?? []), ...tag.values])].sort();
  for (const assignment of policySet.tagAssignments) {
    const key = tagResourceKey(assignment.resource);
    const entry = state.tagAssignments[key] ?? { resource: assignment.resource, tags: {} };
    const value = assignment.values[0];
    if (value !== undefined && !(assignment.key in entry.tags)) entry.tags[assignment.key] = value;
    state.tagAssignments[key] = entry;
  }

  for (const filter of policySet.dataCellsFilters) {
    const table = tables.get(`${filter.database}.${filter.table}`);
    if (table === undefined) continue;
    const entry: DataCellsFilterState = { database: filter.database, table: filter.table, name: filter.name, ...columnState(table, filter.columns) };
    if (filter.rowFilter !== undefined) entry.rowFilter = renderLakeFormationFilter(filter.rowFilter.tree);
    state.dataCellsFilters[filterStateKey(entry)] = entry;
  }

  for (const grant of policySet.grants) {
    const principal = principalId(grant.grantee);
    const grantable = (permissions: LakePermission[]): LakePermission[] => (grant.grantOption ? permissions : []);
    const resource = grant.resource;

    if (resource.kind === 'database') {
      const permissions = lakePermissions(grant.permissions, 'database');
      addPermissions(state, { principal, resource, permissions, grantable: grantable(permissions) });
      continue;
    }
    const table = resource.kind === 'table' ? tables.get(`${resource.database}.${resource.table}`) : undefined;
    if (resource.kind === 'table' && table === undefined) continue;

    const others = lakePermissions(grant.permissions.filter((permission) => permission !== 'select'), 'table');
    const selects = grant.permissions.includes('select');
    if (resource.kind === 'table' && selects && grant.filters !== undefined) {
      for (const name of grant.filters) {
        const filterResource: PermissionResource = { kind: 'dataCellsFilter', database: resource.database, table: resource.table, name };
        addPermissions(state, { principal, resource: filterResource, permissions: ['SELECT'], grantable: grantable(['SELECT']) });
      }
    } else if (resource.kind === 'table' && selects && grant.columns !== undefined) {
      const columnsResource: PermissionResource = { kind: 'tableColumns', database: resource.database, table: resource.table, ...columnState(table as GovernedTable, grant.columns) };
      addPermissions(state, { principal, resource: columnsResource, permissions: ['SELECT'], grantable: grantable(['SELECT']) });
    } else if (selects) {
      others.push('SELECT');
    }
    const permissions = [...new Set(others)];
    addPermissions(state, { principal, resource, permissions, grantable: grantable(permissions) });
  }

  for (const grant of policySet.tagGrants) {
    const resourceType = grant.resourceType === 'table' ? 'TABLE' : 'DATABASE';
    const expression = [...grant.expression].map(({ key, values }) => ({ key, values: [...values].sort() })).sort((a, b) => a.key.localeCompare(b.key));
    const permissions = lakePermissions(grant.permissions, grant.resourceType);
    addPermissions(state, {
      principal: principalId(grant.grantee),
      resource: { kind: 'tagPolicy', resourceType, expression },
      permissions,
      grantable: grant.grantOption ? permissions : [],
    });
  }
  return state;
}

/** Map policy permissions to Lake Formation's for a database or a table. */
export function lakePermissions(permissions: readonly PolicyPermission[], on: 'database' | 'table'): LakePermission[] {
  const mapped = new Set<LakePermission>();
  for (const permission of permissions) {
    if (permission === 'select' && on === 'table') mapped.add('SELECT');
    if (permission === 'describe') mapped.add('DESCRIBE');
    if (permission === 'admin') mapped.add('ALL');
    if (permission === 'steward') {
      const rights: LakePermission[] = on === 'table' ? ['ALTER', 'INSERT', 'DELETE', 'DESCRIBE'] : ['ALTER', 'CREATE_TABLE', 'DESCRIBE'];
      rights.forEach((right) => mapped.add(right));
    }
  }
  return [...mapped].sort();
}

/** Columns as Lake Formation takes them: a list when the policy includes, else every column but the left-out ones. */
function columnState(table: GovernedTable, spec: ColumnsSpec | undefined): { columnNames?: string[]; excludedColumnNames?: string[] } {
  const kept = new Set(selectColumns(table, spec).map((column) => column.name));
  if (spec?.include !== undefined) return { columnNames: [...kept].sort() };
  return { excludedColumnNames: table.columns.map((column) => column.name).filter((name) => !kept.has(name)).sort() };
}
