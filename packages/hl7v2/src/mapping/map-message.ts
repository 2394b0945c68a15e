import type { Hl7Warning } from '../issues';
import type { Hl7Message } from '../message';
import { MessageMapping, type Hl7MappingContext } from './mapping-context';
import { mapObservationRows } from './observation-rows';
import { mapPatientRows } from './patient-rows';
import type { ClinicalObservationRow, ClinicalPatientRow, RawHl7SegmentRow } from './rows';
import { mapSegmentRows } from './segment-rows';

export interface Hl7MappedRows {
  /** raw.hl7v2_segments: every segment. */
  segments: RawHl7SegmentRow[];
  /** clinical.patients: one per PID with a patient id. */
  patients: ClinicalPatientRow[];
  /** clinical.observations: one per OBX. */
  observations: ClinicalObservationRow[];
  /** Values that mapped to null because they were invalid, each naming the message and field. */
  warnings: Hl7Warning[];
}

/** Map one parsed message to the rows of the tables HL7 v2 feeds. */
export function mapHl7Message(message: Hl7Message, context: Hl7MappingContext): Hl7MappedRows {
  const mapping = new MessageMapping(message, context);
  const segments = mapSegmentRows(mapping);
  const patients = mapPatientRows(mapping);
  const observations = mapObservationRows(mapping);
  return { segments, patients, observations, warnings: mapping.warnings };
}
