import { Hl7Error } from '../../errors';
import type { Hl7Segment } from '../../segment';
import { resolveSegmentScope, type SegmentScope } from '../language/segment-scope';
import type { MappingFile } from '../language/schema';
import type { MessageVariable, SourceRef, TemplatePart } from '../language/syntax';
import { cleanText } from '../mapping-context';
import { readLeaf } from './leaf-reader';
import type { RowScope } from './row-scope';

/** Reads one path or variable of a row, compiled once per mapping file. */
export interface TextReader {
  /** The trimmed text; null when absent, empty or the HL7 null `""`. Repetitions after the first are not read. */
  read(scope: RowScope): string | null;
  /** The segment read, for warning positions; undefined for variables. */
  segmentOf(scope: RowScope): Hl7Segment | undefined;
  /** The field read, such as `PV1-44`, for warning positions; undefined for variables. */
  readonly field: string | undefined;
}

type RuleShape = Pick<MappingFile, 'each' | 'context' | 'following'>;

/** Compile a path or variable whose syntax and scope the file checks already accepted. */
export function compileTextReader(rule: RuleShape, ref: SourceRef): TextReader {
  if (ref.kind === 'variable') return variableReader(ref.name);

  const location = ref.location;
  const scope = resolveSegmentScope(rule, location);
  if (!scope.ok) throw new Hl7Error(`unchecked mapping path ${ref.text}: ${scope.message}`);
  const segmentOf = segmentLookup(scope.value);
  return {
    read: (row) => {
      const segment = segmentOf(row);
      return segment === undefined ? null : cleanText(readLeaf(segment, location));
    },
    segmentOf,
    field: `${location.segmentId}-${location.field}`,
  };
}

/**
 * Compile a template into a function that returns its text, or null when a placeholder without
 * `?` is empty or every placeholder is.
 */
export function compileTemplate(
  rule: RuleShape,
  parts: readonly TemplatePart[],
): (scope: RowScope) => string | null {
  const pieces = parts.map((part) =>
    typeof part === 'string'
      ? part
      : {
          readers: part.alternatives.map((ref) => compileTextReader(rule, ref)),
          optional: part.optional,
        },
  );
  return (scope) => {
    let text = '';
    let anyFilled = false;
    for (const piece of pieces) {
      if (typeof piece === 'string') {
        text += piece;
        continue;
      }
      const value = firstText(piece.readers, scope);
      if (value === null && !piece.optional) return null;
      if (value !== null) anyFilled = true;
      text += value ?? '';
    }
    return anyFilled ? text : null;
  };
}

/** Return the first non-null text of several readers. */
export function firstText(readers: readonly TextReader[], scope: RowScope): string | null {
  for (const reader of readers) {
    const text = reader.read(scope);
    if (text !== null) return text;
  }
  return null;
}

function segmentLookup(scope: SegmentScope): (row: RowScope) => Hl7Segment | undefined {
  switch (scope.kind) {
    case 'row':
      return (row) => row.segment;
    case 'context': {
      const slot = scope.slot;
      return (row) => row.context[slot];
    }
    case 'following': {
      const slot = scope.slot;
      return (row) => row.following[slot]?.[0];
    }
    case 'header':
      return (row) => row.mapping.message.header;
    case 'message': {
      const { segmentId, occurrence } = scope;
      return (row) => row.mapping.message.segment(segmentId, occurrence);
    }
  }
}

function variableReader(name: MessageVariable): TextReader {
  const read = VARIABLE_READERS[name];
  return { read, segmentOf: () => undefined, field: undefined };
}

const VARIABLE_READERS: Record<MessageVariable, (scope: RowScope) => string | null> = {
  message_id: (scope) => scope.mapping.facts.messageId,
  message_hash: (scope) => scope.mapping.facts.messageHash,
  row_number: (scope) => String(scope.rowNumber),
  trigger_event: (scope) => scope.mapping.facts.triggerEvent,
  message_code: (scope) => scope.mapping.facts.messageCode,
};
