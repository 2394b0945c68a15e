import type { AuditEvent, AuditOutcome } from './event';
import { parseSegmentStart } from './layout';

/** Criteria for reading audit events. An event is yielded when it matches every field given. */
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

/** One segment's events, opened only when the merge reaches the segment's start time. */
export interface SegmentSource {
  segmentId: string;
  open(): AsyncGenerator<AuditEvent>;
}

interface SegmentCursor {
  segmentId: string;
  events: AsyncGenerator<AuditEvent>;
  head: AuditEvent;
  headTimeMs: number;
}

/**
 * Yield the events of several segments merged in time order (ties by segment id,
 * then seq), keeping those that match `filter`. A segment is opened only once the
 * merge reaches the start time in its id, so only segments that overlap in time are
 * open together. The order assumes each writer's clock never went backwards; if one
 * did, its events still all appear, near their place.
 */
export async function* mergeSegmentEvents(
  sources: readonly SegmentSource[],
  filter: AuditEventFilter = {},
): AsyncGenerator<AuditEvent> {
  const pending = sources
    .map((source) => ({ source, startMs: parseSegmentStart(source.segmentId)?.getTime() ?? 0 }))
    .sort((a, b) => a.startMs - b.startMs || compareText(a.source.segmentId, b.source.segmentId));
  const active: SegmentCursor[] = [];
  const untilMs = filter.until?.getTime();

  try {
    for (;;) {
      let next = earliest(active);
      let start = pending[0];
      while (start !== undefined && (next === undefined || start.startMs <= next.headTimeMs)) {
        pending.shift();
        const cursor = await openCursor(start.source);
        if (cursor) active.push(cursor);
        next = earliest(active);
        start = pending[0];
      }
      if (next === undefined) return;
      if (untilMs !== undefined && next.headTimeMs >= untilMs) return;

      if (matchesAuditFilter(next.head, filter)) yield next.head;
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

export function matchesAuditFilter(event: AuditEvent, filter: AuditEventFilter): boolean {
  if (filter.principal !== undefined && event.principal !== filter.principal) return false;
  if (filter.action !== undefined && event.action !== filter.action) return false;
  if (filter.outcome !== undefined && event.outcome !== filter.outcome) return false;
  if (filter.resource !== undefined && !event.resources.includes(filter.resource)) return false;
  if (filter.since !== undefined && Date.parse(event.time) < filter.since.getTime()) return false;
  return true;
}

async function openCursor(source: SegmentSource): Promise<SegmentCursor | undefined> {
  const events = source.open();
  const first = await events.next();
  if (first.done) return undefined;
  return {
    segmentId: source.segmentId,
    events,
    head: first.value,
    headTimeMs: Date.parse(first.value.time),
  };
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

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
