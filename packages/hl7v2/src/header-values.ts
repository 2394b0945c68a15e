import { parseHl7FieldPath } from './path';
import type { Hl7Segment, Hl7Value } from './segment';

/** MSH fields the standard requires and the mappings rely on, read once for every check. */
export interface RequiredHeaderValues {
  /** MSH-9.1 */
  messageCode: Hl7Value;
  /** MSH-10 */
  controlId: Hl7Value;
  /** MSH-12.1 */
  versionId: Hl7Value;
}

export const MESSAGE_CODE = parseHl7FieldPath('9.1');
export const CONTROL_ID = parseHl7FieldPath('10');
export const VERSION_ID = parseHl7FieldPath('12.1');
export const CHARACTER_SET = parseHl7FieldPath('18');

/** Read the required MSH values, given MSH-10, which the builder reads before decoding. */
export function readRequiredHeaderValues(
  header: Hl7Segment,
  controlId: Hl7Value,
): RequiredHeaderValues {
  return {
    messageCode: header.valueAt(MESSAGE_CODE),
    controlId,
    versionId: header.valueAt(VERSION_ID),
  };
}
