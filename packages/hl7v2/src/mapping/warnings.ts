import type { ErrorPosition } from '@carelake/core';

/** Conditions the mappings report about a message they still map. */
export type Hl7MappingIssueCode =
  /** A date or timestamp value does not follow the HL7 DTM format or names an impossible date. */
  | 'invalid-date'
  /** A value mapped to a numeric column, or a numeric observation value, is not a number. */
  | 'invalid-number'
  /** A value mapped to a boolean column is not one of Y, N, T, F, true, false, 1 or 0. */
  | 'invalid-boolean'
  /** ED data that does not decode in the encoding ED-4 declares; no attachment is written. */
  | 'invalid-attachment'
  /** MSH-10 repeats the control id of an earlier message from the same sender with other content. */
  | 'control-id-reused'
  /**
   * A timestamp without a UTC offset was read as UTC because no sender time zone is configured.
   * Reported once per message, at the first such value.
   */
  | 'timestamp-without-offset';

/** A value that mapped to null, or a message kept despite a condition; positions only, no values. */
export interface Hl7MappingWarning {
  code: Hl7MappingIssueCode;
  reason: string;
  position: ErrorPosition;
}
