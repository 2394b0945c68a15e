import type { ObjectStore } from '@carelake/storage';
import { releaseDue, type ReleaseSchedule } from '@carelake/vocab';
import { VocabReleaseLog, type LoadedReleaseEntry } from './vocab-state';
import type { VocabSource } from './vocab-source';

/**
 * `current`: the newest scheduled release is loaded, or came out less than the grace days ago.
 * `overdue`: a scheduled release came out more than the grace days ago and is not loaded.
 * `unscheduled`: loaded, and the publisher has no schedule. `not-loaded`: no release yet.
 */
export type VocabReleaseState = 'current' | 'overdue' | 'unscheduled' | 'not-loaded';

export interface VocabSystemStatus {
  system: string;
  name: string;
  table: string;
  licensed: boolean;
  schedule: ReleaseSchedule;
  /** The newest loaded release. */
  loaded: Pick<LoadedReleaseEntry, 'version' | 'effective' | 'sequence' | 'loadedAt'> | undefined;
  /** The first scheduled release after the loaded one, `YYYY-MM-DD`. */
  nextExpected: string | undefined;
  /** The last day before the loaded release is overdue. */
  dueBy: string | undefined;
  state: VocabReleaseState;
}

/**
 * Reports, for each source, the newest release loaded and whether it is overdue on `today`
 * (`YYYY-MM-DD`), judged against the source's publication schedule. Sorted by system.
 */
export async function vocabularyStatus(
  store: ObjectStore,
  sources: Iterable<VocabSource>,
  today: string,
): Promise<VocabSystemStatus[]> {
  const statuses: VocabSystemStatus[] = [];
  for (const source of [...sources].sort((left, right) => (left.system < right.system ? -1 : 1))) {
    const newest = (await new VocabReleaseLog(store, source.system).list()).at(-1);
    const base = {
      system: source.system,
      name: source.name,
      table: source.table,
      licensed: source.licence.licensed,
      schedule: source.schedule,
    };
    if (newest === undefined) {
      statuses.push({ ...base, loaded: undefined, nextExpected: undefined, dueBy: undefined, state: 'not-loaded' });
      continue;
    }
    const due = releaseDue(source.schedule, newest.effective, today);
    let state: VocabReleaseState = due.overdue ? 'overdue' : 'current';
    if (source.schedule.every === 'none') state = 'unscheduled';
    statuses.push({
      ...base,
      loaded: { version: newest.version, effective: newest.effective, sequence: newest.sequence, loadedAt: newest.loadedAt },
      nextExpected: due.nextExpected,
      dueBy: due.dueBy,
      state,
    });
  }
  return statuses;
}

/** Describes a schedule in words, such as `yearly on 10-01, updates 04-01`. */
export function describeSchedule(schedule: ReleaseSchedule): string {
  switch (schedule.every) {
    case 'none':
      return 'when needed';
    case 'year': {
      const updates = schedule.updates?.length ? `, updates ${schedule.updates.join(', ')}` : '';
      return `yearly on ${schedule.on.join(', ')}${updates}`;
    }
    case 'month': {
      const day = schedule.on === 'first-monday' ? 'the first Monday' : `day ${schedule.on}`;
      return `monthly on ${day}${schedule.updates === 'weekly' ? ', weekly updates' : ''}`;
    }
  }
}
