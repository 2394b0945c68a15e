import type { CodeStatus, CodeSystem } from './code-record';

/**
 * One validity period of a code, as a row of a versioned `vocab.<system>` table stores it. A
 * period is identified by its system, code and validFrom. A later release that changes the
 * period appends a new version of it (the same three values, a later release sequence), so
 * nothing is ever deleted, and the newest version of each period holds its validity.
 */
export interface CodePeriod {
  system: CodeSystem;
  /** The code as the release that opened the period writes it. */
  code: string;
  display: string;
  status: CodeStatus;
  /**
   * First valid day, `YYYY-MM-DD`, or null when the period starts before the first release the
   * table loaded and that release gave no start.
   */
  validFrom: string | null;
  /** First day the code is no longer valid, `YYYY-MM-DD` (exclusive), or null while it stays valid. */
  validTo: string | null;
  /** Codes of the same system that replace this one, in release order; empty when none. */
  replacedBy: string[];
}

/** A release of a code system, as the versioned tables record it on each row they append. */
export interface VocabRelease {
  /** The publisher's version, such as `2.80` for LOINC or `US1000124_20250301` for SNOMED CT. */
  version: string;
  /** First day the release's codes apply, `YYYY-MM-DD`. */
  effective: string;
  /** 1 for the first release loaded into the table, then one more for each release loaded. */
  sequence: number;
}

/**
 * Statuses of a code that is valid for use on the days of its period. The others (`pending`,
 * `deprecated`, `retired`) mark a code that is listed but not valid, as in `CODE_STATUSES`.
 */
const VALID_STATUSES: ReadonlySet<CodeStatus> = new Set([
  'active',
  'trial',
  'discouraged',
  'inactive',
]);

/** Returns whether a code with this status is valid for use. */
export function isValidCodeStatus(status: CodeStatus): boolean {
  return VALID_STATUSES.has(status);
}

/** Returns whether a period is open: valid for use and without an end. */
export function isOpenPeriod(period: CodePeriod): boolean {
  return period.validTo === null && isValidCodeStatus(period.status);
}
