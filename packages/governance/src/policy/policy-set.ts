import type { Classification } from '@carelake/core';
import type { RowFilter } from '../filter/syntax-tree';
import type { GovernedTable } from './governed-table';
import type { ColumnsSpec, PolicyPermission } from './policy-file';

/**
 * Everything the policy files declare, with table wildcards of filters and grants expanded into
 * one entry per table. Plain data, so that it can be stored as the local snapshot and read back by
 * the query engine, which renders each principal's view of each table from it.
 */
export interface PolicySet {
  formatVersion: 1;
  /** Policy file names read, in order. */
  files: string[];
  /** The tables the datasets (or catalog) describe, which the policies may name. */
  tables: GovernedTable[];
  /** Principals and groups of carelake.yaml, so that the set resolves without the config file. */
  directory: PrincipalDirectory;
  principals: PolicyPrincipal[];
  lfTags: PolicyLfTag[];
  tagAssignments: PolicyTagAssignment[];
  dataCellsFilters: PolicyDataCellsFilter[];
  grants: PolicyGrant[];
  tagGrants: PolicyTagGrant[];
}

/** Where an entry was declared, for messages. */
export interface PolicySource {
  file: string;
  /** Key path of the entry, such as `grants[3]`. */
  keyPath: string;
  /** Key path of the table the entry was expanded for, such as `grants[3].tables[1]`. */
  tableKeyPath?: string;
}

export interface PrincipalDirectory {
  principals: Record<string, { role: 'admin' | 'steward' | 'user'; groups: string[] }>;
  groups: string[];
}

/** Who a grant is for: a principal or group of carelake.yaml, or an IAM role or user by ARN. */
export type Grantee = { kind: 'principal'; name: string } | { kind: 'group'; name: string } | { kind: 'iam'; arn: string };

/** Attributes the policies give a principal or group. */
export interface PolicyPrincipal {
  grantee: Grantee;
  phiAllowed: boolean;
  /** True when the file sets limitedAllowed or phiAllowed, which implies it. */
  limitedAllowed: boolean;
  arn?: string;
  source: PolicySource;
}

export interface PolicyLfTag {
  key: string;
  values: string[];
  fromDatasets?: 'classification';
  source: PolicySource;
}

export type TagResource =
  | { kind: 'database'; database: string }
  | { kind: 'table'; database: string; table: string }
  | { kind: 'column'; database: string; table: string; column: string };

/** LF-tag values attached to one resource. `values` has one entry unless the file is wrong. */
export interface PolicyTagAssignment {
  resource: TagResource;
  key: string;
  values: string[];
  source: PolicySource;
}

export interface PolicyDataCellsFilter {
  name: string;
  database: string;
  table: string;
  /** Rows kept; undefined keeps every row (`AllRowsWildcard`). */
  rowFilter?: RowFilter;
  /** Columns kept; undefined keeps every column. */
  columns?: ColumnsSpec;
  source: PolicySource;
}

export type GrantResource =
  | { kind: 'database'; database: string }
  | { kind: 'table'; database: string; table: string }
  /** Every table of the database, now and later (`TableWildcard`). */
  | { kind: 'allTables'; database: string };

export interface PolicyGrant {
  grantee: Grantee;
  resource: GrantResource;
  permissions: PolicyPermission[];
  grantOption: boolean;
  /** Column selection of SELECT on a named table. */
  columns?: ColumnsSpec;
  /** Data cells filters of the table that SELECT goes through. */
  filters?: string[];
  source: PolicySource;
}

export interface PolicyTagGrant {
  grantee: Grantee;
  resourceType: 'database' | 'table';
  /** All keys must match; a key matches when the resource's value is one of `values`. */
  expression: Array<{ key: string; values: string[] }>;
  permissions: PolicyPermission[];
  grantOption: boolean;
  source: PolicySource;
}

export type { Classification, ColumnsSpec, PolicyPermission };

/** Return a stable text key of a grantee: `principal:ana`, `group:analysts` or the ARN. */
export function granteeKey(grantee: Grantee): string {
  return grantee.kind === 'iam' ? grantee.arn : `${grantee.kind}:${grantee.name}`;
}

/** Return the grantee as written in a policy file, for messages. */
export function describeGrantee(grantee: Grantee): string {
  return grantee.kind === 'iam' ? grantee.arn : `${grantee.kind} ${grantee.name}`;
}
