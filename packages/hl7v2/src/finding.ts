import type { Hl7IssueCode } from './issues';

/** A condition found in a parsed message, before the builder adds the message's position. */
export interface MessageFinding {
  code: Hl7IssueCode;
  reason: string;
  /** 0-based index of the segment concerned; undefined when there is none, as for a missing segment. */
  segmentIndex: number | undefined;
  /** The field, such as `PID-3`. */
  field?: string;
  repetition?: number;
  component?: number;
  subcomponent?: number;
  /** How many places share the condition, when one finding stands for several. */
  count?: number;
}
