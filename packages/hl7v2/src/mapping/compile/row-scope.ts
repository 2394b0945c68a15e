import type { RowValue } from '@carelake/core';
import type { Hl7Segment } from '../../segment';
import type { MessageMapping } from '../mapping-context';

/** The values of one builtin for one row, by part (`''` for a builtin without parts). */
export type BuiltinValues = Readonly<Record<string, RowValue>>;

/** Everything the columns of one row may read. */
export interface RowScope {
  readonly mapping: MessageMapping;
  /** The row's segment; the MSH for a rule with `each: message`. */
  readonly segment: Hl7Segment;
  /** 1-based number of the row's segment among the rule's row segments in the message. */
  readonly rowNumber: number;
  /** The nearest segment before the row's segment for each `context` id, by slot. */
  readonly context: ReadonlyArray<Hl7Segment | undefined>;
  /** The segments after the row's segment, up to the next row or context segment, for each `following` id, by slot. */
  readonly following: ReadonlyArray<readonly Hl7Segment[]>;
  /** Builtin values computed for this row, so that the parts of one builtin are computed once. */
  readonly builtins: Map<string, BuiltinValues>;
}
