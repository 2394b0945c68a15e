import type { Hl7Location } from '../../path';
import type { MappingFile } from './schema';
import type { SyntaxResult } from './syntax';

/**
 * The segment a path of a rule reads. It is the row's own segment, the nearest context segment
 * before it (by its slot in `context`), the first `following` segment after it (by slot), or the
 * MSH. EVN, and every segment of a rule with `each: message`, is looked up in the whole message.
 */
export type SegmentScope =
  | { kind: 'row' }
  | { kind: 'context'; slot: number }
  | { kind: 'following'; slot: number }
  | { kind: 'header' }
  | { kind: 'message'; segmentId: string; occurrence: number };

type RuleShape = Pick<MappingFile, 'each' | 'context' | 'following'>;

/** Decide which segment a path reads within a rule, or explain why the rule cannot reach it. */
export function resolveSegmentScope(
  rule: RuleShape,
  location: Hl7Location,
): SyntaxResult<SegmentScope> {
  const { segmentId, occurrence } = location;
  if (segmentId === 'MSH' && occurrence === 1) return { ok: true, value: { kind: 'header' } };
  if (rule.each === 'message')
    return { ok: true, value: { kind: 'message', segmentId, occurrence } };

  if (occurrence !== 1) {
    return {
      ok: false,
      message: `${segmentId}[${occurrence}] names an occurrence, which only rules with each: message may read; drop [${occurrence}]`,
    };
  }
  if (segmentId === rule.each) return { ok: true, value: { kind: 'row' } };

  const contextSlot = rule.context.indexOf(segmentId);
  if (contextSlot >= 0) return { ok: true, value: { kind: 'context', slot: contextSlot } };
  const followingSlot = rule.following.indexOf(segmentId);
  if (followingSlot >= 0) return { ok: true, value: { kind: 'following', slot: followingSlot } };
  if (segmentId === 'EVN') return { ok: true, value: { kind: 'message', segmentId, occurrence } };

  return {
    ok: false,
    message:
      `${segmentId} is not the row segment (${rule.each}), MSH, EVN or a segment listed in context or following; ` +
      `add ${segmentId} to context when it comes before the ${rule.each}, or to following when it comes after`,
  };
}
