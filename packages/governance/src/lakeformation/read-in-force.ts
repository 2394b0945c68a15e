import {
  GetDataLakeSettingsCommand,
  GetResourceLFTagsCommand,
  ListDataCellsFilterCommand,
  ListLFTagsCommand,
  ListPermissionsCommand,
  ListResourcesCommand,
  type DataLakeSettings,
  type LakeFormationClient,
  type LFTagPair,
  type PrincipalPermissions,
} from '@aws-sdk/client-lakeformation';
import type { TagResource } from '../policy/policy-set';
import { tagResourceKey } from '../access/effective-tags';
import {
  addPermissions,
  emptyGovernanceState,
  filterStateKey,
  permissionResourceKey,
  type DataCellsFilterState,
  type GovernanceState,
  type LakePermission,
} from '../plan/governance-state';
import { fromLakeResource, IAM_ALLOWED_PRINCIPALS, tagResourceToLake } from './lake-formation-resources';

/** Resources carelake manages in Lake Formation. Everything else in the account is left alone. */
export interface LakeFormationScope {
  catalogId: string;
  /** IAM ARNs whose permissions the policies decide. */
  principals: ReadonlySet<string>;
  /** LF-tag keys the policies declare. */
  tagKeys: ReadonlySet<string>;
  /** Tables the datasets describe, as `database.table`. */
  tables: ReadonlyArray<{ database: string; table: string }>;
}

/** Permissions, LF-tags, filters and settings in force in Lake Formation, within the scope. */
export interface LakeFormationInForce {
  state: GovernanceState;
  settings: DataLakeSettings;
  /** Why IAM still decides access alone; empty when Lake Formation permissions are in force. */
  iamAllowedPrincipals: string[];
  /** S3 ARNs of the locations registered with Lake Formation (ListResources). */
  registeredLocations: string[];
  /** Tables of the scope that the Data Catalog does not have yet, as `database.table`. */
  missingTables: string[];
  /** Number of requests of each operation, for a summary line. */
  requestCounts: Record<string, number>;
}

/**
 * Read the grants, LF-tags, tag assignments, data cells filters, settings and registered
 * locations in force, following every `NextToken`. One GetResourceLFTags call per managed
 * database and table.
 */
export async function readInForce(client: LakeFormationClient, scope: LakeFormationScope): Promise<LakeFormationInForce> {
  const counts: Record<string, number> = {};
  const count = (operation: string): void => {
    counts[operation] = (counts[operation] ?? 0) + 1;
  };
  const state = emptyGovernanceState();
  const managedTables = new Set(scope.tables.map((table) => `${table.database}.${table.table}`));
  const managedDatabases = new Set(scope.tables.map((table) => table.database));

  count('GetDataLakeSettings');
  const settings = (await client.send(new GetDataLakeSettingsCommand({ CatalogId: scope.catalogId }))).DataLakeSettings ?? {};
  const iamAllowedPrincipals = defaultPermissionFindings(settings);

  let token: string | undefined;
  do {
    count('ListPermissions');
    const page = await client.send(new ListPermissionsCommand({ CatalogId: scope.catalogId, NextToken: token }));
    for (const entry of page.PrincipalResourcePermissions ?? []) {
      const principal = entry.Principal?.DataLakePrincipalIdentifier;
      const resource = fromLakeResource(entry.Resource);
      if (principal === undefined || resource === undefined) continue;
      if (principal === IAM_ALLOWED_PRINCIPALS) {
        if (touchesScope(resource, managedDatabases, managedTables)) {
          iamAllowedPrincipals.push(`${IAM_ALLOWED_PRINCIPALS} has ${(entry.Permissions ?? []).join(', ')} on ${permissionResourceKey(resource)}`);
        }
        continue;
      }
      if (!scope.principals.has(principal)) continue;
      addPermissions(state, {
        principal,
        resource,
        permissions: (entry.Permissions ?? []) as LakePermission[],
        grantable: (entry.PermissionsWithGrantOption ?? []) as LakePermission[],
      });
    }
    token = page.NextToken;
  } while (token);

  do {
    count('ListLFTags');
    const page = await client.send(new ListLFTagsCommand({ CatalogId: scope.catalogId, NextToken: token }));
    for (const tag of page.LFTags ?? []) {
      if (tag.TagKey !== undefined && scope.tagKeys.has(tag.TagKey)) state.lfTags[tag.TagKey] = [...(tag.TagValues ?? [])].sort();
    }
    token = page.NextToken;
  } while (token);

  const missingTables = await readTagAssignments(client, scope, state, managedDatabases, count);

  do {
    count('ListDataCellsFilter');
    const page = await client.send(new ListDataCellsFilterCommand({ NextToken: token }));
    for (const filter of page.DataCellsFilters ?? []) {
      if (!managedTables.has(`${filter.DatabaseName}.${filter.TableName}`) || filter.Name === undefined) continue;
      const entry: DataCellsFilterState = { database: filter.DatabaseName as string, table: filter.TableName as string, name: filter.Name };
      if (filter.RowFilter?.FilterExpression !== undefined && filter.RowFilter.AllRowsWildcard === undefined) entry.rowFilter = filter.RowFilter.FilterExpression;
      if (filter.ColumnNames !== undefined && filter.ColumnWildcard === undefined) entry.columnNames = [...filter.ColumnNames].sort();
      else entry.excludedColumnNames = [...(filter.ColumnWildcard?.ExcludedColumnNames ?? [])].sort();
      state.dataCellsFilters[filterStateKey(entry)] = entry;
    }
    token = page.NextToken;
  } while (token);

  const registeredLocations: string[] = [];
  do {
    count('ListResources');
    const page = await client.send(new ListResourcesCommand({ NextToken: token }));
    for (const resource of page.ResourceInfoList ?? []) if (resource.ResourceArn !== undefined) registeredLocations.push(resource.ResourceArn);
    token = page.NextToken;
  } while (token);

  return { state, settings, iamAllowedPrincipals, registeredLocations, missingTables, requestCounts: counts };
}

async function readTagAssignments(
  client: LakeFormationClient,
  scope: LakeFormationScope,
  state: GovernanceState,
  databases: ReadonlySet<string>,
  count: (operation: string) => void,
): Promise<string[]> {
  const record = (resource: TagResource, pairs: readonly LFTagPair[] | undefined): void => {
    const tags: Record<string, string> = {};
    for (const pair of pairs ?? []) {
      const value = pair.TagValues?.[0];
      if (pair.TagKey !== undefined && value !== undefined && scope.tagKeys.has(pair.TagKey)) tags[pair.TagKey] = value;
    }
    if (Object.keys(tags).length > 0) state.tagAssignments[tagResourceKey(resource)] = { resource, tags };
  };
  if (scope.tagKeys.size === 0) return [];

  for (const database of [...databases].sort()) {
    count('GetResourceLFTags');
    const response = await client.send(
      new GetResourceLFTagsCommand({ CatalogId: scope.catalogId, Resource: tagResourceToLake({ kind: 'database', database }, scope.catalogId), ShowAssignedLFTags: true }),
    );
    record({ kind: 'database', database }, response.LFTagOnDatabase);
  }

  const missing: string[] = [];
  for (const { database, table } of scope.tables) {
    count('GetResourceLFTags');
    try {
      const response = await client.send(
        new GetResourceLFTagsCommand({ CatalogId: scope.catalogId, Resource: tagResourceToLake({ kind: 'table', database, table }, scope.catalogId), ShowAssignedLFTags: true }),
      );
      record({ kind: 'table', database, table }, response.LFTagsOnTable);
      for (const column of response.LFTagsOnColumns ?? []) {
        if (column.Name !== undefined) record({ kind: 'column', database, table, column: column.Name }, column.LFTags);
      }
    } catch (error) {
      // A table in the datasets that no pipeline has registered yet: nothing can be tagged or filtered on it.
      if (error instanceof Error && error.name === 'EntityNotFoundException') missing.push(`${database}.${table}`);
      else throw error;
    }
  }
  return missing;
}

function defaultPermissionFindings(settings: DataLakeSettings): string[] {
  const findings: string[] = [];
  const check = (name: string, list: readonly PrincipalPermissions[] | undefined): void => {
    const entry = list?.find((permission) => permission.Principal?.DataLakePrincipalIdentifier === IAM_ALLOWED_PRINCIPALS);
    if (entry !== undefined) findings.push(`${name} grants ${(entry.Permissions ?? []).join(', ')} to ${IAM_ALLOWED_PRINCIPALS} ("Use only IAM access control" for new resources)`);
  };
  check('CreateDatabaseDefaultPermissions', settings.CreateDatabaseDefaultPermissions);
  check('CreateTableDefaultPermissions', settings.CreateTableDefaultPermissions);
  return findings;
}

function touchesScope(resource: ReturnType<typeof fromLakeResource>, databases: ReadonlySet<string>, tables: ReadonlySet<string>): boolean {
  if (resource === undefined || resource.kind === 'tagPolicy') return false;
  if (resource.kind === 'database' || resource.kind === 'allTables') return databases.has(resource.database);
  return tables.has(`${resource.database}.${resource.table}`);
}
