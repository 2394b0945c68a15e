import type { AuditDetails, AuditEventInput } from '@carelake/audit';
import { sha256Hex } from '@carelake/core';
import {
  countPlan,
  EffectiveTags,
  matchesExpression,
  permissionResourceKey,
  renderLakeFormationFilter,
  selectColumns,
  type DataCellsFilterState,
  type GovernancePlan,
  type PermissionEntry,
  type PolicySet,
} from '@carelake/governance';

/** Longest `details` string the audit log takes. */
const MAX_DETAIL_LENGTH = 200;

/**
 * Build the audit events of an applied plan: one per permission granted or
 * revoked and per data cells filter created, updated or deleted. Each names
 * the tables and columns it reaches and its row filter. A last
 * `governance.apply` event counts every kind of change. A grant is described
 * from the policy set applied, a revoke from the set it replaced.
 */
export function applyAuditEvents(
  plan: GovernancePlan,
  sets: { applied: PolicySet; previous: PolicySet | undefined; appliedSha256: string; previousSha256: string | undefined },
  principal: string,
): AuditEventInput[] {
  const events: AuditEventInput[] = [];
  const event = (action: string, reach: Reach, details: AuditDetails): void => {
    events.push({ principal, action, resources: reach.resources, outcome: 'success', details: { ...details, ...reach.details } });
  };

  for (const entry of plan.revokes) event('permission.revoke', permissionReach(entry, sets.previous ?? sets.applied), permissionDetails(entry));
  for (const entry of plan.grants) event('permission.grant', permissionReach(entry, sets.applied), permissionDetails(entry));
  for (const filter of plan.createFilters) event('data_cells_filter.create', filterReach(filter, sets.applied), {});
  for (const filter of plan.updateFilters) event('data_cells_filter.update', filterReach(filter, sets.applied), {});
  for (const filter of plan.deleteFilters) event('data_cells_filter.delete', filterReach(filter, sets.previous ?? sets.applied), {});

  const counts = Object.fromEntries(Object.entries(countPlan(plan)).filter(([, count]) => count > 0));
  events.push({
    principal,
    action: 'governance.apply',
    resources: [],
    outcome: 'success',
    details: {
      policySha256: sets.appliedSha256,
      ...(sets.previousSha256 === undefined ? {} : { previousPolicySha256: sets.previousSha256 }),
      ...counts,
    },
  });
  return events;
}

/** The reach of a plan entry: tables, then columns as `database.table.column`, and its row filter. */
interface Reach {
  resources: string[];
  details: AuditDetails;
}

function permissionDetails(entry: PermissionEntry): AuditDetails {
  return {
    grantee: limited(entry.principal),
    permissions: entry.permissions.join(','),
    ...(entry.grantable.length > 0 ? { grantable: entry.grantable.join(',') } : {}),
    resourceKind: entry.resource.kind,
  };
}

function permissionReach(entry: PermissionEntry, set: PolicySet): Reach {
  const resource = entry.resource;
  switch (resource.kind) {
    case 'database':
      return { resources: [resource.database], details: {} };
    case 'table':
      return { resources: [`${resource.database}.${resource.table}`], details: {} };
    case 'allTables':
      return { resources: [`${resource.database}.*`], details: {} };
    case 'tableColumns': {
      const name = `${resource.database}.${resource.table}`;
      const columns = keptColumns(set, resource.database, resource.table, resource.columnNames, resource.excludedColumnNames);
      return { resources: [name, ...columns.map((column) => `${name}.${column}`)], details: {} };
    }
    case 'dataCellsFilter':
      return filterReach(resource, set);
    case 'tagPolicy': {
      const tags = new EffectiveTags(set);
      const tables = set.tables.filter(
        (table) =>
          matchesExpression(tags.table(table), resource.expression) ||
          table.columns.some((column) => matchesExpression(tags.column(table, column.name), resource.expression)),
      );
      return {
        resources: tables.map((table) => `${table.database}.${table.table}`),
        details: { tagExpression: limited(permissionResourceKey(resource)) },
      };
    }
  }
}

/** Tables, columns and row filter of a data cells filter, as the policy set declares it. */
function filterReach(filter: Pick<DataCellsFilterState, 'database' | 'table' | 'name'>, set: PolicySet): Reach {
  const name = `${filter.database}.${filter.table}`;
  const declared = set.dataCellsFilters.find(
    (candidate) => candidate.database === filter.database && candidate.table === filter.table && candidate.name === filter.name,
  );
  const table = set.tables.find((candidate) => candidate.database === filter.database && candidate.table === filter.table);
  const columns = table === undefined ? [] : selectColumns(table, declared?.columns).map((column) => column.name);
  const rowFilter = declared?.rowFilter === undefined ? 'all rows' : limited(renderLakeFormationFilter(declared.rowFilter.tree));
  return { resources: [name, ...columns.map((column) => `${name}.${column}`)], details: { filter: filter.name, rowFilter } };
}

function keptColumns(set: PolicySet, database: string, table: string, included: string[] | undefined, excluded: string[] | undefined): string[] {
  if (included !== undefined) return [...included];
  const governed = set.tables.find((candidate) => candidate.database === database && candidate.table === table);
  return (governed?.columns ?? []).map((column) => column.name).filter((column) => !(excluded ?? []).includes(column));
}

/** Return the text, or its SHA-256 when it is longer than an audit detail may be. */
function limited(text: string): string {
  return text.length <= MAX_DETAIL_LENGTH ? text : `sha256:${sha256Hex(text)}`;
}
