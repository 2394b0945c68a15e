import type { DatasetDefinition } from '@carelake/core';
import { formatKeyPath } from '@carelake/core';
import type { LifecyclePolicy, LifecyclePolicyFile } from './policy-file';
import {
  ALLOWED_TRANSITIONS,
  DEFAULT_TRANSITION_MINIMUM_OBJECT_BYTES,
  INFREQUENT_ACCESS_CLASSES,
  INFREQUENT_ACCESS_MINIMUM_DAYS,
  MINIMUM_STORAGE_DAYS,
  type StorageClassName,
} from './storage-classes';

/** The S3 lifecycle or carelake rule a policy breaks, so that callers can branch without reading messages. */
export type LifecycleRuleId =
  | 'transition-not-allowed'
  | 'transition-days-not-increasing'
  | 'infrequent-access-minimum-age'
  | 'infrequent-access-minimum-stay'
  | 'minimum-storage-duration'
  | 'expiry-before-retention'
  | 'expiry-not-after-last-transition'
  | 'expiry-conflict'
  | 'unknown-policy'
  | 'missing-policy'
  | 'small-objects-not-transitioned';

export interface LifecycleIssue {
  severity: 'error' | 'warning';
  rule: LifecycleRuleId;
  /** Key path in the policy file, or in the dataset file when `table` is set. */
  keyPath: string;
  /** Catalog name of the dataset the issue is about, when it is about one. */
  table?: string;
  message: string;
}

/** Counts of a dataset's data objects, from a listing of its prefix. */
export interface DatasetObjectStats {
  objectCount: number;
  /** Objects smaller than 128 KiB, which S3 does not transition by default. */
  objectsUnder128KiBCount: number;
}

export interface ValidateOptions {
  /** Datasets whose `retention` must name a declared policy or fall back to a classification default. */
  datasets?: ReadonlyArray<Pick<DatasetDefinition, 'table' | 'classification' | 'retention'>>;
  /** Object counts per dataset (`database.table`), to warn about datasets of mostly small files. */
  objectStats?: ReadonlyMap<string, DatasetObjectStats>;
}

/**
 * Checks a policy file against the rules S3 applies to lifecycle configurations and against the
 * retention it declares, before anything is applied. Returns every problem found, errors and
 * warnings, each with its key path; an empty list means the file may be applied.
 */
export function validateLifecyclePolicies(file: LifecyclePolicyFile, options: ValidateOptions = {}): LifecycleIssue[] {
  const issues: LifecycleIssue[] = [];
  for (const [name, policy] of Object.entries(file.policies)) {
    issues.push(...validateTransitions(name, policy), ...validateExpiry(name, policy));
  }
  for (const dataset of options.datasets ?? []) {
    issues.push(...validateDataset(dataset, file, options.objectStats?.get(dataset.table)));
  }
  return issues;
}

/** Returns true when the list contains an error, so that `apply` must not run. */
export function hasErrors(issues: readonly LifecycleIssue[]): boolean {
  return issues.some((issue) => issue.severity === 'error');
}

function validateTransitions(name: string, policy: LifecyclePolicy): LifecycleIssue[] {
  const issues: LifecycleIssue[] = [];
  let fromClass: StorageClassName = 'STANDARD';
  let fromDays = 0;

  policy.transitions.forEach((transition, index) => {
    const at = (field: string): string => formatKeyPath(['policies', name, 'transitions', index, field]);
    const target = transition.storageClass;

    if (!ALLOWED_TRANSITIONS[fromClass].includes(target)) {
      const allowed = ALLOWED_TRANSITIONS[fromClass].join(', ') || 'none';
      issues.push(error('transition-not-allowed', at('storageClass'), `S3 does not move objects from ${fromClass} to ${target}; allowed from ${fromClass}: ${allowed}`));
    }
    if (index > 0 && transition.days <= fromDays) {
      issues.push(error('transition-days-not-increasing', at('days'), `is ${transition.days} but must be greater than the previous transition's ${fromDays}, because S3 applies transitions in order of age`));
    }
    if (INFREQUENT_ACCESS_CLASSES.has(target) && transition.days < INFREQUENT_ACCESS_MINIMUM_DAYS) {
      issues.push(error('infrequent-access-minimum-age', at('days'), `is ${transition.days} but S3 moves objects to ${target} only at ${INFREQUENT_ACCESS_MINIMUM_DAYS} days or older`));
    }
    if (index > 0 && transition.days > fromDays) {
      issues.push(...validateStay(fromClass, transition.days - fromDays, at('days')));
    }

    fromClass = target;
    fromDays = transition.days;
  });
  return issues;
}

/** Checks how long objects stay in a class before the next action moves or deletes them. */
function validateStay(storageClass: StorageClassName, stayDays: number, keyPath: string): LifecycleIssue[] {
  const minimumDays = MINIMUM_STORAGE_DAYS[storageClass];
  if (stayDays >= minimumDays) return [];
  if (INFREQUENT_ACCESS_CLASSES.has(storageClass)) {
    return [error('infrequent-access-minimum-stay', keyPath, `leaves objects ${stayDays} days in ${storageClass}, but S3 requires at least ${minimumDays} days there before the next action`)];
  }
  return [warning('minimum-storage-duration', keyPath, `leaves objects ${stayDays} days in ${storageClass}, less than its ${minimumDays}-day minimum storage duration, so S3 charges for the remaining days`)];
}

function validateExpiry(name: string, policy: LifecyclePolicy): LifecycleIssue[] {
  const issues: LifecycleIssue[] = [];
  const keyPath = formatKeyPath(['policies', name, 'expireAfterDays']);
  if (policy.neverExpire && policy.expireAfterDays !== undefined) {
    issues.push(error('expiry-conflict', keyPath, 'is set together with neverExpire: true; remove one of them'));
  }
  if (policy.neverExpire) return issues;

  const expireAfterDays = policy.expireAfterDays ?? longestRetentionDays(policy);
  if (expireAfterDays === undefined) return issues;

  policy.retention.forEach((requirement, index) => {
    if (expireAfterDays < requirement.days) {
      issues.push(error('expiry-before-retention', keyPath, `expires objects after ${expireAfterDays} days, before the ${requirement.days} days that ${requirement.regulation} requires in ${requirement.jurisdiction} (retention[${index}])`));
    }
  });

  const last = policy.transitions.at(-1);
  if (last === undefined) return issues;
  if (expireAfterDays <= last.days) {
    issues.push(error('expiry-not-after-last-transition', keyPath, `expires objects after ${expireAfterDays} days, not after the last transition at ${last.days} days; S3 requires expiry to come later`));
  } else {
    issues.push(...validateStay(last.storageClass, expireAfterDays - last.days, keyPath));
  }
  return issues;
}

function validateDataset(
  dataset: Pick<DatasetDefinition, 'table' | 'classification' | 'retention'>,
  file: LifecyclePolicyFile,
  stats: DatasetObjectStats | undefined,
): LifecycleIssue[] {
  const policyName = dataset.retention ?? file.defaults[dataset.classification];
  if (policyName === undefined) {
    return [{ severity: 'error', rule: 'missing-policy', keyPath: 'retention', table: dataset.table, message: `names no retention policy and classification ${dataset.classification} has no default; set retention or add defaults.${dataset.classification}` }];
  }
  const policy = file.policies[policyName];
  if (policy === undefined) {
    const keyPath = dataset.retention === undefined ? `defaults.${dataset.classification}` : 'retention';
    return [{ severity: 'error', rule: 'unknown-policy', keyPath, table: dataset.table, message: `names policy "${policyName}", which is not declared (declared: ${Object.keys(file.policies).join(', ') || 'none'})` }];
  }

  const mostlySmall = stats !== undefined && stats.objectsUnder128KiBCount * 2 > stats.objectCount;
  if (mostlySmall && policy.transitions.length > 0 && policy.minObjectSizeBytes === undefined) {
    const floorKiB = DEFAULT_TRANSITION_MINIMUM_OBJECT_BYTES / 1024;
    return [{ severity: 'warning', rule: 'small-objects-not-transitioned', keyPath: 'retention', table: dataset.table, message: `has ${stats.objectsUnder128KiBCount} of ${stats.objectCount} objects under ${floorKiB} KiB, which S3 does not transition by default; compact the table's files first` }];
  }
  return [];
}

function longestRetentionDays(policy: LifecyclePolicy): number | undefined {
  return policy.retention.length === 0 ? undefined : Math.max(...policy.retention.map((requirement) => requirement.days));
}

function error(rule: LifecycleRuleId, keyPath: string, message: string): LifecycleIssue {
  return { severity: 'error', rule, keyPath, message };
}

function warning(rule: LifecycleRuleId, keyPath: string, message: string): LifecycleIssue {
  return { severity: 'warning', rule, keyPath, message };
}
