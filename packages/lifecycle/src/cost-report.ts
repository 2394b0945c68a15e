import type { Clock, DatasetDefinition } from '@carelake/core';
import { fileCreatedAt, tierOf, type TableStore } from '@carelake/tables';
import { orderedTiers, storageClassForAge, type LocalTier } from './local-tiers';
import type { LifecyclePolicyFile } from './policy-file';
import { resolveDatasetPolicy } from './resolve-policy';
import type { StorageClassName } from './storage-classes';
import type { StoragePriceFile } from './storage-prices';

/** Bytes counted as one GB in cost estimates: 2^30, the binary gigabyte. */
export const BYTES_PER_GB = 1024 ** 3;
const MS_PER_DAY = 86_400_000;

/** Bytes of one table in one tier and storage class, with their estimated monthly cost. */
export interface CostLine {
  table: string;
  tier: string;
  storageClass: StorageClassName;
  bytes: number;
  monthlyCost: number;
}

export interface CostReport {
  time: string;
  currency: string;
  pricesSource: string;
  lines: CostLine[];
  totalBytes: number;
  /** Estimated monthly cost of the lake as it is tiered now. */
  monthlyCost: number;
  /** Estimated monthly cost if every byte were in STANDARD. */
  allHotMonthlyCost: number;
  monthlySaving: number;
}

export interface CostReportOptions {
  tables: TableStore;
  datasets: readonly DatasetDefinition[];
  policies: LifecyclePolicyFile;
  jurisdictions?: readonly string[];
  tiers: readonly LocalTier[];
  prices: StoragePriceFile;
  clock: Clock;
}

/**
 * Estimates the monthly storage cost of each dataset from the bytes in each tier. A file is priced
 * at the class its policy gives a file of its age, when its tier stands for that class. Otherwise
 * it is priced at the tier's first class.
 */
export async function buildCostReport(options: CostReportOptions): Promise<CostReport> {
  const now = options.clock.now();
  const tiers = orderedTiers(options.tiers);
  const lines = new Map<string, CostLine>();

  for (const dataset of options.datasets) {
    const snapshot = await options.tables.snapshot(dataset.table);
    if (!snapshot) continue;
    const policy = resolveDatasetPolicy(dataset, options.policies, options.jurisdictions ? { jurisdictions: options.jurisdictions } : {});
    for (const file of snapshot.files) {
      const tier = tiers.find((candidate) => candidate.name === tierOf(file));
      const createdAt = await fileCreatedAt((name) => options.tables.tierStore(name), file);
      const ageDays = Math.floor((now.getTime() - createdAt.getTime()) / MS_PER_DAY);
      const byAge = storageClassForAge(policy.transitions, ageDays);
      const storageClass = tier === undefined ? 'STANDARD' : tier.storageClasses.includes(byAge) ? byAge : (tier.storageClasses[0] ?? 'STANDARD');
      const lineKey = `${dataset.table}\u0000${tierOf(file)}\u0000${storageClass}`;
      const line = lines.get(lineKey) ?? { table: dataset.table, tier: tierOf(file), storageClass, bytes: 0, monthlyCost: 0 };
      line.bytes += file.sizeBytes;
      line.monthlyCost = (line.bytes / BYTES_PER_GB) * options.prices.perGbMonth[storageClass];
      lines.set(lineKey, line);
    }
  }

  const sorted = [...lines.values()].sort((left, right) => left.table.localeCompare(right.table) || left.tier.localeCompare(right.tier));
  const totalBytes = sorted.reduce((sum, line) => sum + line.bytes, 0);
  const monthlyCost = sorted.reduce((sum, line) => sum + line.monthlyCost, 0);
  const allHotMonthlyCost = (totalBytes / BYTES_PER_GB) * options.prices.perGbMonth.STANDARD;
  return {
    time: now.toISOString(),
    currency: options.prices.currency,
    pricesSource: options.prices.source,
    lines: sorted,
    totalBytes,
    monthlyCost,
    allHotMonthlyCost,
    monthlySaving: allHotMonthlyCost - monthlyCost,
  };
}

/** Formats the report as plain text lines: one per table, tier and class, then the totals. */
export function formatCostReport(report: CostReport): string[] {
  // A saving of -0.00001 rounds to "-0.0000", which reads as a loss; zero has no sign.
  const money = (value: number): string => `${(Math.abs(value) < 0.00005 ? 0 : value).toFixed(4)} ${report.currency}`;
  const lines = report.lines.map((line) => `${line.table}  ${line.tier}  ${line.storageClass}  ${line.bytes} bytes  ${money(line.monthlyCost)}/month`);
  return [
    ...lines,
    `total: ${report.totalBytes} bytes, estimated ${money(report.monthlyCost)}/month`,
    `all in STANDARD: estimated ${money(report.allHotMonthlyCost)}/month; tiering saves ${money(report.monthlySaving)}/month`,
    `prices: ${report.pricesSource}`,
  ];
}
