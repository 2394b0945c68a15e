import { AUDIT_OUTCOMES, type AuditEvent } from './event';

/** A record of `index.jsonl`: a segment was opened, or closed with its last event. */
export interface IndexRecord {
  seq: number;
  time: string;
  kind: 'open' | 'close';
  segment: string;
  /** On `close`: seq of the segment's last event, absent when it has none. */
  lastSeq?: number;
  /** On `close`: hash of the segment's last event, or its genesis hash when it has none. */
  lastHash?: string;
  prev: string;
  hash: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; message: string };

const HEX_HASH = /^[0-9a-f]{64}$/;
/** A plain file name, so that an edited index cannot point verify outside `segments/`. */
const SEGMENT_ID = /^[0-9A-Za-z][0-9A-Za-z._-]*$/;

/** Parse one segment line, checking the shape but not the chain. */
export function parseAuditEvent(line: string): ParseResult<AuditEvent> {
  const parsed = parseObject(line);
  if (!parsed.ok) return parsed;
  const value = parsed.value;

  const problems = [
    ...chainFieldProblems(value),
    ...(['time', 'segment', 'principal', 'action'] as const)
      .filter((key) => typeof value[key] !== 'string')
      .map((key) => `${key} is not a string`),
  ];
  const resources = value['resources'];
  if (!Array.isArray(resources) || !resources.every((item) => typeof item === 'string')) {
    problems.push('resources is not an array of strings');
  }
  if (!(AUDIT_OUTCOMES as readonly unknown[]).includes(value['outcome'])) {
    problems.push(`outcome is not one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  const details = value['details'];
  if (!isObject(details) || !Object.values(details).every(isDetailValue)) {
    problems.push('details is not an object of strings, numbers and booleans');
  }
  return problems.length > 0
    ? { ok: false, message: problems.join('; ') }
    : { ok: true, value: value as unknown as AuditEvent };
}

/** Parse one line of `index.jsonl`, checking the shape but not the chain. */
export function parseIndexRecord(line: string): ParseResult<IndexRecord> {
  const parsed = parseObject(line);
  if (!parsed.ok) return parsed;
  const value = parsed.value;

  const problems = chainFieldProblems(value);
  if (typeof value['time'] !== 'string') problems.push('time is not a string');
  if (typeof value['segment'] !== 'string' || !SEGMENT_ID.test(value['segment'])) {
    problems.push('segment is not a segment id');
  }
  if (value['kind'] === 'close') {
    const lastSeq = value['lastSeq'];
    if (lastSeq !== undefined && !isSeq(lastSeq))
      problems.push('lastSeq is not a non-negative integer');
    if (typeof value['lastHash'] !== 'string' || !HEX_HASH.test(value['lastHash'])) {
      problems.push('lastHash is not a hex SHA-256');
    }
  } else if (value['kind'] !== 'open') {
    problems.push('kind is not open or close');
  }
  return problems.length > 0
    ? { ok: false, message: problems.join('; ') }
    : { ok: true, value: value as unknown as IndexRecord };
}

function parseObject(line: string): ParseResult<Record<string, unknown>> {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, message: line.length === 0 ? 'empty line' : 'not valid JSON' };
  }
  return isObject(value) ? { ok: true, value } : { ok: false, message: 'not a JSON object' };
}

function chainFieldProblems(value: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (!isSeq(value['seq'])) problems.push('seq is not a non-negative integer');
  for (const key of ['prev', 'hash']) {
    const hash = value[key];
    if (typeof hash !== 'string' || !HEX_HASH.test(hash))
      problems.push(`${key} is not a hex SHA-256`);
  }
  return problems;
}

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isDetailValue(value: unknown): boolean {
  return (
    typeof value === 'string' ||
    typeof value === 'boolean' ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}
