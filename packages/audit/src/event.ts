export const AUDIT_OUTCOMES = ['success', 'failure', 'denied'] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/**
 * Extra facts about an event: ids, counts, hashes, durations. Never put field values
 * from health data here. The log cannot tell a patient name from an id, so callers must.
 */
export type AuditDetails = Record<string, string | number | boolean>;

/** Input of `AuditLog.append`. */
export interface AuditEventInput {
  /** Principal that acted: a name from `carelake.yaml`, `runner`, or an IAM ARN. */
  principal: string;
  /** Dotted verb such as `table.commit`, `query.run`, `file.land`, `pipeline.run`. */
  action: string;
  /** Tables (`clinical.patients`) or lake keys acted on. */
  resources: string[];
  outcome: AuditOutcome;
  details?: AuditDetails;
}

/** One line of a segment file, as written and as read back. */
export interface AuditEvent {
  /** 0-based position of the event in its segment. */
  seq: number;
  /** ISO 8601 UTC time the event was appended. */
  time: string;
  /** Id of the segment file that contains the event. */
  segment: string;
  principal: string;
  action: string;
  resources: string[];
  outcome: AuditOutcome;
  details: AuditDetails;
  /** Hex SHA-256 `hash` of the previous event, or the segment's genesis hash for seq 0. */
  prev: string;
  /** Hex SHA-256 of the canonical JSON of this event without `hash`. */
  hash: string;
}

/** The append-only audit trail every read and write in carelake goes through. */
export interface AuditLog {
  /** Validate, chain and durably write one event, then resolve with the event as stored. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  /** Finish pending appends and record the segment's end. Later appends are rejected. */
  close(): Promise<void>;
}
