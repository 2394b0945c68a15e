import { ChainChecker } from './chain';
import { readTextLines } from './json-lines';
import { segmentFile, segmentPath } from './layout';
import { parseAuditEvent } from './parse-records';
import type { AuditProblem } from './verify-result';

export interface SegmentCheck {
  /** Lines that parse as events, chained or not. */
  events: number;
  problems: AuditProblem[];
  /** The last line that parses as an event, compared with the index's close record. */
  last?: { line: number; seq: number; hash: string };
}

/** Check the chain of one segment file line by line. */
export async function verifySegment(dir: string, segmentId: string): Promise<SegmentCheck> {
  const file = segmentFile(segmentId);
  const checker = new ChainChecker(segmentId);
  const check: SegmentCheck = { events: 0, problems: [] };

  for await (const { line, text } of readTextLines(segmentPath(dir, segmentId))) {
    const parsed = parseAuditEvent(text);
    if (!parsed.ok) {
      check.problems.push({
        reason: 'malformed-line',
        file,
        segment: segmentId,
        line,
        message: parsed.message,
      });
      continue;
    }
    const event = parsed.value;
    check.events += 1;
    check.last = { line, seq: event.seq, hash: event.hash };

    if (event.segment !== segmentId) {
      // Each event names the segment it was written to, so this one was moved or copied here.
      check.problems.push({
        reason: 'malformed-line',
        file,
        segment: segmentId,
        line,
        seq: event.seq,
        message: `event names segment ${event.segment}, not the file it is in`,
      });
    }
    const chainBreak = checker.check(event);
    if (chainBreak)
      check.problems.push({ ...chainBreak, file, segment: segmentId, line, seq: event.seq });
  }
  return check;
}
