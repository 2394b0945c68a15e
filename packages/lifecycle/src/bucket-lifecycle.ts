import {
  DeleteBucketLifecycleCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  type LifecycleRule,
  type S3Client,
  type TransitionDefaultMinimumObjectSize,
} from '@aws-sdk/client-s3';
import { canonicalJson } from '@carelake/core';
import { BucketLifecycleError } from './errors';
import type { ResolvedPolicy } from './resolve-policy';
import { RULE_ID_PREFIX, renderLifecycleRule } from './s3-rules';

export interface RuleChange {
  ruleId: string;
  action: 'create' | 'update' | 'delete' | 'unchanged';
  /** The rule as the policies render it; absent for `delete`. */
  desired?: LifecycleRule;
  /** The rule as the bucket has it; absent for `create`. */
  current?: LifecycleRule;
}

/** The bucket that holds the lake, and the lake's key prefix in it (`aws.bucket` and `aws.prefix`). */
export interface LakeBucket {
  bucket: string;
  prefix?: string;
}

/** Differences between the policies and one bucket's lifecycle configuration. */
export interface LifecyclePlan {
  bucket: string;
  changes: RuleChange[];
  /** Rules whose IDs do not start with `carelake-`, kept as they are by `apply`. */
  otherRules: LifecycleRule[];
  /** The bucket's size floor for transitions; `apply` sets `all_storage_classes_128K`. */
  currentTransitionMinimumObjectSize: TransitionDefaultMinimumObjectSize | undefined;
}

/** Size floor `apply` writes, so that the behaviour does not depend on when the bucket was configured. */
export const TRANSITION_MINIMUM_OBJECT_SIZE: TransitionDefaultMinimumObjectSize = 'all_storage_classes_128K';

/** A rule of the bucket that no longer matches the policies last applied. */
export interface LifecycleDrift {
  ruleId: string;
  /** `missing`: removed by hand or never applied. `changed`: edited by hand. `unexpected`: a carelake rule no policy renders. */
  kind: 'missing' | 'changed' | 'unexpected';
}

/** Reads the bucket's lifecycle rules and compares them with those the policies render. */
export async function planBucketLifecycle(client: S3Client, lake: LakeBucket, policies: readonly ResolvedPolicy[]): Promise<LifecyclePlan> {
  const bucket = lake.bucket;
  const current = await readLifecycleConfiguration(client, bucket);
  const currentRules = current.rules;
  const desiredRules = policies.map((policy) => renderLifecycleRule(policy, lake.prefix));
  const currentById = new Map(currentRules.filter(isCarelakeRule).map((rule) => [rule.ID ?? '', rule]));
  const desiredIds = new Set(desiredRules.map((rule) => rule.ID));

  const changes: RuleChange[] = desiredRules.map((desired) => {
    const ruleId = desired.ID ?? '';
    const current = currentById.get(ruleId);
    if (current === undefined) return { ruleId, action: 'create', desired };
    const action = sameRule(current, desired) ? 'unchanged' : 'update';
    return { ruleId, action, desired, current };
  });
  for (const [ruleId, current] of currentById) {
    if (!desiredIds.has(ruleId)) changes.push({ ruleId, action: 'delete', current });
  }

  return {
    bucket,
    changes,
    otherRules: currentRules.filter((rule) => !isCarelakeRule(rule)),
    currentTransitionMinimumObjectSize: current.transitionMinimumObjectSize,
  };
}

/** Returns true when applying the plan would change the bucket. */
export function planHasChanges(plan: LifecyclePlan): boolean {
  const sizeFloorChanges = plan.currentTransitionMinimumObjectSize !== TRANSITION_MINIMUM_OBJECT_SIZE;
  return sizeFloorChanges || plan.changes.some((change) => change.action !== 'unchanged');
}

/**
 * Writes the plan's rules, with the bucket's other rules unchanged, as the bucket's lifecycle
 * configuration, with objects under 128 KiB left untransitioned (`TRANSITION_MINIMUM_OBJECT_SIZE`).
 */
export async function applyBucketLifecycle(client: S3Client, plan: LifecyclePlan): Promise<void> {
  const carelakeRules = plan.changes.flatMap((change) => (change.desired === undefined ? [] : [change.desired]));
  const rules = [...plan.otherRules, ...carelakeRules];
  try {
    if (rules.length === 0) {
      // S3 rejects a configuration without rules, so an empty one is a delete.
      await client.send(new DeleteBucketLifecycleCommand({ Bucket: plan.bucket }));
      return;
    }
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: plan.bucket,
        LifecycleConfiguration: { Rules: rules },
        TransitionDefaultMinimumObjectSize: TRANSITION_MINIMUM_OBJECT_SIZE,
      }),
    );
  } catch (error) {
    throw new BucketLifecycleError(`writing the lifecycle configuration of bucket ${plan.bucket} failed`, plan.bucket, {
      cause: error,
      hint: 'Check that the caller may call s3:PutLifecycleConfiguration on the bucket, then run apply again.',
    });
  }
}

/** Reports the carelake rules of the bucket that differ from the policies. */
export async function checkBucketLifecycle(client: S3Client, lake: LakeBucket, policies: readonly ResolvedPolicy[]): Promise<LifecycleDrift[]> {
  const plan = await planBucketLifecycle(client, lake, policies);
  const drift: LifecycleDrift[] = [];
  for (const change of plan.changes) {
    if (change.action === 'create') drift.push({ ruleId: change.ruleId, kind: 'missing' });
    if (change.action === 'update') drift.push({ ruleId: change.ruleId, kind: 'changed' });
    if (change.action === 'delete') drift.push({ ruleId: change.ruleId, kind: 'unexpected' });
  }
  return drift;
}

interface CurrentConfiguration {
  rules: LifecycleRule[];
  transitionMinimumObjectSize: TransitionDefaultMinimumObjectSize | undefined;
}

async function readLifecycleConfiguration(client: S3Client, bucket: string): Promise<CurrentConfiguration> {
  try {
    const output = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return { rules: output.Rules ?? [], transitionMinimumObjectSize: output.TransitionDefaultMinimumObjectSize };
  } catch (error) {
    // The SDK has no class for this error code; S3 returns it for a bucket with no configuration.
    if (error instanceof Error && error.name === 'NoSuchLifecycleConfiguration') {
      return { rules: [], transitionMinimumObjectSize: undefined };
    }
    throw new BucketLifecycleError(`reading the lifecycle configuration of bucket ${bucket} failed`, bucket, {
      cause: error,
      hint: 'Check that the bucket exists and the caller may call s3:GetLifecycleConfiguration on it.',
    });
  }
}

function isCarelakeRule(rule: LifecycleRule): boolean {
  return rule.ID?.startsWith(RULE_ID_PREFIX) ?? false;
}

/** Compares two rules by content, ignoring key order and fields left undefined. */
function sameRule(left: LifecycleRule, right: LifecycleRule): boolean {
  return canonicalJson(withoutUndefined(left)) === canonicalJson(withoutUndefined(right));
}

function withoutUndefined(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}
