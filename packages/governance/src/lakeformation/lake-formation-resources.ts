import type { Resource } from '@aws-sdk/client-lakeformation';
import type { TagResource } from '../policy/policy-set';
import type { PermissionResource } from '../plan/governance-state';

/** The principal Lake Formation uses for "Use only IAM access control". */
export const IAM_ALLOWED_PRINCIPALS = 'IAM_ALLOWED_PRINCIPALS';

/** Build Lake Formation's `Resource` for a permission resource. */
export function toLakeResource(resource: PermissionResource, catalogId: string): Resource {
  switch (resource.kind) {
    case 'database':
      return { Database: { CatalogId: catalogId, Name: resource.database } };
    case 'table':
      return { Table: { CatalogId: catalogId, DatabaseName: resource.database, Name: resource.table } };
    case 'allTables':
      return { Table: { CatalogId: catalogId, DatabaseName: resource.database, TableWildcard: {} } };
    case 'tableColumns':
      return {
        TableWithColumns: {
          CatalogId: catalogId,
          DatabaseName: resource.database,
          Name: resource.table,
          ...(resource.columnNames !== undefined
            ? { ColumnNames: resource.columnNames }
            : { ColumnWildcard: { ExcludedColumnNames: resource.excludedColumnNames ?? [] } }),
        },
      };
    case 'dataCellsFilter':
      return { DataCellsFilter: { TableCatalogId: catalogId, DatabaseName: resource.database, TableName: resource.table, Name: resource.name } };
    case 'tagPolicy':
      return {
        LFTagPolicy: {
          CatalogId: catalogId,
          ResourceType: resource.resourceType,
          Expression: resource.expression.map(({ key, values }) => ({ TagKey: key, TagValues: values })),
        },
      };
  }
}

/**
 * Read a `Resource` of ListPermissions back into a permission resource, or undefined for kinds
 * carelake does not manage (catalog, data locations, LF-tags themselves, named tag expressions).
 * SELECT on every column comes back as `TableWithColumns` with an empty `ColumnWildcard`, which
 * is the same grant as SELECT on the table.
 */
export function fromLakeResource(resource: Resource | undefined): PermissionResource | undefined {
  if (resource === undefined) return undefined;
  if (resource.Database?.Name !== undefined) return { kind: 'database', database: resource.Database.Name };
  if (resource.Table?.DatabaseName !== undefined) {
    if (resource.Table.TableWildcard !== undefined) return { kind: 'allTables', database: resource.Table.DatabaseName };
    if (resource.Table.Name !== undefined) return { kind: 'table', database: resource.Table.DatabaseName, table: resource.Table.Name };
  }
  const columns = resource.TableWithColumns;
  if (columns?.DatabaseName !== undefined && columns.Name !== undefined) {
    const base = { database: columns.DatabaseName, table: columns.Name };
    if (columns.ColumnNames !== undefined) return { kind: 'tableColumns', ...base, columnNames: [...columns.ColumnNames].sort() };
    const excluded = columns.ColumnWildcard?.ExcludedColumnNames ?? [];
    if (excluded.length === 0) return { kind: 'table', ...base };
    return { kind: 'tableColumns', ...base, excludedColumnNames: [...excluded].sort() };
  }
  const filter = resource.DataCellsFilter;
  if (filter?.DatabaseName !== undefined && filter.TableName !== undefined && filter.Name !== undefined) {
    return { kind: 'dataCellsFilter', database: filter.DatabaseName, table: filter.TableName, name: filter.Name };
  }
  const policy = resource.LFTagPolicy;
  if (policy?.Expression !== undefined && (policy.ResourceType === 'TABLE' || policy.ResourceType === 'DATABASE')) {
    const expression = policy.Expression.map((tag) => ({ key: tag.TagKey ?? '', values: [...(tag.TagValues ?? [])].sort() })).sort((a, b) => a.key.localeCompare(b.key));
    return { kind: 'tagPolicy', resourceType: policy.ResourceType, expression };
  }
  return undefined;
}

/** Build the `Resource` that AddLFTagsToResource and RemoveLFTagsFromResource take. */
export function tagResourceToLake(resource: TagResource | { kind: 'columns'; database: string; table: string; columns: string[] }, catalogId: string): Resource {
  switch (resource.kind) {
    case 'database':
      return { Database: { CatalogId: catalogId, Name: resource.database } };
    case 'table':
      return { Table: { CatalogId: catalogId, DatabaseName: resource.database, Name: resource.table } };
    case 'column':
      return { TableWithColumns: { CatalogId: catalogId, DatabaseName: resource.database, Name: resource.table, ColumnNames: [resource.column] } };
    case 'columns':
      return { TableWithColumns: { CatalogId: catalogId, DatabaseName: resource.database, Name: resource.table, ColumnNames: resource.columns } };
  }
}
