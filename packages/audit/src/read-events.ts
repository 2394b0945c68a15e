import { AuditError } from './errors';
import type { AuditEvent } from './event';
import { readTextLines } from './json-lines';
import { listSegmentIds, segmentPath } from './layout';
import { mergeSegmentEvents, type AuditEventFilter } from './merge-events';
import { parseAuditEvent } from './parse-records';

export type { AuditEventFilter } from './merge-events';

/**
 * Yield the events of every segment under an `_audit` folder, merged in time order
 * (ties by segment id, then seq). Events are not verified here; `verifyAuditLog`
 * does that. Throws `AuditError` on a line that is not an event.
 */
export async function* readAuditEvents(
  dir: string,
  filter: AuditEventFilter = {},
): AsyncGenerator<AuditEvent> {
  const sources = (await listSegmentIds(dir)).map((segmentId) => ({
    segmentId,
    open: () => readSegmentEvents(dir, segmentId),
  }));
  yield* mergeSegmentEvents(sources, filter);
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
