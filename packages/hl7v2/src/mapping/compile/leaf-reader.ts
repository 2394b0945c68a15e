import { HEADER_SEGMENT_IDS } from '../../delimiters';
import { unescapeHl7 } from '../../escape';
import type { Hl7FieldLocation } from '../../path';
import { HL7_NULL, type Hl7Segment, type Hl7Value } from '../../segment';

/** A field split into its repetitions, each split into its encoded components. */
type SplitField = readonly (readonly string[])[];

/**
 * Fields already split, per segment and field number. Mapping reads many components of the same
 * fields (PID-3.1, PID-3.4.1, PID-3.4.2 for every row that carries a patient key), and splitting
 * a field once instead of once per read is most of the time a read takes.
 */
const splitFields = new WeakMap<Hl7Segment, Array<SplitField | undefined>>();

/**
 * Read one value as `Hl7Segment.valueAt` does, with an omitted repetition, component or
 * subcomponent read as the first: the unescaped text, `null` for the HL7 null `""`, or undefined
 * when absent or empty.
 */
export function readLeaf(segment: Hl7Segment, location: Hl7FieldLocation): Hl7Value {
  if (location.field <= 2 && HEADER_SEGMENT_IDS.has(segment.id)) return segment.valueAt(location);

  const repetitions = splitField(segment, location.field);
  const components = repetitions[(location.repetition ?? 1) - 1];
  let leaf = components?.[(location.component ?? 1) - 1];
  if (leaf === undefined || leaf === '') return undefined;

  const separator = segment.delimiters.subcomponent;
  if (separator !== undefined && leaf.includes(separator)) {
    leaf = leaf.split(separator)[(location.subcomponent ?? 1) - 1];
    if (leaf === undefined || leaf === '') return undefined;
  } else if ((location.subcomponent ?? 1) !== 1) {
    return undefined;
  }
  if (leaf === HL7_NULL) return null;
  return unescapeHl7(leaf, segment.delimiters);
}

function splitField(segment: Hl7Segment, field: number): SplitField {
  let fields = splitFields.get(segment);
  if (fields === undefined) {
    fields = [];
    splitFields.set(segment, fields);
  }
  let split = fields[field];
  if (split === undefined) {
    const text = segment.encodedAt({
      field,
      repetition: undefined,
      component: undefined,
      subcomponent: undefined,
    });
    const { repetition, component } = segment.delimiters;
    split = text === undefined ? [] : text.split(repetition).map((part) => part.split(component));
    fields[field] = split;
  }
  return split;
}
