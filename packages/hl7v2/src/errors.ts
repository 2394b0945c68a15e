import { CarelakeError, formatPosition, type CarelakeErrorOptions } from '@carelake/core';
import type { Hl7IssueCode, Hl7Position, Hl7Problem } from './issues';

/** Root of the errors the HL7 v2 package raises. */
export class Hl7Error extends CarelakeError {}

/** An HL7 v2 input that cannot be parsed; carries the problem's code and position. */
export class Hl7ParseError extends Hl7Error {
  readonly code: Hl7IssueCode;
  readonly problem: Hl7Problem;

  constructor(problem: Hl7Problem, options: Pick<CarelakeErrorOptions, 'cause'> = {}) {
    super(problem.reason, { ...options, position: problem.position, hint: problem.hint });
    this.code = problem.code;
    this.problem = problem;
  }

  /** Render the message with its position, including the control id and value coordinates. */
  override describe(): string {
    const where = formatHl7Position(this.problem.position);
    const parts = [where ? `${where}: ${this.message}` : this.message];
    if (this.hint) parts.push(this.hint);
    return parts.join(' ');
  }
}

/** A field path such as `PID-3[2].1` that does not follow the path notation. */
export class Hl7PathError extends Hl7Error {}

/** Parser options that name an unknown character set or contradict each other. */
export class Hl7OptionsError extends Hl7Error {}

/** Values that cannot be encoded as ER7: an invalid segment id, field number or delimiter set. */
export class Hl7EncodeError extends Hl7Error {}

/** A byte stream that cannot be split into messages, such as one longer than the allowed size. */
export class Hl7StreamError extends Hl7Error {}

/**
 * Format an HL7 position as `file:line record 3 segment OBX[2] field OBX-5 control id X segment
 * index 4 repetition 1 component 2`, leaving out the parts that are unknown.
 */
export function formatHl7Position(position: Hl7Position): string {
  const parts = [formatPosition(position)];
  if (position.controlId !== undefined) parts.push(`control id ${position.controlId}`);
  if (position.segmentIndex !== undefined) parts.push(`segment index ${position.segmentIndex}`);
  if (position.repetition !== undefined) parts.push(`repetition ${position.repetition}`);
  if (position.component !== undefined) parts.push(`component ${position.component}`);
  if (position.subcomponent !== undefined) parts.push(`subcomponent ${position.subcomponent}`);
  return parts.filter((part) => part !== '').join(' ');
}
