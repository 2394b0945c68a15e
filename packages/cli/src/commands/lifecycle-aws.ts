import type { S3Client } from '@aws-sdk/client-s3';
import { loadConfig, type LoadedConfig } from '@carelake/core';
import {
  applyBucketLifecycle,
  checkBucketLifecycle,
  hasErrors,
  planBucketLifecycle,
  planHasChanges,
  resolveDatasetPolicy,
  TRANSITION_MINIMUM_OBJECT_SIZE,
  validateLifecyclePolicies,
  type LakeBucket,
  type LifecyclePlan,
  type ResolvedPolicy,
} from '@carelake/lifecycle';
import { createS3Client } from '@carelake/storage';
import type { GlobalOptions } from '../context';
import { CliUsageError } from '../errors';
import { loadLifecycleDatasets, loadLifecyclePolicies, policiesFolder, type LifecycleSources } from './lifecycle-sources';

type Write = (text: string) => void;

/** Loads carelake.yaml for a command that acts on the bucket, which needs the `aws` section whatever the backend. */
export function loadBucketConfig(options: GlobalOptions): LoadedConfig {
  const env = { ...process.env };
  if (options.lake) env['CARELAKE_LAKE_ROOT'] = options.lake;
  const config = loadConfig({ ...(options.config ? { file: options.config } : {}), env });
  if (!config.aws) {
    throw new CliUsageError('carelake.yaml has no aws section, so there is no bucket to configure', {
      hint: 'Add aws.region and aws.bucket to carelake.yaml.',
    });
  }
  return config;
}

export function bucketClient(config: LoadedConfig): S3Client {
  const aws = requireAws(config);
  return createS3Client({ region: aws.region, ...(aws.endpoint ? { endpoint: aws.endpoint } : {}), forcePathStyle: aws.forcePathStyle });
}

/** Validates the policies and resolves one per dataset; raises when the policy files have an error. */
function loadBucketPolicies(config: LoadedConfig, sources: LifecycleSources, write: Write): ResolvedPolicy[] {
  const policies = loadLifecyclePolicies(policiesFolder(config, sources));
  const datasets = loadLifecycleDatasets(config, sources);
  const issues = validateLifecyclePolicies(policies, { datasets });
  for (const issue of issues) write(`${issue.severity} ${issue.rule} at ${issue.table ? `${issue.table} ` : ''}${issue.keyPath}: ${issue.message}`);
  if (hasErrors(issues)) {
    throw new CliUsageError(`the lifecycle policies have ${issues.filter((issue) => issue.severity === 'error').length} error(s)`, {
      hint: 'Fix the errors listed above; nothing was sent to the bucket.',
    });
  }
  return datasets.map((dataset) => resolveDatasetPolicy(dataset, policies));
}

/** Prints how the bucket's lifecycle configuration differs from the policies. */
export async function planAwsLifecycle(config: LoadedConfig, sources: LifecycleSources, client: S3Client, write: Write): Promise<LifecyclePlan> {
  const policies = loadBucketPolicies(config, sources, write);
  const plan = await planBucketLifecycle(client, lakeBucket(config), policies);
  for (const line of describeBucketPlan(plan)) write(line);
  return plan;
}

/** Writes the policies as the bucket's lifecycle configuration when they differ from it. */
export async function applyAwsLifecycle(config: LoadedConfig, sources: LifecycleSources, client: S3Client, write: Write): Promise<void> {
  const plan = await planAwsLifecycle(config, sources, client, write);
  if (!planHasChanges(plan)) return;
  await applyBucketLifecycle(client, plan);
  write(`applied the lifecycle configuration of bucket ${plan.bucket}`);
}

/** Reports drift of the bucket's carelake rules from the policies. Returns the exit code: 1 on drift, else 0. */
export async function checkAwsLifecycle(config: LoadedConfig, sources: LifecycleSources, client: S3Client, write: Write): Promise<number> {
  const policies = loadBucketPolicies(config, sources, write);
  const drift = await checkBucketLifecycle(client, lakeBucket(config), policies);
  for (const rule of drift) write(`drift ${rule.kind}: rule ${rule.ruleId}`);
  write(drift.length === 0 ? `bucket ${requireAws(config).bucket}: the lifecycle rules match the policies` : `bucket ${requireAws(config).bucket}: ${drift.length} rule(s) drifted; run carelake lifecycle apply`);
  return drift.length === 0 ? 0 : 1;
}

export function describeBucketPlan(plan: LifecyclePlan): string[] {
  const lines = plan.changes.filter((change) => change.action !== 'unchanged').map((change) => `${change.action} rule ${change.ruleId}`);
  if (plan.currentTransitionMinimumObjectSize !== TRANSITION_MINIMUM_OBJECT_SIZE) {
    lines.push(`set TransitionDefaultMinimumObjectSize to ${TRANSITION_MINIMUM_OBJECT_SIZE} (now ${plan.currentTransitionMinimumObjectSize ?? 'unset'})`);
  }
  const unchanged = plan.changes.filter((change) => change.action === 'unchanged').length;
  lines.push(
    planHasChanges(plan)
      ? `plan for bucket ${plan.bucket}: ${lines.length} change(s), ${unchanged} rule(s) unchanged, ${plan.otherRules.length} other rule(s) kept`
      : `no changes: bucket ${plan.bucket} matches the policies (${unchanged} rule(s))`,
  );
  return lines;
}

function lakeBucket(config: LoadedConfig): LakeBucket {
  const aws = requireAws(config);
  return { bucket: aws.bucket, prefix: aws.prefix };
}

function requireAws(config: LoadedConfig): NonNullable<LoadedConfig['aws']> {
  if (!config.aws) throw new CliUsageError('carelake.yaml has no aws section', { hint: 'Add aws.region and aws.bucket to carelake.yaml.' });
  return config.aws;
}
