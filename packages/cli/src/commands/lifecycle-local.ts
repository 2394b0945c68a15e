import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { readFileSync, existsSync } from 'node:fs';
import { resolvePrincipal, type LoadedConfig, type Principal } from '@carelake/core';
import {
  buildCostReport,
  findPatientPartitions,
  formatCostReport,
  LegalHoldError,
  orderedTiers,
  parseStoragePriceFile,
  placeStoredHold,
  readLegalHolds,
  readTierHistory,
  releaseStoredHold,
  renderTierChartSvg,
  runLocalLifecycle,
  syncHoldTags,
  tablesOfHold,
  type LegalHold,
  type LegalHoldScope,
  type LocalLifecycleReport,
} from '@carelake/lifecycle';
import type { Lake } from '@carelake/pipeline';
import type { TableStore } from '@carelake/tables';
import { withLake } from '../context';
import { CliUsageError } from '../errors';
import { configuredTiers, loadLifecycleDatasets, loadLifecyclePolicies, policiesFolder, type LifecycleSources } from './lifecycle-sources';

type Write = (text: string) => void;

/** Opens the lake, whose table store reads and writes every tier of `storage.tiers`. */
async function withTieredLake<T>(config: LoadedConfig, work: (lake: Lake, tables: TableStore) => Promise<T>): Promise<T> {
  return withLake(config, (lake) => work(lake, lake.tables));
}

/** Moves partitions between tiers and expires them by policy, then prints the expiry report. */
export async function runLifecycle(
  config: LoadedConfig,
  sources: LifecycleSources,
  options: { dryRun: boolean; principal: string },
  write: Write,
): Promise<LocalLifecycleReport> {
  const policies = loadLifecyclePolicies(policiesFolder(config, sources));
  const datasets = loadLifecycleDatasets(config, sources);
  return withTieredLake(config, async (lake, tables) => {
    const report = await runLocalLifecycle({
      tables,
      catalog: lake.catalog,
      datasets,
      policies,
      holds: await readLegalHolds(lake.store),
      tiers: configuredTiers(config),
      audit: lake.audit,
      clock: lake.clock,
      principal: options.principal,
      dryRun: options.dryRun,
      stateStore: lake.store,
    });
    for (const line of formatRunReport(report)) write(line);
    return report;
  });
}

/** Formats the expiry report: moves, deletions and partitions kept by a hold, then a summary. */
export function formatRunReport(report: LocalLifecycleReport): string[] {
  const verb = report.dryRun ? 'would ' : '';
  const label = (partition: string): string => partition || '(unpartitioned)';
  const lines = [
    ...report.transitions.map((move) => `${verb}move ${move.table} ${label(move.partition)} from ${move.fromTiers.join('+')} to ${move.toTier} (age ${move.ageDays} days, policy ${move.policy}, ${move.bytesBefore} bytes${report.dryRun ? '' : ` -> ${move.bytesAfter} bytes`})`),
    ...report.expired.map((expired) => `${verb}expire ${expired.table} ${label(expired.partition)} (age ${expired.ageDays} days, policy ${expired.policy}): ${expired.rows} rows, ${expired.bytes} bytes`),
    ...report.keptByHold.map((kept) => `keep ${kept.table} ${label(kept.partition)} past expiry (age ${kept.ageDays} days, policy ${kept.policy}): held by ${kept.holdIds.join(', ')}`),
  ];
  if (report.leftoversRemoved.length > 0) lines.push(`deleted ${report.leftoversRemoved.length} object(s) left by an interrupted run`);
  lines.push(`${report.dryRun ? 'dry run: ' : ''}${report.transitions.length} move(s), ${report.expired.length} expiry(ies), ${report.keptByHold.length} kept by a hold`);
  return lines;
}

export interface ReportOptions {
  /** Folder to write `lifecycle-report.json` and `tier-bytes.svg` to. */
  out: string;
  /** Price file; default `storage-prices.yaml` in the policies folder. */
  prices?: string;
}

/** Prints bytes and estimated monthly cost per dataset and tier, and writes the JSON report and the SVG chart. */
export async function reportLifecycle(config: LoadedConfig, sources: LifecycleSources, options: ReportOptions, write: Write): Promise<void> {
  const folder = policiesFolder(config, sources);
  const pricesPath = resolve(options.prices ?? join(folder, 'storage-prices.yaml'));
  if (!existsSync(pricesPath)) {
    throw new CliUsageError(`price file ${pricesPath} not found`, { hint: 'Pass --prices with a storage price file, such as pipelines/policies/storage-prices.yaml.' });
  }
  const prices = parseStoragePriceFile(readFileSync(pricesPath, 'utf8'), pricesPath);
  const policies = loadLifecyclePolicies(folder);
  const datasets = loadLifecycleDatasets(config, sources);
  const tiers = configuredTiers(config);

  await withTieredLake(config, async (lake, tables) => {
    const report = await buildCostReport({ tables, datasets, policies, tiers, prices, clock: lake.clock });
    const history = await readTierHistory(lake.store);
    const svg = renderTierChartSvg(history, orderedTiers(tiers).map((tier) => tier.name));
    const out = resolve(options.out);
    await mkdir(out, { recursive: true });
    await writeFile(join(out, 'lifecycle-report.json'), `${JSON.stringify({ cost: report, history }, null, 2)}\n`);
    await writeFile(join(out, 'tier-bytes.svg'), svg);
    for (const line of formatCostReport(report)) write(line);
    write(`wrote ${join(out, 'lifecycle-report.json')} and ${join(out, 'tier-bytes.svg')} (${history.length} sample(s) of the tier history)`);
  });
}

export interface PlaceHoldOptions {
  table: string;
  partition?: string;
  patient?: string;
  reason: string;
}

/** Places a legal hold on a dataset, a partition, or every partition holding a patient's rows. Needs an admin. */
export async function placeHold(config: LoadedConfig, options: PlaceHoldOptions, principal: Principal, write: Write): Promise<LegalHold> {
  if (options.partition !== undefined && options.patient !== undefined) {
    throw new CliUsageError('--partition and --patient cannot be given together', { hint: 'Place one hold per scope.' });
  }
  return withTieredLake(config, async (lake, tables) => {
    await requireAdmin(lake, principal, 'lifecycle.hold.place', options.table);
    const scope: LegalHoldScope =
      options.patient !== undefined
        ? { kind: 'patient', patientKey: options.patient, partitions: await findPatientPartitions(tables, options.table, options.patient) }
        : options.partition !== undefined
          ? { kind: 'partition', table: options.table, partition: options.partition }
          : { kind: 'dataset', table: options.table };
    const hold = await placeStoredHold({ store: lake.store, audit: lake.audit, clock: lake.clock, principal: principal.name }, scope, options.reason);
    const tagged = await syncHoldTags(tables, tablesOfHold(hold), await readLegalHolds(lake.store));
    write(`placed legal hold ${hold.id} on ${describeScope(hold.scope)}; ${tagged.changed} data file(s) tagged as held`);
    return hold;
  });
}

/** Releases a legal hold; the reason is required. Needs an admin. */
export async function releaseHold(config: LoadedConfig, id: string, reason: string, principal: Principal, write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    await requireAdmin(lake, principal, 'lifecycle.hold.release', id);
    const released = await releaseStoredHold({ store: lake.store, audit: lake.audit, clock: lake.clock, principal: principal.name }, id, reason);
    // A file another hold still covers stays tagged as held.
    const tagged = await syncHoldTags(lake.tables, tablesOfHold(released), await readLegalHolds(lake.store));
    write(`released legal hold ${released.id} on ${describeScope(released.scope)}; ${tagged.changed} data file(s) no longer tagged as held`);
  });
}

/** Lists the legal holds of the lake, in force first. Patient keys are not printed. */
export async function listHolds(config: LoadedConfig, write: Write): Promise<void> {
  await withLake(config, async (lake) => {
    const holds = await readLegalHolds(lake.store);
    if (holds.length === 0) write('no legal holds');
    const ordered = [...holds.filter((hold) => !hold.release), ...holds.filter((hold) => hold.release)];
    for (const hold of ordered) {
      const state = hold.release ? `released ${hold.release.releasedAt.toISOString()} by ${hold.release.releasedBy}` : 'in force';
      write(`${hold.id}  ${state}  ${describeScope(hold.scope)}  placed ${hold.placedAt.toISOString()} by ${hold.placedBy}`);
    }
  });
}

/** Returns the principal a command runs as: `--as`, else `defaults.principal`, else `runner`. */
export function lifecyclePrincipal(config: LoadedConfig, requested: string | undefined): string {
  if (requested === undefined && config.defaults.principal === undefined) return 'runner';
  return resolvePrincipal(config, requested).name;
}

async function requireAdmin(lake: Lake, principal: Principal, action: string, resource: string): Promise<void> {
  if (principal.role === 'admin') return;
  await lake.audit.append({ principal: principal.name, action, resources: [resource], outcome: 'denied' });
  throw new LegalHoldError(`principal ${principal.name} may not place or release legal holds: it is not an admin`, {
    hint: 'Run the command with --as an admin principal of carelake.yaml.',
  });
}

function describeScope(scope: LegalHoldScope): string {
  switch (scope.kind) {
    case 'dataset':
      return `table ${scope.table}`;
    case 'partition':
      return `${scope.table} ${scope.partition}`;
    case 'patient':
      return `a patient's rows in ${scope.partitions.length} partition(s)`;
  }
}
