import { HOT_TIER } from '@carelake/tables';
import type { PolicyTransition } from './policy-file';
import type { StorageClassName } from './storage-classes';

/** A local storage tier, as `storage.tiers` of `carelake.yaml` declares it. */
export interface LocalTier {
  name: string;
  /** S3 storage classes the tier stands for. */
  storageClasses: readonly StorageClassName[];
  /** Zstandard level of the files lifecycle rewrites into the tier. */
  zstdLevel?: number;
}

/** The hot tier: the lake root, which stands for STANDARD. */
export const HOT_LOCAL_TIER: LocalTier = { name: HOT_TIER, storageClasses: ['STANDARD'] };

/** Returns the tiers warmest first, with the hot tier added in front. */
export function orderedTiers(configured: readonly LocalTier[]): LocalTier[] {
  return [HOT_LOCAL_TIER, ...configured.filter((tier) => tier.name !== HOT_TIER)];
}

/** Returns the storage class a policy puts an object of this age in: its last transition due, else STANDARD. */
export function storageClassForAge(transitions: readonly PolicyTransition[], ageDays: number): StorageClassName {
  let storageClass: StorageClassName = 'STANDARD';
  for (const transition of transitions) {
    if (transition.days <= ageDays) storageClass = transition.storageClass;
  }
  return storageClass;
}

/**
 * Returns the tier for an object of this age: the tier of the last transition due whose class a tier
 * stands for. A transition to a class no tier stands for is skipped, so the object stays in the
 * tier of the transition before it, and in the hot tier when none applies.
 */
export function tierForAge(tiers: readonly LocalTier[], transitions: readonly PolicyTransition[], ageDays: number): LocalTier {
  const ordered = orderedTiers(tiers);
  let target = ordered[0] as LocalTier;
  for (const transition of transitions) {
    if (transition.days > ageDays) continue;
    const tier = ordered.find((candidate) => candidate.storageClasses.includes(transition.storageClass));
    if (tier !== undefined && tierRank(ordered, tier.name) > tierRank(ordered, target.name)) target = tier;
  }
  return target;
}

/** Returns the position of a tier from the warmest (0); an unknown tier ranks after every configured one. */
export function tierRank(ordered: readonly LocalTier[], name: string): number {
  const index = ordered.findIndex((tier) => tier.name === name);
  return index === -1 ? ordered.length : index;
}
