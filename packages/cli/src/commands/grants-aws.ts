import type { LoadedConfig, Principal } from '@carelake/core';
import {
  countPlan,
  createLakeFormationClient,
  explainAccess,
  formatProblem,
  GovernanceError,
  isEmptyPlan,
  LakeFormationApplyError,
  LakeFormationGovernance,
  policySetHash,
  type LakeFormationInForce,
  type LakeFormationPlan,
  type PolicySet,
} from '@carelake/governance';
import type { Lake } from '@carelake/pipeline';
import { CliUsageError } from '../errors';
import { applyAuditEvents } from './grants-audit';
import { formatPlan, type PlanListing } from './plan-listing';

type Write = (text: string) => void;

/** Names of the SDK errors for a request the caller is not authorized to make. */
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied']);

const ADMIN_HINT =
  'Run this as an IAM identity that is a Lake Formation data lake administrator: one of the lakeAdmins ARNs ' +
  'given to the CDK app in infra/, or one added under Lake Formation > Administrative roles and tasks.';

/** Lake Formation denied a request to the caller's IAM identity. */
export class LakeFormationAccessDeniedError extends GovernanceError {}

/**
 * Return the AWS account id that owns the Data Catalog, which Lake Formation calls the catalog id:
 * the account of the KMS key ARN in `keys.keyId`, because the CDK app creates that key in the
 * account of the lake. NOTE: a key shared from another account would name the wrong catalog.
 * @throws CliUsageError when `keys.keyId` is not a full KMS key ARN.
 */
export function awsCatalogId(config: LoadedConfig): string {
  const keyId = config.keys.provider === 'kms' ? config.keys.keyId : '';
  const account = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:(\d{12}):(key|alias)\//.exec(keyId)?.[1];
  if (account === undefined) {
    throw new CliUsageError('keys.keyId must be the ARN of the lake key, so that the account of the Data Catalog is known', {
      hint: 'Set keys.keyId to the full ARN of the KMS key, such as arn:aws:kms:eu-west-1:111122223333:key/<id>, from the outputs of the Lake stack.',
    });
  }
  return account;
}

/** Run `work` with a Lake Formation governance over the Data Catalog of the configured account. */
async function withLakeFormation<T>(config: LoadedConfig, work: (governance: LakeFormationGovernance) => Promise<T>): Promise<T> {
  const catalogId = awsCatalogId(config);
  const aws = config.aws;
  if (aws === undefined) throw new CliUsageError('carelake.yaml has no aws section', { hint: 'Add aws.region and aws.bucket to carelake.yaml.' });

  const client = createLakeFormationClient(aws.region);
  try {
    const prefix = aws.prefix === '' || aws.prefix.endsWith('/') ? aws.prefix : `${aws.prefix}/`;
    return await work(new LakeFormationGovernance({ client, catalogId, lakeLocation: { bucket: aws.bucket, prefix } }));
  } finally {
    client.destroy();
  }
}

/** Read what is in force and plan the changes, naming the reads when Lake Formation denies them. */
async function planOn(governance: LakeFormationGovernance, set: PolicySet): Promise<LakeFormationPlan & { inForce: LakeFormationInForce }> {
  try {
    return await governance.plan(set);
  } catch (error) {
    if (!(error instanceof Error) || !ACCESS_DENIED.has(error.name)) throw error;
    throw new LakeFormationAccessDeniedError(
      'Lake Formation denied reading the permissions in force (GetDataLakeSettings, ListPermissions, ListLFTags, ListDataCellsFilter, GetResourceLFTags, ListResources)',
      { hint: ADMIN_HINT, cause: error },
    );
  }
}

function writePlanNotes(plan: LakeFormationPlan, write: Write): void {
  for (const warning of plan.warnings) write(formatProblem(warning));
  for (const refusal of plan.refusals) write(`apply will refuse: ${refusal}`);
}

/** Print how the policy files differ from the permissions, LF-tags and data cells filters in force in Lake Formation. */
export async function planLakeFormationGrants(config: LoadedConfig, set: PolicySet, folder: string, write: Write, summarize: (plan: LakeFormationPlan['changes']) => string, listing: PlanListing = {}): Promise<void> {
  await withLakeFormation(config, async (governance) => {
    const plan = await planOn(governance, set);
    writePlanNotes(plan, write);
    if (isEmptyPlan(plan.changes)) {
      write(`no changes: Lake Formation matches ${folder} (sha256 ${policySetHash(set).slice(0, 12)})`);
      return;
    }
    write(formatPlan(plan.changes, listing));
    write(`plan: ${summarize(plan.changes)}; run carelake grants apply to put it in force`);
  });
}

/**
 * Put the policy files in force in Lake Formation: plan against what is in force, then apply.
 * The audit events are those of the local backend. A failed apply is an audit event too, and
 * Lake Formation keeps the steps done before the failure, so planning again lists what is left.
 */
export async function applyLakeFormationGrants(
  config: LoadedConfig,
  lake: Lake,
  set: PolicySet,
  principal: Principal,
  write: Write,
  summarize: (plan: LakeFormationPlan['changes']) => string,
  listing: PlanListing = {},
): Promise<void> {
  const sha256 = policySetHash(set);
  await withLakeFormation(config, async (governance) => {
    const plan = await planOn(governance, set);
    writePlanNotes(plan, write);
    if (isEmptyPlan(plan.changes)) {
      write(`no changes: Lake Formation already matches the policies (sha256 ${sha256.slice(0, 12)})`);
      return;
    }

    try {
      await governance.apply(plan);
    } catch (error) {
      await lake.audit.append({
        principal: principal.name,
        action: 'governance.apply',
        resources: [],
        outcome: 'failure',
        details: { policySha256: sha256, ...(error instanceof LakeFormationApplyError ? { completedSteps: error.completedSteps.length } : {}) },
      });
      throw deniedApply(error) ?? error;
    }

    for (const event of applyAuditEvents(plan.changes, { applied: set, previous: undefined, appliedSha256: sha256, previousSha256: undefined }, principal.name)) {
      await lake.audit.append(event);
    }
    write(formatPlan(plan.changes, listing));
    write(`applied policies ${sha256.slice(0, 12)} to Lake Formation: ${summarize(plan.changes)}`);
  });
}

/** Return an access-denied error naming the operations Lake Formation denied, or undefined for any other failure. */
function deniedApply(error: unknown): LakeFormationAccessDeniedError | undefined {
  if (!(error instanceof LakeFormationApplyError)) return undefined;
  const denied = error.failures.filter((failure) => ACCESS_DENIED.has(failure.errorCode));
  if (denied.length === 0) return undefined;
  const operations = [...new Set(denied.map((failure) => failure.operation))].join(', ');
  const done = error.completedSteps.length === 0 ? 'nothing was applied' : `steps done before: ${error.completedSteps.join(', ')}`;
  return new LakeFormationAccessDeniedError(`Lake Formation denied ${operations} for ${denied.length} request(s) (${done})`, {
    hint: ADMIN_HINT,
    cause: error,
  });
}

/**
 * Print what a principal may read under the policy files, and whether Lake Formation has them
 * in force: the files are the only description of a grant's intent, so they are what is explained.
 */
export async function showLakeFormationGrants(config: LoadedConfig, set: PolicySet, principal: Principal, write: Write, table?: string): Promise<void> {
  if (principal.role === 'admin') write(`principal ${principal.name}: admin in carelake.yaml; on AWS it reads what its IAM identity is granted`);
  else write(explainAccess(set, principal, table === undefined ? {} : { table }));

  await withLakeFormation(config, async (governance) => {
    const plan = await planOn(governance, set);
    const changes = Object.values(countPlan(plan.changes)).reduce((total, count) => total + count, 0);
    write(
      changes === 0
        ? `in force in Lake Formation: policies sha256 ${policySetHash(set).slice(0, 12)}`
        : `not in force: Lake Formation differs from the policy files by ${changes} change(s); run carelake grants plan, then carelake grants apply`,
    );
  });
}
