import type { ColumnInput } from '../catalog';
import { catalogNameIssue } from '../names';
import type { InferenceIssue } from './errors';
import {
  inferPartitionKeyType,
  partitionFolderPath,
  type HivePartitionValue,
} from './hive-partitions';

/** One distinct partition of the files read. */
export interface InferredPartition {
  /** One value per partition key, in key order. Null for Hive's default partition. */
  values: (string | null)[];
  /** The `key=value` folders, relative to the table folder, with Hive's escapes. */
  folder: string;
  fileCount: number;
}

/**
 * Collect the partition folders of many files. The first file sets the
 * partition keys, and a file under other keys, or the same keys in another
 * order, is an issue naming both files.
 */
export class PartitionLayoutMerger {
  private layout: { keys: string[]; firstFile: string } | undefined;
  private readonly reportedLayouts = new Set<string>();
  private readonly byFolder = new Map<string, InferredPartition>();

  /** Add the partition folders of the file at `keyPath`, appending an issue when they break the layout. */
  add(partition: readonly HivePartitionValue[], keyPath: string, issues: InferenceIssue[]): void {
    const keys = partition.map((value) => value.key);
    if (!this.layout) {
      this.layout = { keys, firstFile: keyPath };
      this.checkKeyNames(keys, keyPath, issues);
    } else if (!sameKeys(keys, this.layout.keys)) {
      this.reportLayout(keys, keyPath, issues);
      return;
    }

    const folder = partitionFolderPath(partition);
    const existing = this.byFolder.get(folder);
    if (existing) {
      existing.fileCount += 1;
    } else if (partition.length > 0) {
      this.byFolder.set(folder, {
        values: partition.map((value) => value.value),
        folder,
        fileCount: 1,
      });
    }
  }

  /** Return the partition keys that the first file set. */
  keys(): ReadonlySet<string> {
    return new Set(this.layout?.keys ?? []);
  }

  partitionKeys(): ColumnInput[] {
    const partitions = [...this.byFolder.values()];
    return (this.layout?.keys ?? []).map((name, index) => ({
      name,
      type: inferPartitionKeyType(partitions.map((partition) => partition.values[index] ?? null)),
    }));
  }

  partitions(): InferredPartition[] {
    return [...this.byFolder.values()];
  }

  private checkKeyNames(keys: readonly string[], keyPath: string, issues: InferenceIssue[]): void {
    const seen = new Set<string>();
    for (const key of keys) {
      const nameIssue = catalogNameIssue('partition key', key, keyPath);
      if (nameIssue) issues.push({ kind: 'invalid-name', keyPath, message: nameIssue.message });
      if (seen.has(key)) {
        issues.push({
          kind: 'partition-layout',
          keyPath,
          message: `partition key "${key}" appears twice in the path`,
        });
      }
      seen.add(key);
    }
  }

  private reportLayout(keys: readonly string[], keyPath: string, issues: InferenceIssue[]): void {
    const layoutName = describeKeys(keys);
    if (this.reportedLayouts.has(layoutName)) return;
    this.reportedLayouts.add(layoutName);

    const expected = describeKeys(this.layout?.keys ?? []);
    issues.push({
      kind: 'partition-layout',
      keyPath,
      message: `is under ${layoutName}, but ${this.layout?.firstFile ?? ''} is under ${expected}`,
    });
  }
}

function sameKeys(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((key, index) => key === right[index]);
}

function describeKeys(keys: readonly string[]): string {
  return keys.length === 0 ? 'no partition folders' : `partition keys ${keys.join('/')}`;
}
