import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DatasetDefinition, LoadedConfig } from '@carelake/core';
import { parseLifecyclePolicyFile, type LifecyclePolicyFile, type LocalTier } from '@carelake/lifecycle';
import { loadDatasets } from '@carelake/pipeline';
import { CliUsageError } from '../errors';

/** Folders the lifecycle commands read policy and dataset files from. */
export interface LifecycleSources {
  /** Folder of `*.lifecycle.yaml` files; default `pipelines/policies` beside carelake.yaml. */
  policies?: string;
  /** Folder of `*.dataset.yaml` files; default `datasets` beside the policies folder. */
  datasets?: string;
}

const POLICY_SUFFIX = '.lifecycle.yaml';

export function configFolder(config: LoadedConfig): string {
  return config.sourceFile === undefined ? process.cwd() : dirname(config.sourceFile);
}

export function policiesFolder(config: LoadedConfig, sources: LifecycleSources): string {
  return resolve(sources.policies ?? join(configFolder(config), 'pipelines', 'policies'));
}

/**
 * Reads every `*.lifecycle.yaml` of the policies folder as one policy file. A policy or a
 * classification default declared in two files is an error naming both.
 */
export function loadLifecyclePolicies(folder: string): LifecyclePolicyFile {
  if (!existsSync(folder)) {
    throw new CliUsageError(`policies folder ${folder} not found`, { hint: 'Pass --policies with the folder of the *.lifecycle.yaml files.' });
  }
  const names = readdirSync(folder).filter((name) => name.endsWith(POLICY_SUFFIX)).sort();
  if (names.length === 0) {
    throw new CliUsageError(`no *${POLICY_SUFFIX} file in ${folder}`, { hint: 'Add a lifecycle policy file, such as retention.lifecycle.yaml.' });
  }
  const merged: LifecyclePolicyFile = { policies: {}, defaults: {} };
  const policyOwners = new Map<string, string>();
  const defaultOwners = new Map<string, string>();
  for (const name of names) {
    const file = parseLifecyclePolicyFile(readFileSync(join(folder, name), 'utf8'), name);
    for (const [policy, body] of Object.entries(file.policies)) {
      const owner = policyOwners.get(policy);
      if (owner !== undefined) throw new CliUsageError(`policy ${policy} is declared in both ${owner} and ${name}`, { hint: 'Keep one of them.' });
      policyOwners.set(policy, name);
      merged.policies[policy] = body;
    }
    for (const [classification, policy] of Object.entries(file.defaults)) {
      const owner = defaultOwners.get(classification);
      if (owner !== undefined) throw new CliUsageError(`defaults.${classification} is set in both ${owner} and ${name}`, { hint: 'Keep one of them.' });
      defaultOwners.set(classification, name);
      merged.defaults[classification as keyof LifecyclePolicyFile['defaults']] = policy;
    }
  }
  return merged;
}

export function loadLifecycleDatasets(config: LoadedConfig, sources: LifecycleSources): DatasetDefinition[] {
  const folder = sources.datasets === undefined ? join(dirname(policiesFolder(config, sources)), 'datasets') : resolve(sources.datasets);
  if (!existsSync(folder)) {
    throw new CliUsageError(`datasets folder ${folder} not found`, { hint: 'Pass --datasets with the folder of the *.dataset.yaml files.' });
  }
  return [...loadDatasets(folder).values()];
}

/** Returns the tiers of `storage.tiers` in carelake.yaml, warmest first. */
export function configuredTiers(config: LoadedConfig): LocalTier[] {
  return config.storage.tiers.map((tier) => ({
    name: tier.name,
    storageClasses: tier.storageClasses,
    ...(tier.zstdLevel === undefined ? {} : { zstdLevel: tier.zstdLevel }),
  }));
}
