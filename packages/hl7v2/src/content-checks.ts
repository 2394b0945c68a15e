import { hasUnterminatedEscape } from './escape';
import type { MessageFinding } from './finding';
import type { Hl7Message } from './message';
import { STANDARD_SEGMENT_IDS } from './segment-ids';

/** A field ending in white space and a segment id, as in `...|N ROL|1|...` when a CR was lost. */
const RUN_ON_SEGMENT = /\s([A-Z][A-Z0-9]{2})$/;

/** Patterns that find a possible run-on segment in a whole segment's text, by field separator. */
const runOnScreens = new Map<string, RegExp>();

/**
 * Find values that were read as they are but look damaged. Escape characters that no escape
 * character closes give one finding per message, at the first, with a count. Segments that seem
 * to run on inside a field, because the CR before them was lost, give one finding each.
 */
export function checkMessageContent(message: Hl7Message): MessageFinding[] {
  return findUnterminatedEscapes(message).concat(findRunOnSegments(message));
}

function findUnterminatedEscapes(message: Hl7Message): MessageFinding[] {
  const escape = message.delimiters.escape;
  if (escape === undefined) return [];

  let first: MessageFinding | undefined;
  let count = 0;
  message.segments.forEach((segment, segmentIndex) => {
    // Splitting a segment into leaves costs far more than searching its text once.
    if (!segment.fieldsContain(escape)) return;
    for (const leaf of segment.leaves()) {
      if (!hasUnterminatedEscape(leaf.encoded, segment.delimiters)) continue;
      count += 1;
      first ??= {
        code: 'unterminated-escape',
        reason: `${segment.id}-${leaf.field} contains an escape character that no escape character closes; it is kept as text`,
        segmentIndex,
        field: `${segment.id}-${leaf.field}`,
        repetition: leaf.repetition,
        component: leaf.component,
        subcomponent: leaf.subcomponent,
      };
    }
  });
  if (first === undefined) return [];
  if (count > 1) {
    first.reason += ` (${count} value(s) in this message)`;
    first.count = count;
  }
  return [first];
}

function findRunOnSegments(message: Hl7Message): MessageFinding[] {
  const findings: MessageFinding[] = [];
  message.segments.forEach((segment, segmentIndex) => {
    // Fields are split only for the rare segment whose text could hold a run-on segment.
    if (!runOnScreen(segment.delimiters.field).test(segment.text)) return;
    const fields = segment.encodedFields();
    // The id must be followed by a field separator, so the last field cannot end in one.
    for (let field = segmentIndex === 0 ? 3 : 1; field < fields.length - 1; field++) {
      const id = RUN_ON_SEGMENT.exec(fields[field] ?? '')?.[1];
      if (id === undefined || !STANDARD_SEGMENT_IDS.has(id)) continue;
      findings.push({
        code: 'run-on-segment',
        reason:
          `${segment.id}-${field} ends with white space and the segment id ${id}: the terminator ` +
          `before the ${id} segment was probably lost, so its fields are read as ${segment.id}-${field + 1} onwards`,
        segmentIndex,
        field: `${segment.id}-${field}`,
      });
    }
  });
  return findings;
}

/**
 * Return a pattern for white space, a segment id and a field separator anywhere in a segment's
 * text. Every field that `RUN_ON_SEGMENT` matches and that is not the last is followed by a field
 * separator, so a segment without this pattern has no run-on segment.
 */
function runOnScreen(fieldSeparator: string): RegExp {
  let screen = runOnScreens.get(fieldSeparator);
  if (screen === undefined) {
    screen = new RegExp(`\\s[A-Z][A-Z0-9]{2}${escapeRegExp(fieldSeparator)}`);
    runOnScreens.set(fieldSeparator, screen);
  }
  return screen;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}
