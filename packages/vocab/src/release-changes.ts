import { normalizeCode } from './code-normalization';
import { isOpenPeriod, isValidCodeStatus, type CodePeriod, type VocabRelease } from './code-period';
import type { CodeRecord } from './code-record';

/**
 * Counts of the changes a release makes, each code counted once, in the first kind that applies.
 * Codes that were already closed and that the release leaves out are not counted.
 */
export interface ReleaseChangeCounts {
  /** Codes the table did not have, or had only as closed periods, that the release lists. */
  added: number;
  /** Codes with an open period that the release leaves out or lists as no longer valid. */
  retired: number;
  /** Open codes whose display (the description) differs in the release. */
  descriptionChanged: number;
  /** Open codes whose status (such as LOINC ACTIVE to DISCOURAGED) or replacements differ. */
  statusChanged: number;
  /** Codes the release lists as the table already has them. */
  unchanged: number;
}

export type ReleaseChangeKind = Exclude<keyof ReleaseChangeCounts, 'unchanged'>;

export interface ReleaseChanges {
  /** True when the table had no period before, so the release is the baseline. */
  baseline: boolean;
  /** Period versions to append to the table, ordered by code and validFrom. */
  periods: CodePeriod[];
  counts: ReleaseChangeCounts;
  /** Up to `exampleLimit` codes of each kind of change, sorted. Codes are public vocabulary. */
  examples: Record<ReleaseChangeKind, string[]>;
  /** Records the release lists for a code it already listed; one record per code is used. */
  duplicateRecords: number;
}

export interface CompareReleaseOptions {
  /** Codes listed per kind of change in `examples`; 10 when left out. */
  exampleLimit?: number;
}

/**
 * Compares a release with the periods a versioned table holds now (the newest version of each
 * period), and returns the period versions to append:
 *
 * - baseline (the table is empty): one period per code, with the dates the release gives, or
 *   none, because the codes existed before the first release loaded;
 * - a new code: a period from the release's effective date, or from the date the release gives;
 * - a code that is left out or no longer valid: its open period closed at the effective date, or
 *   at the end date the release gives, with the new status (`retired` when left out);
 * - a changed description or status: the open period closed at the effective date and a new one
 *   opened there. A period opened on the same effective date gets a new version instead.
 *
 * When the release lists a code more than once, a record valid for use wins over one that is
 * not, then the first. Changes to a code that is not valid before or after are not recorded.
 */
export function compareRelease(
  current: Iterable<CodePeriod>,
  records: Iterable<CodeRecord>,
  release: VocabRelease,
  options: CompareReleaseOptions = {},
): ReleaseChanges {
  const periodsByCode = groupPeriods(current);
  const baseline = periodsByCode.size === 0;
  const { byCode: recordsByCode, duplicates } = pickRecords(records);

  const changes = new ChangeList();
  for (const [key, record] of recordsByCode) {
    const periods = periodsByCode.get(key) ?? [];
    if (baseline) {
      changes.add('added', record.code, periodOf(record, record.validFrom ?? null));
      continue;
    }
    const open = latestOpenPeriod(periods);
    if (open === undefined) {
      if (periods.length === 0) {
        changes.add('added', record.code, periodOf(record, record.validFrom ?? release.effective));
      } else if (isOpenRecord(record)) {
        changes.add('added', record.code, periodOf(record, release.effective));
      } else {
        changes.count('unchanged');
      }
      continue;
    }

    if (!isOpenRecord(record)) {
      const closed = closePeriod(open, record.status, record.validTo ?? release.effective);
      changes.add('retired', open.code, { ...closed, replacedBy: [...(record.replacedBy ?? [])] });
    } else if (record.display !== open.display) {
      changes.add('descriptionChanged', open.code, ...changePeriod(open, record, release));
    } else if (
      record.status !== open.status ||
      !sameCodes(record.replacedBy ?? [], open.replacedBy)
    ) {
      changes.add('statusChanged', open.code, ...changePeriod(open, record, release));
    } else {
      changes.count('unchanged');
    }
  }

  for (const [key, periods] of periodsByCode) {
    if (recordsByCode.has(key)) continue;
    const open = latestOpenPeriod(periods);
    if (open !== undefined) {
      changes.add('retired', open.code, closePeriod(open, 'retired', release.effective));
    }
  }
  return { baseline, duplicateRecords: duplicates, ...changes.result(options.exampleLimit ?? 10) };
}

/** Collects the period versions and counts of one comparison. */
class ChangeList {
  private readonly periods: CodePeriod[] = [];
  private readonly counts: ReleaseChangeCounts = {
    added: 0,
    retired: 0,
    descriptionChanged: 0,
    statusChanged: 0,
    unchanged: 0,
  };
  private readonly codes: Record<ReleaseChangeKind, string[]> = {
    added: [],
    retired: [],
    descriptionChanged: [],
    statusChanged: [],
  };

  count(kind: keyof ReleaseChangeCounts): void {
    this.counts[kind]++;
  }

  add(kind: ReleaseChangeKind, code: string, ...periods: CodePeriod[]): void {
    this.counts[kind]++;
    this.codes[kind].push(code);
    this.periods.push(...periods);
  }

  result(exampleLimit: number): Omit<ReleaseChanges, 'baseline' | 'duplicateRecords'> {
    const examples = {} as Record<ReleaseChangeKind, string[]>;
    for (const kind of Object.keys(this.codes) as ReleaseChangeKind[]) {
      examples[kind] = [...this.codes[kind]].sort().slice(0, exampleLimit);
    }
    return { periods: this.periods.sort(comparePeriods), counts: { ...this.counts }, examples };
  }
}

function keyOf(system: string, code: string): string {
  return `${system}\u0000${normalizeCode(system, code)}`;
}

function groupPeriods(current: Iterable<CodePeriod>): Map<string, CodePeriod[]> {
  const byCode = new Map<string, CodePeriod[]>();
  for (const period of current) {
    const key = keyOf(period.system, period.code);
    const list = byCode.get(key);
    if (list === undefined) byCode.set(key, [period]);
    else list.push(period);
  }
  return byCode;
}

function pickRecords(records: Iterable<CodeRecord>): {
  byCode: Map<string, CodeRecord>;
  duplicates: number;
} {
  const byCode = new Map<string, CodeRecord>();
  let duplicates = 0;
  for (const record of records) {
    const key = keyOf(record.system, record.code);
    const chosen = byCode.get(key);
    if (chosen === undefined) {
      byCode.set(key, record);
      continue;
    }
    duplicates++;
    if (!isValidCodeStatus(chosen.status) && isValidCodeStatus(record.status)) {
      byCode.set(key, record);
    }
  }
  return { byCode, duplicates };
}

/** Returns whether a record keeps its code valid with no end, the only kind that leaves a period open. */
function isOpenRecord(record: CodeRecord): boolean {
  return isValidCodeStatus(record.status) && record.validTo === undefined;
}

/** Returns the open period that starts last; a table normally has at most one per code. */
function latestOpenPeriod(periods: readonly CodePeriod[]): CodePeriod | undefined {
  let latest: CodePeriod | undefined;
  for (const period of periods) {
    if (!isOpenPeriod(period)) continue;
    if (latest === undefined || compareStart(period.validFrom, latest.validFrom) > 0) {
      latest = period;
    }
  }
  return latest;
}

function periodOf(record: CodeRecord, validFrom: string | null): CodePeriod {
  return {
    system: record.system,
    code: record.code,
    display: record.display,
    status: record.status,
    validFrom,
    validTo: record.validTo ?? null,
    replacedBy: [...(record.replacedBy ?? [])],
  };
}

/** Ends a period, never before it starts, so that a late end date cannot invert it. */
function closePeriod(open: CodePeriod, status: CodePeriod['status'], validTo: string): CodePeriod {
  const end = open.validFrom !== null && validTo < open.validFrom ? open.validFrom : validTo;
  return { ...open, status, validTo: end };
}

function changePeriod(open: CodePeriod, record: CodeRecord, release: VocabRelease): CodePeriod[] {
  const changed = {
    display: record.display,
    status: record.status,
    replacedBy: [...(record.replacedBy ?? [])],
  };
  // A period opened on this effective date (by an earlier release of the same date) is
  // replaced by a new version, because closing it would leave a period of no days.
  if (open.validFrom === release.effective) return [{ ...open, ...changed }];
  return [
    closePeriod(open, open.status, release.effective),
    { ...open, ...changed, code: record.code, validFrom: release.effective, validTo: null },
  ];
}

function sameCodes(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((code, index) => code === right[index]);
}

/** Orders start dates with null (no known start) first. */
function compareStart(left: string | null, right: string | null): number {
  if (left === right) return 0;
  if (left === null) return -1;
  if (right === null) return 1;
  return left < right ? -1 : 1;
}

function comparePeriods(left: CodePeriod, right: CodePeriod): number {
  if (left.system !== right.system) return left.system < right.system ? -1 : 1;
  if (left.code !== right.code) return left.code < right.code ? -1 : 1;
  return compareStart(left.validFrom, right.validFrom);
}
