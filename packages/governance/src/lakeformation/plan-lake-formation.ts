import { tableDataPrefix } from '@carelake/core';
import { checkPolicies, hasErrors } from '../checks/check-policies';
import { PolicyCheckError, type PolicyProblem } from '../errors';
import { describeGrantee, granteeKey, type Grantee, type PolicySet } from '../policy/policy-set';
import { diffGovernanceState, type GovernancePlan } from '../plan/governance-plan';
import { buildGovernanceState, type GovernanceState } from '../plan/governance-state';
import type { LakeFormationInForce, LakeFormationScope } from './read-in-force';

/** The S3 bucket and key prefix of the lake, to check that Lake Formation governs its tables. */
export interface LakeLocation {
  bucket: string;
  /** Key prefix of the lake in the bucket, such as `lake/`; empty for the bucket's root. */
  prefix: string;
}

export interface LakeFormationPlan {
  changes: GovernancePlan;
  /** Reasons apply refuses to run: IAMAllowedPrincipals still has access. */
  refusals: string[];
  /** Warnings of `checkPolicies`, plus tables not registered or outside registered locations. */
  warnings: PolicyProblem[];
}

/** Return the IAM ARN of each grantee: its own, or the `arn` the policies give its principal or group. */
export function principalArns(policySet: PolicySet): { arnOf: (grantee: Grantee) => string; missing: PolicyProblem[] } {
  const declared = new Map<string, string>();
  for (const principal of policySet.principals) {
    if (principal.arn !== undefined && !declared.has(granteeKey(principal.grantee))) declared.set(granteeKey(principal.grantee), principal.arn);
  }
  const missing: PolicyProblem[] = [];
  for (const grant of [...policySet.grants, ...policySet.tagGrants]) {
    if (grant.grantee.kind === 'iam' || declared.has(granteeKey(grant.grantee))) continue;
    const under = grant.grantee.kind === 'group' ? 'groups' : 'principals';
    missing.push({
      severity: 'error',
      code: 'missing-arn',
      file: grant.source.file,
      keyPath: grant.source.keyPath,
      message: `${describeGrantee(grant.grantee)} has no IAM ARN for Lake Formation: set arn for it under ${under}:`,
    });
  }
  const arnOf = (grantee: Grantee): string => (grantee.kind === 'iam' ? grantee.arn : (declared.get(granteeKey(grantee)) ?? granteeKey(grantee)));
  return { arnOf, missing };
}

/** Return what carelake manages in Lake Formation for a policy set. */
export function lakeFormationScope(policySet: PolicySet, catalogId: string): LakeFormationScope {
  const { arnOf } = principalArns(policySet);
  const principals = new Set([...policySet.grants, ...policySet.tagGrants].map((grant) => arnOf(grant.grantee)));
  for (const principal of policySet.principals) if (principal.arn !== undefined) principals.add(principal.arn);
  return {
    catalogId,
    principals,
    tagKeys: new Set(policySet.lfTags.map((tag) => tag.key)),
    tables: policySet.tables.map((table) => ({ database: table.database, table: table.table })),
  };
}

/**
 * Compare the policies with what is in force and list the changes. Raises `PolicyCheckError` when
 * the policies have errors or a grantee has no IAM ARN. Tables the Data Catalog lacks are left out
 * of the changes, with a warning, since Lake Formation can neither tag nor filter them.
 */
export function planLakeFormation(policySet: PolicySet, inForce: LakeFormationInForce, options: { lakeLocation?: LakeLocation } = {}): LakeFormationPlan {
  const problems = checkPolicies(policySet);
  const { arnOf, missing } = principalArns(policySet);
  if (hasErrors(problems) || missing.length > 0) throw new PolicyCheckError([...problems, ...missing]);

  const desired = withoutTables(buildGovernanceState(policySet, arnOf), new Set(inForce.missingTables));
  const warnings = [...problems];
  for (const table of inForce.missingTables) {
    warnings.push({ severity: 'warning', code: 'table-not-registered', message: `table ${table} is not in the Data Catalog yet, so its tags, filters and grants wait for the next apply after the table is registered` });
  }
  if (options.lakeLocation !== undefined) warnings.push(...unregisteredTables(policySet, inForce, options.lakeLocation));

  return { changes: diffGovernanceState(inForce.state, desired), refusals: [...inForce.iamAllowedPrincipals], warnings };
}

function withoutTables(state: GovernanceState, missing: ReadonlySet<string>): GovernanceState {
  if (missing.size === 0) return state;
  const onMissing = (resource: { database?: string; table?: string }): boolean => resource.table !== undefined && missing.has(`${resource.database}.${resource.table}`);
  return {
    lfTags: state.lfTags,
    tagAssignments: Object.fromEntries(Object.entries(state.tagAssignments).filter(([, entry]) => !onMissing(entry.resource))),
    dataCellsFilters: Object.fromEntries(Object.entries(state.dataCellsFilters).filter(([, filter]) => !onMissing(filter))),
    permissions: Object.fromEntries(Object.entries(state.permissions).filter(([, entry]) => !onMissing(entry.resource as { database?: string; table?: string }))),
  };
}

/** Lake Formation enforces permissions only on tables whose location is registered with it. */
function unregisteredTables(policySet: PolicySet, inForce: LakeFormationInForce, location: LakeLocation): PolicyProblem[] {
  const base = `arn:aws:s3:::${location.bucket}/${location.prefix.replace(/^\/+/, '')}`.replace(/\/+$/, '');
  const registered = inForce.registeredLocations.map((arn) => arn.replace(/\/+$/, ''));
  const problems: PolicyProblem[] = [];
  for (const table of policySet.tables) {
    const arn = `${base}/${tableDataPrefix(table.database, table.table)}`.replace(/\/+$/, '');
    if (registered.some((prefix) => arn === prefix || arn.startsWith(`${prefix}/`))) continue;
    problems.push({
      severity: 'warning',
      code: 'location-not-registered',
      message: `the location of ${table.database}.${table.table} (${arn}) is under no location registered with Lake Formation, so IAM alone decides who reads its files`,
    });
  }
  return problems;
}
