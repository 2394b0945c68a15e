/**
 * Row shapes of the tables the HL7 v2 mapping writes in code: `date` and `timestamp` columns
 * hold a `Date` in UTC, `int`, `bigint` and `double` columns a `number`. The clinical tables get
 * their columns from the mapping files.
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
