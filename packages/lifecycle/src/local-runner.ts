import type { AuditLog } from '@carelake/audit';
import type { Catalog } from '@carelake/catalog';
import { parseTableName, type Clock, type DatasetDefinition } from '@carelake/core';
import type { ObjectStore } from '@carelake/storage';
import {
  fileCreatedAt,
  HIVE_NULL_PARTITION,
  partitionPathOf,
  tierOf,
  type CommitContext,
  type DataFile,
  type TableSnapshot,
  type TableStore,
} from '@carelake/tables';
import { holdsCovering, type LegalHold } from './legal-holds';
import { orderedTiers, tierForAge, tierRank, type LocalTier } from './local-tiers';
import type { LifecyclePolicyFile } from './policy-file';
import { resolveDatasetPolicy, type ResolvedPolicy } from './resolve-policy';
import { appendTierSample, measureTierUsage, type TierUsageSample } from './tier-history';

const MS_PER_DAY = 86_400_000;

export interface LocalLifecycleOptions {
  tables: TableStore;
  /** When given, expired partitions are also removed from the catalog's partition list. */
  catalog?: Catalog;
  /** Datasets to manage. `_current` companions are rebuilt from their history table, never tiered. */
  datasets: readonly DatasetDefinition[];
  policies: LifecyclePolicyFile;
  /** Jurisdictions whose retention applies; every retention entry applies when left out. */
  jurisdictions?: readonly string[];
  holds: readonly LegalHold[];
  /** Configured tiers colder than the hot lake root, warmest first. None: the run only expires. */
  tiers: readonly LocalTier[];
  audit: AuditLog;
  clock: Clock;
  principal: string;
  /** Work out and return what would change, and change nothing. */
  dryRun?: boolean;
  /** Store of the lake root; when given, a tier usage sample is appended to the tier history. */
  stateStore?: ObjectStore;
}

export interface PartitionTransition {
  table: string;
  /** Hive-style partition path; `''` for an unpartitioned table. */
  partition: string;
  policy: string;
  ageDays: number;
  fromTiers: string[];
  toTier: string;
  /** Bytes of the files rewritten, and of the compacted file (0 in a dry run). */
  bytesBefore: number;
  bytesAfter: number;
}

export interface ExpiredPartition {
  table: string;
  partition: string;
  policy: string;
  ageDays: number;
  rows: number;
  bytes: number;
}

export interface HeldPartitionReport {
  table: string;
  partition: string;
  policy: string;
  ageDays: number;
  /** Ids of the holds in force that kept the partition. */
  holdIds: string[];
}

/** The expiry report of one lifecycle run: what it moved, deleted and kept. */
export interface LocalLifecycleReport {
  ranAt: string;
  dryRun: boolean;
  transitions: PartitionTransition[];
  expired: ExpiredPartition[];
  keptByHold: HeldPartitionReport[];
  /** Keys of objects left by an interrupted earlier run and deleted by this one. */
  leftoversRemoved: string[];
  /** Bytes per table and tier after the run. */
  usage: TierUsageSample;
}

interface PartitionState {
  path: string;
  files: DataFile[];
  ageDays: number;
}

/**
 * Runs the lifecycle of a local lake once. For each dataset and partition it works out the age
 * from the newest `createdAt` of the partition's files and moves the partition to the tier its
 * policy gives that age. It expires the partition once past its expiry age, unless a legal hold in
 * force covers it.
 * Each transition and expiry is one audit event. Safe to interrupt and run again: every change
 * is a table commit, and the next run deletes what an interrupted one left.
 */
export async function runLocalLifecycle(options: LocalLifecycleOptions): Promise<LocalLifecycleReport> {
  const now = options.clock.now();
  const tiers = orderedTiers(options.tiers);
  const context: CommitContext = { principal: options.principal, inputs: [] };
  const report: LocalLifecycleReport = {
    ranAt: now.toISOString(),
    dryRun: options.dryRun ?? false,
    transitions: [],
    expired: [],
    keptByHold: [],
    leftoversRemoved: [],
    usage: { time: now.toISOString(), bytes: {} },
  };

  for (const dataset of options.datasets) {
    const policy = resolveDatasetPolicy(dataset, options.policies, options.jurisdictions ? { jurisdictions: options.jurisdictions } : {});
    if (!report.dryRun) report.leftoversRemoved.push(...(await options.tables.removeUnreferencedObjects(dataset.table)));
    const snapshot = await options.tables.snapshot(dataset.table);
    if (!snapshot) continue;

    const expiredHere: string[] = [];
    for (const partition of await partitionStates(options.tables, snapshot, now)) {
      const expired = await expireIfDue(options, policy, partition, report, context);
      if (expired) {
        expiredHere.push(partition.path);
        continue;
      }
      await moveIfDue(options, tiers, policy, partition, report, context);
    }
    if (expiredHere.length > 0 && !report.dryRun) await afterExpiry(options, dataset, snapshot, expiredHere, context);
  }

  report.usage = await measureTierUsage(options.tables, options.datasets.map((dataset) => dataset.table), now);
  if (options.stateStore && !report.dryRun) await appendTierSample(options.stateStore, report.usage);
  return report;
}

async function partitionStates(tables: TableStore, snapshot: TableSnapshot, now: Date): Promise<PartitionState[]> {
  const byPath = new Map<string, DataFile[]>();
  for (const file of snapshot.files) {
    const path = partitionPathOf(snapshot, file);
    byPath.set(path, [...(byPath.get(path) ?? []), file]);
  }
  const states: PartitionState[] = [];
  for (const [path, files] of [...byPath].sort(([left], [right]) => left.localeCompare(right))) {
    // The newest file sets the age, so that rows that arrived late are never expired early.
    let newest = 0;
    for (const file of files) newest = Math.max(newest, (await fileCreatedAt((tier) => tables.tierStore(tier), file)).getTime());
    states.push({ path, files, ageDays: Math.floor((now.getTime() - newest) / MS_PER_DAY) });
  }
  return states;
}

/** Expires the partition when it is past its expiry age and no hold covers it. Returns true when it is gone or would be. */
async function expireIfDue(
  options: LocalLifecycleOptions,
  policy: ResolvedPolicy,
  partition: PartitionState,
  report: LocalLifecycleReport,
  context: CommitContext,
): Promise<boolean> {
  if (policy.expireAfterDays === undefined || partition.ageDays < policy.expireAfterDays) return false;
  const common = { table: policy.table, partition: partition.path, policy: policy.policyName, ageDays: partition.ageDays };

  const holds = holdsCovering({ table: policy.table, partition: partition.path }, options.holds);
  if (holds.length > 0) {
    const holdIds = holds.map((hold) => hold.id);
    report.keptByHold.push({ ...common, holdIds });
    if (!report.dryRun) {
      await options.audit.append({
        principal: options.principal,
        action: 'lifecycle.expiry.hold',
        resources: [policy.table],
        outcome: 'success',
        details: { partition: partition.path, policy: policy.policyName, ageDays: partition.ageDays, holdIds: holdIds.join(',') },
      });
    }
    return false;
  }

  const rows = partition.files.reduce((sum, file) => sum + file.rowCount, 0);
  const bytes = partition.files.reduce((sum, file) => sum + file.sizeBytes, 0);
  if (!report.dryRun) {
    const change = await options.tables.dropPartition({ table: policy.table, partition: partition.path, context });
    if (!change) return false;
    await options.audit.append({
      principal: options.principal,
      action: 'lifecycle.expire',
      resources: [policy.table],
      outcome: 'success',
      details: { partition: partition.path, policy: policy.policyName, ageDays: partition.ageDays, rows, bytes, tableVersion: change.snapshot.version },
    });
  }
  report.expired.push({ ...common, rows, bytes });
  return true;
}

async function moveIfDue(
  options: LocalLifecycleOptions,
  tiers: readonly LocalTier[],
  policy: ResolvedPolicy,
  partition: PartitionState,
  report: LocalLifecycleReport,
  context: CommitContext,
): Promise<void> {
  const target = tierForAge(tiers.slice(1), policy.transitions, partition.ageDays);
  const targetRank = tierRank(tiers, target.name);
  // Files never move to a warmer tier, as S3 never moves an object back to STANDARD.
  const warmer = partition.files.filter((file) => tierRank(tiers, tierOf(file)) < targetRank);
  if (warmer.length === 0) return;

  const inTarget = partition.files.filter((file) => tierOf(file) === target.name);
  const rewritten = [...warmer, ...inTarget];
  const transition: PartitionTransition = {
    table: policy.table,
    partition: partition.path,
    policy: policy.policyName,
    ageDays: partition.ageDays,
    fromTiers: [...new Set(warmer.map(tierOf))].sort(),
    toTier: target.name,
    bytesBefore: rewritten.reduce((sum, file) => sum + file.sizeBytes, 0),
    bytesAfter: 0,
  };
  if (!report.dryRun) {
    const change = await options.tables.movePartition({
      table: policy.table,
      partition: partition.path,
      tier: target.name,
      select: (file) => tierRank(tiers, tierOf(file)) < targetRank,
      ...(target.zstdLevel === undefined ? {} : { zstdLevel: target.zstdLevel }),
      context,
    });
    if (!change) return;
    transition.bytesAfter = change.added?.sizeBytes ?? 0;
    await options.audit.append({
      principal: options.principal,
      action: 'lifecycle.transition',
      resources: [policy.table],
      outcome: 'success',
      details: {
        partition: partition.path,
        policy: policy.policyName,
        ageDays: partition.ageDays,
        fromTiers: transition.fromTiers.join(','),
        toTier: target.name,
        bytesBefore: transition.bytesBefore,
        bytesAfter: transition.bytesAfter,
        tableVersion: change.snapshot.version,
      },
    });
  }
  report.transitions.push(transition);
}

/**
 * Rebuilds the `_current` companion of a history dataset, so expired rows leave it too, and
 * removes the expired partitions from the catalog.
 */
async function afterExpiry(
  options: LocalLifecycleOptions,
  dataset: DatasetDefinition,
  before: TableSnapshot,
  expiredPaths: readonly string[],
  context: CommitContext,
): Promise<void> {
  const tablesToClean = [dataset.table];
  if (dataset.kind === 'history') {
    const mergeSource = dataset.followMerges ? options.datasets.find((candidate) => candidate.table === dataset.followMerges?.table) : undefined;
    const refreshed = await options.tables.refreshCurrent(dataset, context, mergeSource ? { mergeSource } : {});
    if (refreshed) tablesToClean.push(refreshed.table);
  }
  if (!options.catalog) return;

  const values = expiredPaths.map((path) => {
    const file = before.files.find((candidate) => partitionPathOf(before, candidate) === path);
    return before.partitionBy.map((column) => file?.partition[column] ?? HIVE_NULL_PARTITION);
  });
  if (before.partitionBy.length === 0) return;
  for (const table of tablesToClean) {
    const { database, table: name } = parseTableName(table);
    if ((await options.catalog.getTable(database, name)) === undefined) continue;
    const remaining = new Set((await options.tables.snapshot(table))?.files.map((file) => partitionPathOf(before, file)) ?? []);
    const gone = values.filter((_, index) => !remaining.has(expiredPaths[index] as string));
    if (gone.length > 0) await options.catalog.deletePartitions(database, name, gone);
  }
}
