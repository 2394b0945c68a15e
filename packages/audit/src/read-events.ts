import { AuditError } from './errors';
import type { AuditEvent, AuditOutcome } from './event';
import { readTextLines } from './json-lines';
import { listSegmentIds, parseSegmentStart, segmentPath } from './layout';
import { parseAuditEvent } from './parse-records';

/** Criteria for `readAuditEvents`. An event is yielded when it matches every field given. */
export interface AuditEventFilter {
  principal?: string;
  action?: string;
  /** Events whose `resources` include this one. */
  resource?: string;
  outcome?: AuditOutcome;
  /** Events at or after this time. */
  since?: Date;
  /** Events before this time. */
  until?: Date;
}

interface SegmentCursor {
  segmentId: string;
  events: AsyncGenerator<AuditEvent>;
  head: AuditEvent;
  headTimeMs: number;
}

/**
 * Yield the events of every segment under an `_audit` folder, merged in time order
 * (ties by segment id, then seq). A segment is opened only once the merge reaches
 * its start time, so only the segments that overlap in time are open together.
 * Events are not verified here; `verifyAuditLog` does that. Throws `AuditError` on
 * a line that is not an event. The order assumes each writer's clock never went
 * backwards; if one did, its events still all appear, near their place.
 */
export async function* readAuditEvents(
  dir: string,
  filter: AuditEventFilter = {},
): AsyncGenerator<AuditEvent> {
  const pending = (await listSegmentIds(dir))
    .map((segmentId) => ({ segmentId, startMs: parseSegmentStart(segmentId)?.getTime() ?? 0 }))
    .sort((a, b) => a.startMs - b.startMs || compareText(a.segmentId, b.segmentId));
  const active: SegmentCursor[] = [];
  const untilMs = filter.until?.getTime();

  try {
    for (;;) {
      let next = earliest(active);
      let start = pending[0];
      while (start !== undefined && (next === undefined || start.startMs <= next.headTimeMs)) {
        pending.shift();
        const cursor = await openCursor(dir, start.segmentId);
        if (cursor) active.push(cursor);
        next = earliest(active);
        start = pending[0];
      }
      if (next === undefined) return;
      if (untilMs !== undefined && next.headTimeMs >= untilMs) return;

      if (matches(next.head, filter)) yield next.head;
      const advanced = await next.events.next();
      if (advanced.done) {
        active.splice(active.indexOf(next), 1);
      } else {
        next.head = advanced.value;
        next.headTimeMs = Date.parse(advanced.value.time);
      }
    }
  } finally {
    await Promise.all(active.map((cursor) => cursor.events.return(undefined)));
  }
}

async function openCursor(dir: string, segmentId: string): Promise<SegmentCursor | undefined> {
  const events = readSegmentEvents(dir, segmentId);
  const first = await events.next();
  if (first.done) return undefined;
  return { segmentId, events, head: first.value, headTimeMs: Date.parse(first.value.time) };
}

async function* readSegmentEvents(dir: string, segmentId: string): AsyncGenerator<AuditEvent> {
  const filePath = segmentPath(dir, segmentId);
  for await (const { line, text } of readTextLines(filePath)) {
    const parsed = parseAuditEvent(text);
    if (!parsed.ok) {
      throw new AuditError(`audit segment line is not an event: ${parsed.message}`, {
        position: { file: filePath, line },
        hint: 'Run carelake audit verify to check the whole log.',
      });
    }
    yield parsed.value;
  }
}

function earliest(cursors: SegmentCursor[]): SegmentCursor | undefined {
  let best: SegmentCursor | undefined;
  for (const cursor of cursors) {
    if (
      best === undefined ||
      cursor.headTimeMs < best.headTimeMs ||
      (cursor.headTimeMs === best.headTimeMs && compareText(cursor.segmentId, best.segmentId) < 0)
    ) {
      best = cursor;
    }
  }
  return best;
}

function matches(event: AuditEvent, filter: AuditEventFilter): boolean {
  if (filter.principal !== undefined && event.principal !== filter.principal) return false;
  if (filter.action !== undefined && event.action !== filter.action) return false;
  if (filter.outcome !== undefined && event.outcome !== filter.outcome) return false;
  if (filter.resource !== undefined && !event.resources.includes(filter.resource)) return false;
  if (filter.since !== undefined && Date.parse(event.time) < filter.since.getTime()) return false;
  return true;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
