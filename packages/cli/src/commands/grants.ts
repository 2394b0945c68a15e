import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { type LoadedConfig, type Principal, resolvePrincipal } from '@carelake/core';
import {
  applyLocal,
  checkPolicies,
  countPlan,
  explainAccess,
  formatProblem,
  GovernanceError,
  hasErrors,
  loadPolicies,
  planLocal,
  readGovernanceSnapshot,
  type GovernancePlan,
  type PolicyProblem,
  type PolicySet,
} from '@carelake/governance';
import { loadDatasets, type Lake } from '@carelake/pipeline';
import { withLake } from '../context';
import { CliUsageError } from '../errors';
import { formatPlan, type PlanListing } from './plan-listing';
import { applyAuditEvents } from './grants-audit';
import { applyLakeFormationGrants, planLakeFormationGrants, showLakeFormationGrants } from './grants-aws';

export interface PolicySources {
  /** Folder of `*.policy.yaml` files; default `pipelines/policies` beside carelake.yaml. */
  policies?: string;
  /** Folder of `*.dataset.yaml` files; default `datasets` beside the policies folder. */
  datasets?: string;
}

type Write = (text: string) => void;

/**
 * Check the policy files against the datasets, the registered tables and
 * carelake.yaml, and print every problem. Returns the exit code: 1 when
 * there is an error, else 0.
 */
export async function checkGrants(config: LoadedConfig, sources: PolicySources, write: Write): Promise<number> {
  return withLake(config, async (lake) => {
    const { set, folder } = await loadPolicySet(config, lake, sources);
    const problems = checkPolicies(set);
    for (const problem of problems) write(formatProblem(problem));
    write(`${folder}: ${count(problems, 'error')} error(s), ${count(problems, 'warning')} warning(s) in ${set.files.length} policy file(s) over ${set.tables.length} table(s)`);
    return hasErrors(problems) ? 1 : 0;
  });
}

/**
 * Print how the policy files differ from the policies in force: the lake's snapshot on the local
 * backend, Lake Formation on the aws backend.
 */
export async function planGrants(config: LoadedConfig, sources: PolicySources, write: Write, listing: PlanListing = {}): Promise<void> {
  await withLake(config, async (lake) => {
    const { set, folder } = await loadPolicySet(config, lake, sources);
    if (config.backend === 'aws') {
      await planLakeFormationGrants(config, set, folder, write, summarize, listing);
      return;
    }
    const planned = planLocal(set, readGovernanceSnapshot(lake.root));
    writeWarnings(planned.warnings, write);
    if (planned.unchanged) {
      write(`no changes: the policies in force match ${folder} (sha256 ${planned.sha256.slice(0, 12)})`);
      return;
    }
    write(formatPlan(planned.plan, listing));
    write(`plan: ${summarize(planned.plan)}; run carelake grants apply to put it in force`);
  });
}

/**
 * Check the policy files and put them in force: in the lake, whose query engine
 * enforces the stored snapshot from the next query on, or in Lake Formation on
 * the aws backend. Only an admin of carelake.yaml may apply. Every permission granted or revoked and every data cells filter
 * changed is an audit event, and so is an attempt by anyone else.
 */
export async function applyGrants(config: LoadedConfig, sources: PolicySources, principal: Principal, write: Write, listing: PlanListing = {}): Promise<void> {
  await withLake(config, async (lake) => {
    if (principal.role !== 'admin') {
      await lake.audit.append({ principal: principal.name, action: 'governance.apply', resources: [], outcome: 'denied' });
      throw new GovernanceError(`principal ${principal.name} may not apply policies: it is not an admin`, {
        hint: 'Run carelake grants apply --as an admin principal of carelake.yaml.',
      });
    }
    const { set } = await loadPolicySet(config, lake, sources);
    if (config.backend === 'aws') {
      await applyLakeFormationGrants(config, lake, set, principal, write, summarize, listing);
      return;
    }
    const previous = readGovernanceSnapshot(lake.root);
    const applied = applyLocal(lake.root, set, { clock: lake.clock });
    writeWarnings(applied.warnings, write);
    if (applied.unchanged) {
      write(`no changes: the policies in force already match (sha256 ${applied.sha256.slice(0, 12)})`);
      return;
    }

    const events = applyAuditEvents(
      applied.plan,
      { applied: set, previous: previous?.policySet, appliedSha256: applied.sha256, previousSha256: previous?.sha256 },
      principal.name,
    );
    for (const event of events) await lake.audit.append(event);
    write(formatPlan(applied.plan, listing));
    write(`applied policies ${applied.sha256.slice(0, 12)}: ${summarize(applied.plan)}`);
    write('Queries enforce them from now on; carelake grants show --principal NAME [--table T] shows what one principal reads.');
  });
}

/**
 * Print what a principal may read under the policies in force: tables, columns, row filters and the
 * grants behind them. On the aws backend, under the policy files, and whether Lake Formation has them in force.
 */
export async function showGrants(config: LoadedConfig, principalName: string, write: Write, sources: PolicySources = {}, table?: string): Promise<void> {
  const principal = resolvePrincipal(config, principalName);
  if (config.backend === 'aws') {
    await withLake(config, async (lake) => {
      const { set } = await loadPolicySet(config, lake, sources);
      await showLakeFormationGrants(config, set, principal, write, table);
    });
    return;
  }
  const snapshot = readGovernanceSnapshot(config.lakeRoot);
  if (principal.role === 'admin') {
    write(`principal ${principal.name}: admin, reads every table with every column and row`);
    return;
  }
  if (snapshot === undefined) {
    write(`principal ${principal.name}: no policies are applied to this lake, so it reads no table (access is denied by default)`);
    write('Run carelake grants plan, then carelake grants apply, to put pipelines/policies in force.');
    return;
  }
  write(explainAccess(snapshot.policySet, principal, table === undefined ? {} : { table }));
  write(`policies in force: sha256 ${snapshot.sha256.slice(0, 12)}, applied ${snapshot.appliedAt}`);
}

/**
 * Load the policy files over the tables they govern: those of the dataset
 * files, and the registered tables of the lake, which include the `_current`
 * companions and tables whose dataset files live elsewhere. A dataset file
 * wins over the catalog entry of the same table.
 */
async function loadPolicySet(config: LoadedConfig, lake: Lake, sources: PolicySources): Promise<{ set: PolicySet; folder: string }> {
  const folder = resolve(sources.policies ?? join(configFolder(config), 'pipelines', 'policies'));
  const datasetsFolder = sources.datasets === undefined ? join(dirname(folder), 'datasets') : resolve(sources.datasets);
  if (sources.datasets !== undefined && !existsSync(datasetsFolder)) {
    throw new CliUsageError(`--datasets ${sources.datasets}: folder not found`, { hint: 'Pass the folder that contains the *.dataset.yaml files.' });
  }
  // Without dataset files beside the policies, the registered tables alone describe what they govern.
  const datasets = existsSync(datasetsFolder) ? [...loadDatasets(datasetsFolder).values()] : [];
  const catalogTables = await lake.catalog.listTables();
  return { set: loadPolicies(folder, { config, datasets, catalogTables }), folder };
}

function configFolder(config: LoadedConfig): string {
  return config.sourceFile === undefined ? process.cwd() : dirname(config.sourceFile);
}

function writeWarnings(warnings: readonly PolicyProblem[], write: Write): void {
  for (const warning of warnings) write(formatProblem(warning));
}

function count(problems: readonly PolicyProblem[], severity: PolicyProblem['severity']): number {
  return problems.filter((problem) => problem.severity === severity).length;
}

/** Summarize a plan as the counts of its non-empty kinds, such as `12 grant(s), 1 revoke(s)`. */
function summarize(plan: GovernancePlan): string {
  const counts = Object.entries(countPlan(plan)).filter(([, changes]) => changes > 0);
  return counts.map(([kind, changes]) => `${changes} ${KIND_NAMES[kind as keyof GovernancePlan]}`).join(', ');
}

const KIND_NAMES: Record<keyof GovernancePlan, string> = {
  createTags: 'new LF-tag(s)',
  updateTags: 'changed LF-tag(s)',
  deleteTags: 'removed LF-tag(s)',
  assignTags: 'tag assignment(s)',
  unassignTags: 'tag removal(s)',
  createFilters: 'new data cells filter(s)',
  updateFilters: 'changed data cells filter(s)',
  deleteFilters: 'removed data cells filter(s)',
  grants: 'grant(s)',
  revokes: 'revoke(s)',
};
