/**
 * Row shapes of the tables the HL7 v2 mapping writes, column for column as their dataset files
 * declare them: `date` and `timestamp` columns hold a `Date` in UTC, `int`, `bigint` and `double`
 * columns a `number`.
 */

/** A row of raw.hl7v2_segments: one per segment of every message. */
export type RawHl7SegmentRow = {
  message_hash: string;
  message_control_id: string | null;
  message_code: string;
  trigger_event: string | null;
  sending_application: string | null;
  sending_facility: string | null;
  version_id: string | null;
  segment_index: number;
  segment_id: string;
  segment_text: string;
  record_hash: string;
  source_file: string;
  source_position: number;
  ingested_at: Date;
};

/** Lineage columns every clinical row carries. */
export type ClinicalLineage = {
  source_format: 'hl7v2';
  source_system: string | null;
  source_id: string | null;
  source_file: string;
  source_position: number;
  ingested_at: Date;
  facility: string | null;
};

/** A row of clinical.patients: one per PID segment with a patient id. */
export type ClinicalPatientRow = ClinicalLineage & {
  patient_key: string;
  patient_id: string;
  assigning_authority: string | null;
  family_name: string | null;
  given_name: string | null;
  birth_date: Date | null;
  sex: string | null;
  city: string | null;
  state: string | null;
  postal_code: string | null;
  country: string | null;
  is_deleted: boolean;
  event_time: Date | null;
  record_hash: string;
};

/** A row of clinical.observations: one per OBX segment. */
export type ClinicalObservationRow = ClinicalLineage & {
  observation_key: string;
  patient_key: string | null;
  code: string | null;
  code_system: string | null;
  code_display: string | null;
  value_type: string | null;
  value_text: string | null;
  value_number: number | null;
  unit: string | null;
  reference_range: string | null;
  interpretation: string | null;
  status: string | null;
  effective_time: Date | null;
  effective_month: string;
  is_deleted: boolean;
  event_time: Date | null;
  record_hash: string;
};
