import type { TableStore } from '@carelake/tables';
import { partitionPathOf } from '@carelake/tables';
import { holdsCovering, type LegalHold } from './legal-holds';
import { HOLD_TAG_HELD, HOLD_TAG_KEY, HOLD_TAG_NOT_HELD } from './s3-rules';

export interface HoldTagResult {
  /** Data files whose hold tag was changed. */
  changed: number;
  /** Data files whose tag was already right. */
  unchanged: number;
}

/**
 * Set the legal hold tag of every data file of `tables` to whether a hold in force covers its
 * partition. The bucket's lifecycle rules expire and transition only objects tagged as not held,
 * so this is what puts a hold, or its release, in force on S3. Other tags of a file are kept.
 */
export async function syncHoldTags(tables: TableStore, tableNames: readonly string[], holds: readonly LegalHold[]): Promise<HoldTagResult> {
  const result: HoldTagResult = { changed: 0, unchanged: 0 };
  for (const table of new Set(tableNames)) {
    const snapshot = await tables.snapshot(table);
    if (snapshot === undefined) continue;

    for (const file of snapshot.files) {
      const partition = partitionPathOf(snapshot, file);
      const held = holdsCovering({ table, ...(partition === '' ? {} : { partition }) }, holds).length > 0;
      const expected = held ? HOLD_TAG_HELD : HOLD_TAG_NOT_HELD;
      const store = tables.tierStore(file.tier);
      const tags = await store.getTags(file.key);
      if (tags[HOLD_TAG_KEY] === expected) {
        result.unchanged++;
        continue;
      }
      await store.putTags(file.key, { ...tags, [HOLD_TAG_KEY]: expected });
      result.changed++;
    }
  }
  return result;
}

/** Return the tables a hold covers, to pass to `syncHoldTags` after placing or releasing it. */
export function tablesOfHold(hold: LegalHold): string[] {
  const scope = hold.scope;
  if (scope.kind === 'patient') return [...new Set(scope.partitions.map((partition) => partition.table))];
  return [scope.table];
}
