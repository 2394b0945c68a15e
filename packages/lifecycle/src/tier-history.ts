import type { ObjectStore } from '@carelake/storage';
import { tierOf, type TableStore } from '@carelake/tables';
import { LifecycleError } from './errors';

/** Lake key of the tier usage samples that `runLocalLifecycle` appends after each run. */
export const TIER_HISTORY_KEY = '_state/lifecycle/tier-history.json';

/** Bytes of committed data files per table and tier at one time. */
export interface TierUsageSample {
  /** ISO 8601 UTC time of the sample, from the lifecycle clock. */
  time: string;
  /** Bytes by table (`database.table`), then by tier name. */
  bytes: Record<string, Record<string, number>>;
}

/** Sums the sizes of the data files of each table's latest snapshot by tier. */
export async function measureTierUsage(tables: TableStore, tableNames: readonly string[], time: Date): Promise<TierUsageSample> {
  const bytes: TierUsageSample['bytes'] = {};
  for (const table of tableNames) {
    const snapshot = await tables.snapshot(table);
    if (!snapshot) continue;
    const byTier: Record<string, number> = {};
    for (const file of snapshot.files) byTier[tierOf(file)] = (byTier[tierOf(file)] ?? 0) + file.sizeBytes;
    bytes[table] = byTier;
  }
  return { time: time.toISOString(), bytes };
}

export async function readTierHistory(store: ObjectStore): Promise<TierUsageSample[]> {
  if ((await store.head(TIER_HISTORY_KEY)) === undefined) return [];
  try {
    return (JSON.parse(Buffer.from(await store.get(TIER_HISTORY_KEY)).toString('utf8')) as { samples: TierUsageSample[] }).samples;
  } catch (error) {
    throw new LifecycleError(`tier history ${TIER_HISTORY_KEY} is not valid JSON`, {
      cause: error,
      position: { file: TIER_HISTORY_KEY },
      hint: 'Delete the file to start the history again; the next lifecycle run writes a new one.',
    });
  }
}

/**
 * Appends a sample to the tier history by rewriting the whole object, which stays small: one
 * sample per run, and a run a day for ten years is about 3,650 samples.
 */
export async function appendTierSample(store: ObjectStore, sample: TierUsageSample): Promise<void> {
  const samples = await readTierHistory(store);
  await store.put(TIER_HISTORY_KEY, JSON.stringify({ samples: [...samples, sample] }), { contentType: 'application/json' });
}
