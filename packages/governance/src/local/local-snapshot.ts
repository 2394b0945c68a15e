import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalJson, sha256Hex, systemClock, type Clock } from '@carelake/core';
import { checkPolicies, hasErrors } from '../checks/check-policies';
import { GovernanceSnapshotError, PolicyCheckError, type PolicyProblem } from '../errors';
import { granteeKey, type PolicySet } from '../policy/policy-set';
import { diffGovernanceState, isEmptyPlan, type GovernancePlan } from '../plan/governance-plan';
import { buildGovernanceState, emptyGovernanceState } from '../plan/governance-state';

/** Folder of the lake that contains the applied policy snapshot. */
export const GOVERNANCE_STATE_PREFIX = '_state/governance';
const SNAPSHOT_FILE = 'applied.json';

/** The policy set in force on the local backend, as the query engine reads it. */
export interface GovernanceSnapshot {
  formatVersion: 1;
  /** SHA-256 of the canonical JSON of `policySet`; checked on every read. */
  sha256: string;
  /** ISO 8601 time of the apply. */
  appliedAt: string;
  policySet: PolicySet;
}

export interface LocalPlan {
  plan: GovernancePlan;
  /** Warnings of `checkPolicies`; errors stop planning instead. */
  warnings: PolicyProblem[];
  /** Hash the snapshot will carry once applied. */
  sha256: string;
  /** True when the stored snapshot already has this policy set. */
  unchanged: boolean;
}

/** Return the SHA-256 that identifies a policy set. */
export function policySetHash(policySet: PolicySet): string {
  return sha256Hex(canonicalJson(policySet));
}

/**
 * Read the applied snapshot from `<lakeRoot>/_state/governance/`, or undefined when none was
 * applied. A file that is not JSON, or whose policy set no longer matches its hash, raises
 * `GovernanceSnapshotError`, so that a damaged snapshot never widens access silently.
 */
export function readGovernanceSnapshot(lakeRoot: string): GovernanceSnapshot | undefined {
  const file = join(lakeRoot, GOVERNANCE_STATE_PREFIX, SNAPSHOT_FILE);
  if (!existsSync(file)) return undefined;
  let snapshot: GovernanceSnapshot;
  try {
    snapshot = JSON.parse(readFileSync(file, 'utf8')) as GovernanceSnapshot;
  } catch (error) {
    throw new GovernanceSnapshotError(`governance snapshot ${file} is not valid JSON`, {
      cause: error,
      hint: 'Run the local governance apply again to rewrite it from pipelines/policies/.',
    });
  }
  if (snapshot.formatVersion !== 1 || typeof snapshot.sha256 !== 'string' || snapshot.policySet === undefined) {
    throw new GovernanceSnapshotError(`governance snapshot ${file} has an unknown format`, {
      hint: 'It was written by another carelake version; run the local governance apply again.',
    });
  }
  const actual = policySetHash(snapshot.policySet);
  if (actual !== snapshot.sha256) {
    throw new GovernanceSnapshotError(`governance snapshot ${file} does not match its hash (stored ${snapshot.sha256.slice(0, 12)}, computed ${actual.slice(0, 12)})`, {
      hint: 'The file was changed outside carelake. Run the local governance apply again to rewrite it from pipelines/policies/.',
    });
  }
  return snapshot;
}

/**
 * Compare a policy set with the stored snapshot, as a Lake Formation plan compares it with what is
 * in force. Raises `PolicyCheckError` when `checkPolicies` finds errors.
 */
export function planLocal(policySet: PolicySet, stored: GovernanceSnapshot | undefined): LocalPlan {
  const problems = checkPolicies(policySet);
  if (hasErrors(problems)) throw new PolicyCheckError(problems);

  const current = stored === undefined ? emptyGovernanceState() : buildGovernanceState(stored.policySet, granteeKey);
  const plan = diffGovernanceState(current, buildGovernanceState(policySet, granteeKey));
  const sha256 = policySetHash(policySet);
  return { plan, warnings: problems, sha256, unchanged: stored?.sha256 === sha256 && isEmptyPlan(plan) };
}

/**
 * Check a policy set and store it as the applied snapshot, replacing the file atomically so that a
 * reader sees the old snapshot or the new one, never a part. Returns the plan that was applied.
 */
export function applyLocal(lakeRoot: string, policySet: PolicySet, options: { clock?: Clock } = {}): LocalPlan & { snapshot: GovernanceSnapshot } {
  const planned = planLocal(policySet, readGovernanceSnapshot(lakeRoot));
  const snapshot: GovernanceSnapshot = {
    formatVersion: 1,
    sha256: planned.sha256,
    appliedAt: (options.clock ?? systemClock).now().toISOString(),
    policySet,
  };
  if (!planned.unchanged) writeAtomically(join(lakeRoot, GOVERNANCE_STATE_PREFIX), SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
  return { ...planned, snapshot: planned.unchanged ? (readGovernanceSnapshot(lakeRoot) as GovernanceSnapshot) : snapshot };
}

function writeAtomically(folder: string, name: string, text: string): void {
  mkdirSync(folder, { recursive: true });
  const temporary = join(folder, `.${name}.${process.pid}.tmp`);
  const descriptor = openSync(temporary, 'w');
  try {
    writeSync(descriptor, text);
    fsyncSync(descriptor);
  } finally {
    closeSync(descriptor);
  }
  renameSync(temporary, join(folder, name));
}
