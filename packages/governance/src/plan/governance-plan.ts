import type { TagResource } from '../policy/policy-set';
import { tagResourceKey } from '../access/effective-tags';
import {
  permissionResourceKey,
  type DataCellsFilterState,
  type GovernanceState,
  type LakePermission,
  type PermissionEntry,
} from './governance-state';

/** Changes that make the state in force match the state the policies request. */
export interface GovernancePlan {
  createTags: Array<{ key: string; values: string[] }>;
  /** Values to add to or remove from an existing LF-tag. */
  updateTags: Array<{ key: string; add: string[]; remove: string[] }>;
  deleteTags: string[];
  /** Tags to attach, including new values of keys that `unassignTags` detaches first. */
  assignTags: Array<{ resource: TagResource; tags: Record<string, string> }>;
  unassignTags: Array<{ resource: TagResource; tags: Record<string, string> }>;
  createFilters: DataCellsFilterState[];
  updateFilters: DataCellsFilterState[];
  deleteFilters: DataCellsFilterState[];
  grants: PermissionEntry[];
  revokes: PermissionEntry[];
}

/** Returns a plan that changes nothing, for a caller to fill in. */
export function emptyGovernancePlan(): GovernancePlan {
  return {
    createTags: [],
    updateTags: [],
    deleteTags: [],
    assignTags: [],
    unassignTags: [],
    createFilters: [],
    updateFilters: [],
    deleteFilters: [],
    grants: [],
    revokes: [],
  };
}

/** Compute the changes from `current` to `desired`. Both states must cover the same scope. */
export function diffGovernanceState(current: GovernanceState, desired: GovernanceState): GovernancePlan {
  const plan = emptyGovernancePlan();

  for (const [key, values] of sortedEntries(desired.lfTags)) {
    const existing = current.lfTags[key];
    if (existing === undefined) plan.createTags.push({ key, values });
    else {
      const add = values.filter((value) => !existing.includes(value));
      const remove = existing.filter((value) => !values.includes(value));
      if (add.length > 0 || remove.length > 0) plan.updateTags.push({ key, add, remove });
    }
  }
  for (const [key] of sortedEntries(current.lfTags)) if (!(key in desired.lfTags)) plan.deleteTags.push(key);

  const resources = new Set([...Object.keys(current.tagAssignments), ...Object.keys(desired.tagAssignments)]);
  for (const resourceKey of [...resources].sort()) {
    const now = current.tagAssignments[resourceKey];
    const wanted = desired.tagAssignments[resourceKey];
    const resource = (wanted ?? now)?.resource as TagResource;
    const assign: Record<string, string> = {};
    const unassign: Record<string, string> = {};
    for (const [key, value] of Object.entries(wanted?.tags ?? {})) if (now?.tags[key] !== value) assign[key] = value;
    for (const [key, value] of Object.entries(now?.tags ?? {})) if (wanted?.tags[key] !== value) unassign[key] = value;
    if (Object.keys(unassign).length > 0) plan.unassignTags.push({ resource, tags: unassign });
    if (Object.keys(assign).length > 0) plan.assignTags.push({ resource, tags: assign });
  }

  for (const [key, filter] of sortedEntries(desired.dataCellsFilters)) {
    const existing = current.dataCellsFilters[key];
    if (existing === undefined) plan.createFilters.push(filter);
    else if (!sameFilter(existing, filter)) plan.updateFilters.push(filter);
  }
  for (const [key, filter] of sortedEntries(current.dataCellsFilters)) if (!(key in desired.dataCellsFilters)) plan.deleteFilters.push(filter);

  const keys = new Set([...Object.keys(current.permissions), ...Object.keys(desired.permissions)]);
  for (const key of [...keys].sort()) {
    const now = current.permissions[key];
    const wanted = desired.permissions[key];
    const base = (wanted ?? now) as PermissionEntry;
    const grant = entryOf(base, minus(wanted?.permissions, now?.permissions), minus(wanted?.grantable, now?.grantable));
    const revoke = entryOf(base, minus(now?.permissions, wanted?.permissions), minus(now?.grantable, wanted?.grantable));
    if (grant !== undefined) plan.grants.push(grant);
    if (revoke !== undefined) plan.revokes.push(revoke);
  }
  return plan;
}

/** True when the plan changes nothing. */
export function isEmptyPlan(plan: GovernancePlan): boolean {
  return Object.values(plan).every((changes: unknown[]) => changes.length === 0);
}

/** Count the changes of each kind, for a summary line. */
export function countPlan(plan: GovernancePlan): Record<keyof GovernancePlan, number> {
  return Object.fromEntries(Object.entries(plan).map(([kind, changes]) => [kind, (changes as unknown[]).length])) as Record<keyof GovernancePlan, number>;
}

/** Describe a plan line by line, as `carelake grants plan` prints it. */
export function describePlan(plan: GovernancePlan): string {
  const lines: string[] = [];
  for (const tag of plan.createTags) lines.push(`+ LF-tag ${tag.key} = ${tag.values.join(', ')}`);
  for (const tag of plan.updateTags) lines.push(`~ LF-tag ${tag.key}${tag.add.length ? ` add ${tag.add.join(', ')}` : ''}${tag.remove.length ? ` remove ${tag.remove.join(', ')}` : ''}`);
  for (const change of plan.unassignTags) lines.push(`- tags ${formatTags(change.tags)} on ${tagResourceKey(change.resource)}`);
  for (const change of plan.assignTags) lines.push(`+ tags ${formatTags(change.tags)} on ${tagResourceKey(change.resource)}`);
  for (const filter of plan.createFilters) lines.push(`+ data cells filter ${describeFilter(filter)}`);
  for (const filter of plan.updateFilters) lines.push(`~ data cells filter ${describeFilter(filter)}`);
  for (const entry of plan.revokes) lines.push(`- revoke ${describeEntry(entry)}`);
  for (const entry of plan.grants) lines.push(`+ grant ${describeEntry(entry)}`);
  for (const filter of plan.deleteFilters) lines.push(`- data cells filter ${filter.database}.${filter.table}/${filter.name}`);
  for (const key of plan.deleteTags) lines.push(`- LF-tag ${key}`);
  return lines.length === 0 ? 'no changes' : lines.join('\n');
}

/** Describe a permission entry: `SELECT, DESCRIBE (grantable SELECT) on table:clinical.patients to group:analysts`. */
export function describeEntry(entry: PermissionEntry): string {
  const grantable = entry.grantable.length > 0 ? ` (grantable ${entry.grantable.join(', ')})` : '';
  return `${entry.permissions.join(', ') || 'grant option'}${grantable} on ${permissionResourceKey(entry.resource)} to ${entry.principal}`;
}

function describeFilter(filter: DataCellsFilterState): string {
  const columns = filter.columnNames !== undefined ? `columns ${filter.columnNames.join(', ')}` : `all columns but ${filter.excludedColumnNames?.join(', ') || 'none'}`;
  return `${filter.database}.${filter.table}/${filter.name}: rows ${filter.rowFilter ?? 'all'}; ${columns}`;
}

function formatTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `${key}=${value}`)
    .join(', ');
}

// NOTE: row filters compare as text; if Lake Formation returns another spelling than the renderer's, every plan updates the filter.
function sameFilter(a: DataCellsFilterState, b: DataCellsFilterState): boolean {
  const list = (names: string[] | undefined): string | undefined => (names === undefined ? undefined : [...names].sort().join(','));
  return (
    a.rowFilter === b.rowFilter &&
    list(a.columnNames) === list(b.columnNames) &&
    // An empty exclusion list and none both mean every column.
    (list(a.excludedColumnNames) ?? '') === (list(b.excludedColumnNames) ?? '')
  );
}

function minus(a: readonly LakePermission[] | undefined, b: readonly LakePermission[] | undefined): LakePermission[] {
  return (a ?? []).filter((permission) => !(b ?? []).includes(permission));
}

function entryOf(base: PermissionEntry, permissions: LakePermission[], grantable: LakePermission[]): PermissionEntry | undefined {
  if (permissions.length === 0 && grantable.length === 0) return undefined;
  return { principal: base.principal, resource: base.resource, permissions, grantable };
}

function sortedEntries<T>(record: Record<string, T>): Array<[string, T]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
