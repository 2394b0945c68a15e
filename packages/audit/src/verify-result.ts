import type { ChainBreak } from './chain';

export type AuditProblemReason =
  ChainBreak | 'malformed-line' | 'missing-segment' | 'unlisted-segment' | 'truncated-segment';

/** One place where the audit log is not what its writers wrote. */
export interface AuditProblem {
  reason: AuditProblemReason;
  /** The file concerned, relative to the `_audit` folder: `index.jsonl` or `segments/<id>.jsonl`. */
  file: string;
  /** Segment id; absent for a break in the index's own chain. */
  segment?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** `seq` of the record on that line, when it could be read. */
  seq?: number;
  message: string;
}

export interface AuditVerifyResult {
  ok: boolean;
  /** Segment files found. */
  segments: number;
  /** Event lines that could be read, whether or not they continue their chain. */
  events: number;
  /** The first problem: the index's own chain first, then segments in start-time order. */
  firstBreak?: AuditProblem;
  problems: AuditProblem[];
}

/**
 * Format a problem as one line for a terminal, such as
 * `segments/20260301T090000000Z-4711-9f2c01ab.jsonl:3 seq 2: hash-mismatch: hash does not match ...`.
 */
export function formatAuditProblem(problem: AuditProblem): string {
  const where = problem.line === undefined ? problem.file : `${problem.file}:${problem.line}`;
  const seq = problem.seq === undefined ? '' : ` seq ${problem.seq}`;
  return `${where}${seq}: ${problem.reason}: ${problem.message}`;
}
