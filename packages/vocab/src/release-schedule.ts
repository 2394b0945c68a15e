import { addDays, dayNumberOf, formatIsoDate, isCalendarDate } from './calendar-dates';
import { VocabError } from './errors';

/**
 * When a publisher releases a code system, in calendar days. Every release a schedule names is
 * expected, so a table is overdue once the release after its newest one is `graceDays` days old.
 */
export type ReleaseSchedule =
  | {
      every: 'year';
      /** Month and day of each release in a year, `MM-DD`, such as `10-01` for ICD-10-CM. */
      on: string[];
      /** Month and day of mid-year updates, `MM-DD`, also expected, such as ICD-10-CM's `04-01`. */
      updates?: string[];
      graceDays: number;
    }
  | {
      every: 'month';
      /** Day of the month (1 to 28), or `first-monday`, as RxNorm's monthly release. */
      on: number | 'first-monday';
      /**
       * `weekly` for a publisher that also releases weekly updates. They are not tracked: status
       * judges the monthly releases, or a table would be overdue days after each load.
       */
      updates?: 'weekly';
      graceDays: number;
    }
  /** Released when needed, such as CVX, so no release is ever overdue. */
  | { every: 'none' };

/** Whether the newest loaded release of a system is still current on a given day. */
export interface ReleaseDue {
  /** The first scheduled release after the loaded one, `YYYY-MM-DD`; undefined for `every: none`. */
  nextExpected: string | undefined;
  /** The last day the loaded release is not yet overdue: `nextExpected` plus the grace days. */
  dueBy: string | undefined;
  overdue: boolean;
}

const MONTH_DAY = /^(\d{2})-(\d{2})$/;
/** 1970-01-01 was a Thursday, so day numbers with this remainder modulo 7 are Mondays. */
const MONDAY_REMAINDER = 4;

/**
 * Returns the first release the schedule names after `date` (exclusive), as `YYYY-MM-DD`, or
 * undefined for `every: none`. Throws `VocabError` for a date that is not `YYYY-MM-DD`.
 */
export function nextScheduledRelease(schedule: ReleaseSchedule, date: string): string | undefined {
  const { year, month } = splitDate(date);
  const candidates: string[] = [];
  if (schedule.every === 'year') {
    for (const monthDay of [...schedule.on, ...(schedule.updates ?? [])]) {
      for (const candidateYear of [year, year + 1]) {
        const candidate = dateOfMonthDay(candidateYear, monthDay);
        if (candidate !== undefined) candidates.push(candidate);
      }
    }
  } else if (schedule.every === 'month') {
    for (let offset = 0; offset <= 1; offset++) {
      const candidateYear = year + Math.floor((month - 1 + offset) / 12);
      const candidateMonth = ((month - 1 + offset) % 12) + 1;
      candidates.push(monthlyReleaseDate(candidateYear, candidateMonth, schedule.on));
    }
  }
  return candidates
    .filter((candidate) => candidate > date)
    .sort()
    .at(0);
}

/**
 * Judges a loaded release on `today`: overdue when the next scheduled release came out more than
 * `graceDays` days before today.
 */
export function releaseDue(
  schedule: ReleaseSchedule,
  loadedEffective: string,
  today: string,
): ReleaseDue {
  splitDate(today);
  const nextExpected = nextScheduledRelease(schedule, loadedEffective);
  if (nextExpected === undefined || schedule.every === 'none') {
    return { nextExpected: undefined, dueBy: undefined, overdue: false };
  }
  const dueBy = addDays(nextExpected, schedule.graceDays);
  return { nextExpected, dueBy, overdue: today > dueBy };
}

/** Returns whether `text` is a month and day written `MM-DD` that some year has. */
export function isMonthDay(text: string): boolean {
  return dateOfMonthDay(2000, text) !== undefined;
}

/** Returns the date of `MM-DD` in a year, or undefined when the year lacks it (02-29). */
function dateOfMonthDay(year: number, monthDay: string): string | undefined {
  const match = MONTH_DAY.exec(monthDay);
  if (!match) return undefined;
  const month = Number(match[1]);
  const day = Number(match[2]);
  return isCalendarDate(year, month, day) ? formatIsoDate(year, month, day) : undefined;
}

function monthlyReleaseDate(year: number, month: number, on: number | 'first-monday'): string {
  if (on !== 'first-monday') return formatIsoDate(year, month, on);
  const firstDay = dayNumberOf(year, month, 1);
  const remainder = (((firstDay - MONDAY_REMAINDER) % 7) + 7) % 7;
  const offset = remainder === 0 ? 0 : 7 - remainder;
  return formatIsoDate(year, month, 1 + offset);
}

function splitDate(date: string): { year: number; month: number } {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match || !isCalendarDate(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new VocabError(`"${date}" is not a date written YYYY-MM-DD`, {
      hint: 'Give release and check dates as YYYY-MM-DD, such as 2025-03-01.',
    });
  }
  return { year: Number(match[1]), month: Number(match[2]) };
}
