import type { DatasetDefinition } from '@carelake/core';
import { PolicyResolutionError } from './errors';
import type { LifecyclePolicy, LifecyclePolicyFile, PolicyTransition, RetentionRequirement } from './policy-file';

/** The policy that governs one dataset, with its expiry worked out for the lake's jurisdictions. */
export interface ResolvedPolicy {
  /** Catalog name of the dataset, `database.table`. */
  table: string;
  policyName: string;
  /** `dataset` when the catalog entry names the policy, `classification` when the default applied. */
  source: 'dataset' | 'classification';
  transitions: readonly PolicyTransition[];
  /** Retention requirements that apply in the lake's jurisdictions. */
  retention: readonly RetentionRequirement[];
  /** Maximum of the retention days that apply, or undefined when none does. */
  retentionDays: number | undefined;
  /** Age at which objects expire, or undefined when they are kept forever. */
  expireAfterDays: number | undefined;
  minObjectSizeBytes: number | undefined;
}

export interface ResolvePolicyOptions {
  /**
   * Jurisdictions whose retention rules apply to this lake, such as `['US', 'US-NY']`.
   * When left out, every retention entry of the policy applies.
   */
  jurisdictions?: readonly string[];
}

/**
 * Resolves the policy of a dataset: the one its catalog entry names in `retention`, or else the
 * default of its classification. Raises `PolicyResolutionError` when neither exists.
 */
export function resolveDatasetPolicy(
  dataset: Pick<DatasetDefinition, 'table' | 'classification' | 'retention'>,
  policies: LifecyclePolicyFile,
  options: ResolvePolicyOptions = {},
): ResolvedPolicy {
  const named = dataset.retention;
  const source = named === undefined ? 'classification' : 'dataset';
  const policyName = named ?? policies.defaults[dataset.classification];
  if (policyName === undefined) {
    throw new PolicyResolutionError(
      `dataset ${dataset.table} names no retention policy and classification ${dataset.classification} has no default`,
      { position: { keyPath: 'retention' }, hint: `Set retention in the dataset file, or add defaults.${dataset.classification} to a lifecycle policy file.` },
    );
  }

  const policy = policies.policies[policyName];
  if (policy === undefined) {
    throw new PolicyResolutionError(`dataset ${dataset.table} names retention policy "${policyName}", which is not declared`, {
      position: { keyPath: named === undefined ? `defaults.${dataset.classification}` : 'retention' },
      hint: `Declare it under policies, or use one of: ${Object.keys(policies.policies).join(', ') || 'none'}.`,
    });
  }

  return resolvePolicy(dataset.table, policyName, source, policy, options);
}

function resolvePolicy(
  table: string,
  policyName: string,
  source: ResolvedPolicy['source'],
  policy: LifecyclePolicy,
  options: ResolvePolicyOptions,
): ResolvedPolicy {
  const jurisdictions = options.jurisdictions;
  const retention = policy.retention.filter(
    (requirement) => jurisdictions === undefined || jurisdictions.includes(requirement.jurisdiction),
  );
  const retentionDays = retention.length === 0 ? undefined : Math.max(...retention.map((requirement) => requirement.days));
  const expireAfterDays = policy.neverExpire ? undefined : (policy.expireAfterDays ?? retentionDays);

  return {
    table,
    policyName,
    source,
    transitions: policy.transitions,
    retention,
    retentionDays,
    expireAfterDays,
    minObjectSizeBytes: policy.minObjectSizeBytes,
  };
}
