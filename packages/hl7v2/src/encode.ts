import {
  HEADER_SEGMENT_IDS,
  readDelimiters,
  STANDARD_DELIMITERS,
  type Hl7Delimiters,
} from './delimiters';
import { Hl7EncodeError } from './errors';
import { escapeHl7 } from './escape';
import type { Hl7Message } from './message';
import { parseHl7Message } from './parse-file';
import { HL7_NULL } from './segment';

/** One leaf value: text (escaped on output), `null` for the HL7 null `""`, undefined or `''` for empty. */
export type Hl7LeafInput = string | null | undefined;
/** A component: one leaf, or its subcomponents in order. */
export type Hl7ComponentInput = Hl7LeafInput | readonly Hl7LeafInput[];
/** One repetition of a field: one leaf, or its components in order. */
export type Hl7RepetitionInput = Hl7LeafInput | readonly Hl7ComponentInput[];
/** A field: one repetition, or several as `{ repetitions: [...] }`. */
export type Hl7FieldInput =
  Hl7RepetitionInput | { readonly repetitions: readonly Hl7RepetitionInput[] };

export interface Hl7SegmentInput {
  /** The segment id, such as `PID` or `ZPI`. */
  id: string;
  /**
   * Field values by 1-based field number, as in `{ 3: 'MRN-1', 5: ['DOE', 'JANE'] }`. Fields up
   * to the highest number given are written, so an explicit trailing empty field is kept. In
   * MSH, FHS and BHS, fields 1 and 2 come from the delimiters and may not be given.
   */
  fields: Readonly<Record<number, Hl7FieldInput>>;
}

export interface Hl7BuildOptions {
  /** Delimiters of the new message; `|^~\&` when not given. */
  delimiters?: Hl7Delimiters;
}

/** Write delimiters as MSH-2: component, repetition, then escape, subcomponent and truncation when present. */
export function formatEncodingCharacters(delimiters: Hl7Delimiters): string {
  return (
    delimiters.component +
    delimiters.repetition +
    (delimiters.escape ?? '') +
    (delimiters.subcomponent ?? '') +
    (delimiters.truncation ?? '')
  );
}

/**
 * Encode a message as ER7: its segments as received, each ended by a CR, with its own MSH-1 and
 * MSH-2. For input that used CR terminators and drew no warning, this is the input exactly.
 */
export function encodeHl7Message(message: Hl7Message): string {
  return message.encode();
}

/**
 * Build a message from values: each value is escaped (delimiters, the escape character, CR and
 * LF) and the segments are joined with CR. The first segment must be the MSH. The message is
 * then parsed, so it reads back like any received message.
 * @throws Hl7EncodeError for an invalid segment id, field number or delimiter set, or a value
 *   that the delimiters cannot express (such as subcomponents when MSH-2 declares none).
 */
export function buildHl7Message(
  segments: readonly Hl7SegmentInput[],
  options: Hl7BuildOptions = {},
): Hl7Message {
  const delimiters = options.delimiters ?? STANDARD_DELIMITERS;
  const [first] = segments;
  if (first?.id !== 'MSH') {
    throw new Hl7EncodeError('a message must start with an MSH segment', {
      position: { segment: first?.id },
      hint: 'Put the MSH first in the list of segments.',
    });
  }
  const text = segments.map((segment) => encodeHl7Segment(segment, delimiters)).join('\r') + '\r';
  return parseHl7Message(text).message;
}

/**
 * Encode one segment as ER7 text, without its terminator.
 * @throws Hl7EncodeError as `buildHl7Message` does.
 */
export function encodeHl7Segment(segment: Hl7SegmentInput, delimiters: Hl7Delimiters): string {
  checkDelimiters(delimiters);
  if (!/^[A-Z][A-Z0-9]{2}$/.test(segment.id)) {
    throw new Hl7EncodeError(
      'a segment id must be an upper-case letter and two letters or digits',
      {
        hint: 'Use a standard id such as PID, or a Z segment such as ZPI.',
      },
    );
  }

  const isHeader = HEADER_SEGMENT_IDS.has(segment.id);
  const numbers = Object.keys(segment.fields).map(Number);
  for (const number of numbers) {
    if (!Number.isInteger(number) || number < 1 || (isHeader && number < 3)) {
      throw new Hl7EncodeError(
        `${segment.id} has no field ${number} to set: fields are numbered from ${isHeader ? 3 : 1}`,
        {
          position: { segment: segment.id },
          hint: isHeader
            ? `${segment.id}-1 and ${segment.id}-2 come from the delimiters option.`
            : 'Number fields from 1, as in PID-1.',
        },
      );
    }
  }

  let text = isHeader
    ? `${segment.id}${delimiters.field}${formatEncodingCharacters(delimiters)}`
    : segment.id;
  const last = Math.max(0, ...numbers);
  for (let number = isHeader ? 3 : 1; number <= last; number++) {
    const field = `${segment.id}-${number}`;
    text += delimiters.field + encodeHl7Field(segment.fields[number], delimiters, field);
  }
  return text;
}

/**
 * Encode one field value with a message's delimiters.
 * @param field the field's name (`PID-5`) for errors.
 * @throws Hl7EncodeError when the value needs a delimiter or escape character MSH-2 lacks.
 */
export function encodeHl7Field(
  value: Hl7FieldInput,
  delimiters: Hl7Delimiters,
  field = 'the field',
): string {
  const repetitions = isRepeated(value) ? value.repetitions : [value];
  return repetitions
    .map((repetition) => encodeRepetition(repetition, delimiters, field))
    .join(delimiters.repetition);
}

function encodeRepetition(
  repetition: Hl7RepetitionInput,
  delimiters: Hl7Delimiters,
  field: string,
): string {
  if (!Array.isArray(repetition)) return encodeLeaf(repetition as Hl7LeafInput, delimiters, field);
  return (repetition as readonly Hl7ComponentInput[])
    .map((component) => encodeComponent(component, delimiters, field))
    .join(delimiters.component);
}

function encodeComponent(
  component: Hl7ComponentInput,
  delimiters: Hl7Delimiters,
  field: string,
): string {
  if (!Array.isArray(component)) return encodeLeaf(component as Hl7LeafInput, delimiters, field);
  const subcomponent = delimiters.subcomponent;
  if (subcomponent === undefined) {
    throw new Hl7EncodeError(
      `${field} has subcomponents but MSH-2 declares no subcomponent separator`,
      {
        hint: 'Use delimiters with a subcomponent separator, such as |^~\\&.',
      },
    );
  }
  return (component as readonly Hl7LeafInput[])
    .map((leaf) => encodeLeaf(leaf, delimiters, field))
    .join(subcomponent);
}

function encodeLeaf(leaf: Hl7LeafInput, delimiters: Hl7Delimiters, field: string): string {
  if (leaf === null) return HL7_NULL;
  if (leaf === undefined || leaf === '') return '';
  const escape = delimiters.escape;
  if (escape === undefined) {
    if (needsEscape(leaf, delimiters)) {
      throw new Hl7EncodeError(
        `${field} contains a delimiter, a line break or two double quotes, and MSH-2 declares no escape character`,
        { hint: 'Use delimiters with an escape character, such as |^~\\&.' },
      );
    }
    return leaf;
  }
  // Two double quotes alone are the HL7 null, so a value that is exactly that text is written
  // in hexadecimal to read back as text.
  if (leaf === HL7_NULL) return `${escape}X22${escape}${escape}X22${escape}`;
  return escapeHl7(leaf, delimiters);
}

function needsEscape(leaf: string, delimiters: Hl7Delimiters): boolean {
  if (leaf === HL7_NULL || /[\r\n]/.test(leaf)) return true;
  const separators = [
    delimiters.field,
    delimiters.component,
    delimiters.repetition,
    delimiters.subcomponent,
    delimiters.truncation,
  ];
  return separators.some((separator) => separator !== undefined && leaf.includes(separator));
}

function isRepeated(
  value: Hl7FieldInput,
): value is { readonly repetitions: readonly Hl7RepetitionInput[] } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Check that the delimiters are ones MSH-1 and MSH-2 can declare and that `""` can be written. */
function checkDelimiters(delimiters: Hl7Delimiters): void {
  const encoding = formatEncodingCharacters(delimiters);
  const read = readDelimiters(`MSH${delimiters.field}${encoding}`);
  const positional =
    read.ok &&
    read.delimiters.escape === delimiters.escape &&
    read.delimiters.subcomponent === delimiters.subcomponent &&
    read.delimiters.truncation === delimiters.truncation;
  if (!read.ok || !positional) {
    throw new Hl7EncodeError(
      read.ok
        ? 'the delimiters leave a gap: MSH-2 is positional, so a subcomponent separator needs an escape character and a truncation character needs both'
        : `the delimiters are invalid: ${read.reason}`,
      { hint: 'Use 1 field separator and 2 to 5 distinct punctuation characters, such as |^~\\&.' },
    );
  }
  if (`${delimiters.field}${encoding}`.includes('"')) {
    throw new Hl7EncodeError('a double quote cannot be a delimiter, because "" is the HL7 null', {
      hint: 'Choose another punctuation character.',
    });
  }
}
