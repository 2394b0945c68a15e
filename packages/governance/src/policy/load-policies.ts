import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  ConfigError,
  formatKeyPath,
  parseTableName,
  parseYamlDocument,
  type CarelakeConfig,
  type ConfigIssue,
  type DatasetDefinition,
} from '@carelake/core';
import type { CatalogTable } from '@carelake/catalog';
import { governedTableFromCatalog, governedTableFromDataset, qualifiedName, type GovernedTable } from './governed-table';
import { IAM_ARN, policyFileSchema, type PolicyFile } from './policy-file';
import type {
  GrantResource,
  Grantee,
  PolicyDataCellsFilter,
  PolicyGrant,
  PolicyPrincipal,
  PolicySet,
  PolicySource,
  PolicyTagAssignment,
  PrincipalDirectory,
} from './policy-set';

/** Policy files end with this; other files in the folder are not read. */
export const POLICY_FILE_SUFFIX = '.policy.yaml';

export interface LoadPoliciesOptions {
  /** Declares the principals and groups that policies may name. */
  config: Pick<CarelakeConfig, 'principals' | 'groups'>;
  /** Tables the policies govern, from `pipelines/datasets/`. */
  datasets?: readonly DatasetDefinition[];
  /** Registered tables, for tables without a dataset file; a dataset of the same table wins. */
  catalogTables?: readonly CatalogTable[];
}

/**
 * Read every `*.policy.yaml` in a folder into one policy set. Files that are not valid YAML or do
 * not fit the schema (row filters included) raise one `ConfigError` listing every problem of every
 * file with its key path. References between files, datasets and carelake.yaml are not checked
 * here: `checkPolicies` reports those.
 */
export function loadPolicies(folder: string, options: LoadPoliciesOptions): PolicySet {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) {
    throw new ConfigError(`policy folder ${folder} not found`, [], {
      hint: 'Create pipelines/policies/ with *.policy.yaml files, or pass the folder that holds them.',
    });
  }
  const names = readdirSync(folder)
    .filter((name) => name.endsWith(POLICY_FILE_SUFFIX))
    .sort();

  const files: Array<{ name: string; policy: PolicyFile }> = [];
  const issues: ConfigIssue[] = [];
  for (const name of names) {
    try {
      files.push({ name, policy: parseYamlDocument(readFileSync(join(folder, name), 'utf8'), name, policyFileSchema) });
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const fileIssues = error.issues.length > 0 ? error.issues : [{ keyPath: '', message: error.message }];
      issues.push(...fileIssues.map((issue) => ({ keyPath: `${name} ${issue.keyPath}`.trim(), message: issue.message })));
    }
  }
  if (issues.length > 0) {
    throw new ConfigError(`${issues.length} invalid setting(s) in the policy files of ${folder}`, issues);
  }

  return buildPolicySet(files, governedTables(options), directoryOf(options.config));
}

/** Build a policy set from parsed files; exported for callers that hold policy documents in memory. */
export function buildPolicySet(
  files: ReadonlyArray<{ name: string; policy: PolicyFile }>,
  tables: readonly GovernedTable[],
  directory: PrincipalDirectory,
): PolicySet {
  const set: PolicySet = {
    formatVersion: 1,
    files: files.map((file) => file.name),
    tables: [...tables],
    directory,
    principals: [],
    lfTags: [],
    tagAssignments: [],
    dataCellsFilters: [],
    grants: [],
    tagGrants: [],
  };
  for (const { name, policy } of files) addFile(set, name, policy);
  return set;
}

function addFile(set: PolicySet, file: string, policy: PolicyFile): void {
  const at = (...path: PropertyKey[]): PolicySource => ({ file, keyPath: formatKeyPath(path) });

  for (const [name, attributes] of Object.entries(policy.principals)) {
    const grantee: Grantee = IAM_ARN.test(name) ? { kind: 'iam', arn: name } : { kind: 'principal', name };
    set.principals.push({ grantee, ...dataAttributes(attributes), ...optional('arn', attributes.arn), source: at('principals', name) });
  }
  for (const [name, attributes] of Object.entries(policy.groups)) {
    set.principals.push({ grantee: { kind: 'group', name }, ...dataAttributes(attributes), ...optional('arn', attributes.arn), source: at('groups', name) });
  }

  for (const [key, tag] of Object.entries(policy.lfTags)) {
    set.lfTags.push({ key, values: tag.values, ...optional('fromDatasets', tag.fromDatasets), source: at('lfTags', key) });
    if (tag.fromDatasets === 'classification') {
      set.tagAssignments.push(...classificationAssignments(set.tables, key, at('lfTags', key, 'fromDatasets')));
    }
  }

  policy.tagAssignments.forEach((assignment, index) => {
    const source = at('tagAssignments', index);
    for (const [key, values] of Object.entries(assignment.tags)) {
      for (const resource of tagResources(assignment)) {
        set.tagAssignments.push({ resource, key, values, source: { ...source, keyPath: `${source.keyPath}.tags.${key}` } });
      }
    }
  });

  policy.dataCellsFilters.forEach((filter, index) => {
    for (const { name, keyPath } of namedTables(filter, ['dataCellsFilters', index])) {
      const { database, table } = parseTableName(name);
      const entry: PolicyDataCellsFilter = { name: filter.name, database, table, source: { ...at('dataCellsFilters', index), tableKeyPath: keyPath } };
      if (filter.rows) entry.rowFilter = filter.rows;
      if (filter.columns) entry.columns = filter.columns;
      set.dataCellsFilters.push(entry);
    }
  });

  policy.grants.forEach((grant, index) => {
    const grantee = granteeOf(grant);
    const resources: Array<{ resource: GrantResource; keyPath: string }> =
      grant.database !== undefined
        ? [{ resource: { kind: 'database', database: grant.database }, keyPath: formatKeyPath(['grants', index, 'database']) }]
        : namedTables(grant, ['grants', index]).map(({ name, keyPath }) => ({ resource: grantResource(name), keyPath }));
    for (const { resource, keyPath } of resources) {
      const entry: PolicyGrant = {
        grantee,
        resource,
        permissions: grant.permissions,
        grantOption: grant.grantOption,
        source: { ...at('grants', index), tableKeyPath: keyPath },
      };
      if (grant.columns) entry.columns = grant.columns;
      if (grant.filters) entry.filters = grant.filters;
      set.grants.push(entry);
    }
  });

  policy.tagGrants.forEach((grant, index) => {
    set.tagGrants.push({
      grantee: granteeOf(grant),
      resourceType: grant.resourceType,
      expression: Object.entries(grant.expression).map(([key, values]) => ({ key, values })),
      permissions: grant.permissions,
      grantOption: grant.grantOption,
      source: at('tagGrants', index),
    });
  });
}

/** Return what a principal or group may be granted; phiAllowed implies limitedAllowed, since PHI tells more than a limited data set. */
function dataAttributes(attributes: PolicyFile['principals'][string]): Pick<PolicyPrincipal, 'phiAllowed' | 'limitedAllowed'> {
  return { phiAllowed: attributes.phiAllowed, limitedAllowed: attributes.phiAllowed || attributes.limitedAllowed === true };
}

/** Tag every table with its classification, and each column whose classification differs, since columns inherit the table's. */
function classificationAssignments(tables: readonly GovernedTable[], key: string, source: PolicySource): PolicyTagAssignment[] {
  const assignments: PolicyTagAssignment[] = [];
  for (const table of tables) {
    const { database } = table;
    assignments.push({ resource: { kind: 'table', database, table: table.table }, key, values: [table.classification], source });
    for (const column of table.columns) {
      if (column.classification === table.classification) continue;
      assignments.push({
        resource: { kind: 'column', database, table: table.table, column: column.name },
        key,
        values: [column.classification],
        source,
      });
    }
  }
  return assignments;
}

function tagResources(assignment: PolicyFile['tagAssignments'][number]): PolicyTagAssignment['resource'][] {
  if (assignment.database !== undefined) return [{ kind: 'database', database: assignment.database }];
  const { database, table } = parseTableName(assignment.table as string);
  if (assignment.columns === undefined) return [{ kind: 'table', database, table }];
  return assignment.columns.map((column) => ({ kind: 'column', database, table, column }));
}

function namedTables(entry: { table?: string | undefined; tables?: string[] | undefined }, path: PropertyKey[]): Array<{ name: string; keyPath: string }> {
  if (entry.table !== undefined) return [{ name: entry.table, keyPath: formatKeyPath([...path, 'table']) }];
  return (entry.tables ?? []).map((name, index) => ({ name, keyPath: formatKeyPath([...path, 'tables', index]) }));
}

function grantResource(name: string): GrantResource {
  const [database, table] = name.split('.') as [string, string];
  return table === '*' ? { kind: 'allTables', database } : { kind: 'table', database, table };
}

function granteeOf(entry: { principal?: string | undefined; group?: string | undefined }): Grantee {
  if (entry.group !== undefined) return { kind: 'group', name: entry.group };
  const name = entry.principal as string;
  return IAM_ARN.test(name) ? { kind: 'iam', arn: name } : { kind: 'principal', name };
}

function governedTables(options: LoadPoliciesOptions): GovernedTable[] {
  const tables = new Map<string, GovernedTable>();
  for (const table of options.catalogTables ?? []) {
    const governed = governedTableFromCatalog(table);
    tables.set(qualifiedName(governed), governed);
  }
  for (const dataset of options.datasets ?? []) {
    const governed = governedTableFromDataset(dataset);
    tables.set(qualifiedName(governed), governed);
  }
  return [...tables.values()].sort((a, b) => qualifiedName(a).localeCompare(qualifiedName(b)));
}

function directoryOf(config: LoadPoliciesOptions['config']): PrincipalDirectory {
  const principals: PrincipalDirectory['principals'] = {};
  for (const [name, principal] of Object.entries(config.principals)) {
    principals[name] = { role: principal.role, groups: [...principal.groups] };
  }
  return { principals, groups: Object.keys(config.groups).sort() };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}
