import type { ColumnInput } from '../catalog';
import type { InferenceIssue } from './errors';
import { catalogTypeOf, compareWidth, type FileColumnType } from './file-types';

/** A data column read from files, with where its registered type was seen. */
export interface InferredColumn extends ColumnInput {
  /** The partition or file where the widest type of the column was first seen. */
  seenIn: string;
}

/** A column registered with a wider type than some files store, which Athena reads without error. */
export interface TypeWidening {
  column: string;
  /** The narrower type, as the files store it. */
  from: FileColumnType;
  /** The type the column registers as. */
  to: ColumnInput['type'];
  /** The partition or file where `from` was first seen. */
  seenIn: string;
  message: string;
}

interface ColumnObservation {
  name: string;
  widest: FileColumnType;
  /** Every type seen, each with the first location that stored it, in the order first seen. */
  firstSeenIn: Map<FileColumnType, string>;
}

/**
 * Merge the columns of many files into one schema: a column missing from some
 * files is kept, a type that widens to another takes the wider one, and any
 * other difference is a conflict naming both locations. Columns keep the order
 * in which they were first seen.
 */
export class FileColumnMerger {
  private readonly observations = new Map<string, ColumnObservation>();
  private readonly reportedConflicts = new Set<string>();

  /** Add one column of the file at `location`, appending a conflict to `issues` when its type cannot merge. */
  add(
    name: string,
    type: FileColumnType,
    location: string,
    keyPath: string,
    issues: InferenceIssue[],
  ): void {
    const observation = this.observations.get(name);
    if (!observation) {
      this.observations.set(name, { name, widest: type, firstSeenIn: new Map([[type, location]]) });
      return;
    }

    const width = compareWidth(type, observation.widest);
    if (width === undefined) {
      this.reportConflict(observation, type, location, keyPath, issues);
      return;
    }
    if (!observation.firstSeenIn.has(type)) observation.firstSeenIn.set(type, location);
    if (width > 0) observation.widest = type;
  }

  columns(): InferredColumn[] {
    return [...this.observations.values()].map((observation) => ({
      name: observation.name,
      type: catalogTypeOf(observation.widest),
      seenIn: observation.firstSeenIn.get(observation.widest) ?? '',
    }));
  }

  widenings(): TypeWidening[] {
    const widenings: TypeWidening[] = [];
    for (const observation of this.observations.values()) {
      const to = catalogTypeOf(observation.widest);
      const widerSeenIn = observation.firstSeenIn.get(to);
      for (const [from, seenIn] of observation.firstSeenIn) {
        if (from === to) continue;
        const message =
          widerSeenIn === undefined
            ? `column "${observation.name}" is ${from} in ${seenIn}, which registers as ${to}`
            : `column "${observation.name}" is ${from} in ${seenIn} but ${to} in ${widerSeenIn}, so it registers as ${to}`;
        widenings.push({ column: observation.name, from, to, seenIn, message });
      }
    }
    return widenings;
  }

  private reportConflict(
    observation: ColumnObservation,
    type: FileColumnType,
    location: string,
    keyPath: string,
    issues: InferenceIssue[],
  ): void {
    // One conflict per pair of types is enough, however many files repeat it.
    const pair = `${observation.name}\u0000${observation.widest}\u0000${type}`;
    if (this.reportedConflicts.has(pair)) return;
    this.reportedConflicts.add(pair);

    const firstSeenIn = observation.firstSeenIn.get(observation.widest) ?? '';
    issues.push({
      kind: 'type-conflict',
      keyPath,
      message: `column "${observation.name}" is ${observation.widest} in ${firstSeenIn} but ${type} in ${location}, and neither type reads as the other`,
    });
  }
}
