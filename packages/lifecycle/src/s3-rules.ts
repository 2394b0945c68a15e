import { joinKey, parseTableName, tableDataPrefix } from '@carelake/core';
import type { LifecycleRule } from '@aws-sdk/client-s3';
import type { ResolvedPolicy } from './resolve-policy';

/** Rules carelake owns in a bucket carry IDs with this prefix; rules with other IDs are left alone. */
export const RULE_ID_PREFIX = 'carelake-';

/**
 * Object tag that marks whether an object is under a legal hold. The table store tags every data
 * file `carelake-hold=false` as it writes it on AWS, and placing or releasing a hold retags the
 * files it covers (`syncHoldTags`). The rules below match only `false`, so S3 never expires a
 * held object.
 */
export const HOLD_TAG_KEY = 'carelake-hold';
export const HOLD_TAG_NOT_HELD = 'false';
export const HOLD_TAG_HELD = 'true';

/** Returns the ID of the rule that governs a dataset, such as `carelake-clinical.encounters`. */
export function lifecycleRuleId(table: string): string {
  return `${RULE_ID_PREFIX}${table}`;
}

/**
 * Renders a dataset's policy as one S3 lifecycle rule over the dataset's data prefix, under the
 * lake's key prefix in the bucket (`aws.prefix` of `carelake.yaml`, empty by default). Held
 * objects are neither expired nor transitioned, because one rule filters both on the tag.
 * NOTE: an object written without the tag (by another tool) is never transitioned or expired.
 */
export function renderLifecycleRule(policy: ResolvedPolicy, lakePrefix = ''): LifecycleRule {
  const { database, table } = parseTableName(policy.table);
  const prefix = `${joinKey(lakePrefix, tableDataPrefix(database, table))}/`;
  const rule: LifecycleRule = {
    ID: lifecycleRuleId(policy.table),
    Status: 'Enabled',
    Filter: {
      And: {
        Prefix: prefix,
        Tags: [{ Key: HOLD_TAG_KEY, Value: HOLD_TAG_NOT_HELD }],
        ...(policy.minObjectSizeBytes === undefined ? {} : { ObjectSizeGreaterThan: policy.minObjectSizeBytes }),
      },
    },
  };
  if (policy.transitions.length > 0) {
    rule.Transitions = policy.transitions.map((transition) => ({ Days: transition.days, StorageClass: transition.storageClass }));
  }
  if (policy.expireAfterDays !== undefined) {
    rule.Expiration = { Days: policy.expireAfterDays };
  }
  return rule;
}
