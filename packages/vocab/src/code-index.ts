import { dayNumberOfDate, dayNumberOfText } from './calendar-dates';
import { codeFoldingFor, normalizeCode } from './code-normalization';
import type { CodeRecord, CodeStatus, CodeSystem } from './code-record';
import { CodeTable } from './code-table';
import { VocabError } from './errors';

/**
 * Result of a code check on a date: `known` when the code is valid on that date, `retired` when
 * it was valid or listed before that date but is not on it, `unknown` when the system does not
 * have the code, or has it only from a later date.
 */
export type CodeCheck = 'known' | 'unknown' | 'retired';

/** A date to check a code on: `YYYY-MM-DD` (also the start of an ISO date-time), `YYYYMMDD`, or a Date, read in UTC. */
export type CheckDate = string | Date;

const NO_START = -0x80000000;
const NO_END = 0x7fffffff;
/** Marks a code with more than one validity period; no period starts on the last day number. */
const MULTIPLE_PERIODS = NO_END;

/** Statuses the index treats as valid for use; `pending` codes are left out of the index. */
const VALID_STATUSES: ReadonlySet<CodeStatus> = new Set([
  'active',
  'trial',
  'discouraged',
  'inactive',
]);

/** The codes of one system, checked without looking the system up. */
export class SystemCodeIndex {
  /**
   * @param table per code, three integers: the day it is first listed, then its validity period's
   *   first day and first day after it, as day numbers (days since 1970-01-01). A code with several
   *   periods has `MULTIPLE_PERIODS` and the offset of `[count, start, end, start, end, ...]` in
   *   `extraPeriods` instead.
   */
  constructor(
    readonly system: CodeSystem,
    private readonly table: CodeTable,
    private readonly extraPeriods: Int32Array,
  ) {}

  /** Number of distinct codes, after normalization. */
  get size(): number {
    return this.table.size;
  }

  /**
   * Checks a code on a date. The code may be written in any form `normalizeCode` maps to the
   * same code, such as `e11.65` for ICD-10-CM E11.65. Throws `VocabError` for an invalid date.
   */
  check(code: string, date: CheckDate): CodeCheck {
    const day = dayNumberOfCheckDate(date);
    const at = this.table.find(code);
    if (at === -1) return 'unknown';

    const records = this.table.records;
    const first = records[at + 1] as number;
    const second = records[at + 2] as number;
    const valid =
      first === MULTIPLE_PERIODS ? this.isInExtraPeriod(second, day) : day >= first && day < second;
    if (valid) return 'known';
    return day >= (records[at] as number) ? 'retired' : 'unknown';
  }

  private isInExtraPeriod(offset: number, day: number): boolean {
    const periods = this.extraPeriods;
    const periodsEnd = offset + 1 + 2 * (periods[offset] as number);
    for (let index = offset + 1; index < periodsEnd; index += 2) {
      if (day >= (periods[index] as number) && day < (periods[index + 1] as number)) return true;
    }
    return false;
  }
}

/** Codes of several systems, checked by system name. */
export class CodeIndex {
  constructor(private readonly bySystem: ReadonlyMap<CodeSystem, SystemCodeIndex>) {}

  /** The systems the index has codes of, in the order their first record was added. */
  get systems(): CodeSystem[] {
    return [...this.bySystem.keys()];
  }

  /** Returns the index of one system, or undefined when it has no codes of that system. */
  forSystem(system: CodeSystem): SystemCodeIndex | undefined {
    return this.bySystem.get(system);
  }

  /**
   * Checks a code of `system` on a date. Throws `VocabError` when the index has no codes of the
   * system, because every check would then return `unknown`, and when the date is invalid.
   */
  check(system: CodeSystem, code: string, date: CheckDate): CodeCheck {
    const index = this.bySystem.get(system);
    if (index === undefined) {
      throw new VocabError(
        `code system "${system}" is not in the code index; it has ${this.systems.map((name) => `"${name}"`).join(', ') || 'no systems'}`,
        {
          hint: 'Load the release of that system, or check the vocabulary name in the dataset file.',
        },
      );
    }
    return index.check(code, date);
  }
}

/**
 * Collects code records, then packs them into a `CodeIndex`. Records of the same code (several
 * releases, or several rows of a versioned table) are merged: the code is valid on the union of
 * their validity periods. A record whose validTo is not after its validFrom is valid on no day.
 */
export class CodeIndexBuilder {
  /** Per system and normalized code: start and end day of each period, flat. */
  private readonly periods = new Map<CodeSystem, Map<string, number[]>>();

  /** Adds a record. Throws `VocabError` when validFrom or validTo is not a `YYYY-MM-DD` date. */
  add(record: CodeRecord): this {
    if (record.status === 'pending') return this;
    let codes = this.periods.get(record.system);
    if (codes === undefined) {
      codes = new Map();
      this.periods.set(record.system, codes);
    }

    const start =
      record.validFrom === undefined ? NO_START : recordDay(record, 'validFrom', record.validFrom);
    const validEnd =
      record.validTo === undefined ? undefined : recordDay(record, 'validTo', record.validTo);
    // A code that is no longer valid and has no end date is valid on no day, but is still listed from its start.
    const end = validEnd ?? (VALID_STATUSES.has(record.status) ? NO_END : start);

    const code = normalizeCode(record.system, record.code);
    const list = codes.get(code);
    if (list === undefined) codes.set(code, [start, end]);
    else list.push(start, end);
    return this;
  }

  build(): CodeIndex {
    const bySystem = new Map<CodeSystem, SystemCodeIndex>();
    for (const [system, codes] of this.periods) bySystem.set(system, packSystem(system, codes));
    return new CodeIndex(bySystem);
  }
}

/** Builds a code index from records; see `CodeIndexBuilder` for how records of one code combine. */
export function buildCodeIndex(records: Iterable<CodeRecord>): CodeIndex {
  const builder = new CodeIndexBuilder();
  for (const record of records) builder.add(record);
  return builder.build();
}

function packSystem(system: CodeSystem, codes: Map<string, number[]>): SystemCodeIndex {
  const entries: Array<[string, number[]]> = [];
  const extraPeriods: number[] = [];
  for (const [code, flat] of codes) {
    const merged = mergePeriods(flat);
    if (merged.length <= 2) {
      // No valid day at all is stored as an empty period.
      entries.push([code, [firstStart(flat), merged[0] ?? NO_START, merged[1] ?? NO_START]]);
    } else {
      entries.push([code, [firstStart(flat), MULTIPLE_PERIODS, extraPeriods.length]]);
      extraPeriods.push(merged.length / 2, ...merged);
    }
  }
  return new SystemCodeIndex(
    system,
    new CodeTable(codeFoldingFor(system), entries, 3),
    Int32Array.from(extraPeriods),
  );
}

function firstStart(flat: number[]): number {
  let first = NO_END;
  for (let index = 0; index < flat.length; index += 2)
    first = Math.min(first, flat[index] as number);
  return first;
}

/** Sorts periods by start and joins the ones that overlap or touch; empty periods are dropped. */
function mergePeriods(flat: number[]): number[] {
  const periods: Array<[number, number]> = [];
  for (let index = 0; index < flat.length; index += 2) {
    const start = flat[index] as number;
    const end = flat[index + 1] as number;
    if (start < end) periods.push([start, end]);
  }
  periods.sort((a, b) => a[0] - b[0]);

  const merged: number[] = [];
  for (const [start, end] of periods) {
    const last = merged.length - 1;
    if (last > 0 && start <= (merged[last] as number))
      merged[last] = Math.max(merged[last] as number, end);
    else merged.push(start, end);
  }
  return merged;
}

function recordDay(record: CodeRecord, field: 'validFrom' | 'validTo', value: string): number {
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayNumberOfText(value) : undefined;
  if (day === undefined) {
    throw new VocabError(
      `${field} of ${record.system} code ${record.code} is not a date written YYYY-MM-DD`,
      {
        hint: 'Map release dates to YYYY-MM-DD before adding records to the code index.',
      },
    );
  }
  return day;
}

function dayNumberOfCheckDate(date: CheckDate): number {
  let day: number | undefined;
  if (typeof date === 'string') day = dayNumberOfText(date);
  else if (date instanceof Date) day = dayNumberOfDate(date);
  if (day === undefined) throw invalidCheckDate(date);
  return day;
}

/** Describes an invalid date by its type and length only, because its value may be health data. */
function invalidCheckDate(date: unknown): VocabError {
  let found: string = typeof date;
  if (typeof date === 'string') found = `a string of ${date.length} characters`;
  else if (date instanceof Date) found = 'an invalid Date';
  return new VocabError(
    `the date to check a code on is not a valid date: expected YYYY-MM-DD, YYYYMMDD or a Date, found ${found}`,
    {
      hint: 'Check the date column the code is checked against; its value is not shown because it may be health data.',
    },
  );
}
