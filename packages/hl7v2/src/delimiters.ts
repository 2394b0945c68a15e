/**
 * The separators and escape character a message declares in MSH-1 and MSH-2 (FHS and BHS declare
 * their own). MSH-2 contains 2 to 5 characters in this order: component, repetition, escape,
 * subcomponent and, from v2.7, truncation. A character left out means that feature is absent.
 */
export interface Hl7Delimiters {
  readonly field: string;
  readonly component: string;
  readonly repetition: string;
  readonly escape: string | undefined;
  readonly subcomponent: string | undefined;
  readonly truncation: string | undefined;
}

/** `|^~\&`, the delimiters nearly every sender uses. */
export const STANDARD_DELIMITERS: Hl7Delimiters = Object.freeze({
  field: '|',
  component: '^',
  repetition: '~',
  escape: '\\',
  subcomponent: '&',
  truncation: undefined,
});

/** Segments whose field 1 is the field separator and field 2 the encoding characters. */
export const HEADER_SEGMENT_IDS: ReadonlySet<string> = new Set(['MSH', 'FHS', 'BHS']);

export type DelimiterResult =
  | { ok: true; delimiters: Hl7Delimiters }
  | {
      ok: false;
      code: 'invalid-field-separator' | 'invalid-encoding-characters';
      field: string;
      reason: string;
    };

const MIN_ENCODING_CHARACTERS = 2;
const MAX_ENCODING_CHARACTERS = 5;

/** True for a character that may not serve as a delimiter: a letter, a digit or white space. */
export function isDataCharacter(character: string): boolean {
  return /[\p{L}\p{N}\s]/u.test(character);
}

/** Read the delimiters from the start of an MSH, FHS or BHS segment. */
export function readDelimiters(headerText: string): DelimiterResult {
  const id = headerText.slice(0, 3);
  const field = headerText.charAt(3);
  if (field === '' || isDataCharacter(field)) {
    return {
      ok: false,
      code: 'invalid-field-separator',
      field: `${id}-1`,
      reason:
        field === ''
          ? `${id}-1 is missing: the segment ends after its id`
          : `${id}-1 must be a punctuation character, not a letter, digit or white space`,
    };
  }

  const end = headerText.indexOf(field, 4);
  const encoding = headerText.slice(4, end < 0 ? undefined : end);
  const problem = checkEncodingCharacters(encoding, field);
  if (problem) {
    return {
      ok: false,
      code: 'invalid-encoding-characters',
      field: `${id}-2`,
      reason: `${id}-2 ${problem}`,
    };
  }

  return {
    ok: true,
    delimiters: {
      field,
      component: encoding.charAt(0),
      repetition: encoding.charAt(1),
      escape: encoding.charAt(2) || undefined,
      subcomponent: encoding.charAt(3) || undefined,
      truncation: encoding.charAt(4) || undefined,
    },
  };
}

function checkEncodingCharacters(encoding: string, field: string): string | undefined {
  const characters = encoding.split('');
  const count = characters.length;
  if (count < MIN_ENCODING_CHARACTERS || count > MAX_ENCODING_CHARACTERS) {
    return (
      `holds ${count} encoding character(s); expected ${MIN_ENCODING_CHARACTERS} to ${MAX_ENCODING_CHARACTERS}: ` +
      'component, repetition, escape, subcomponent and truncation, in that order'
    );
  }
  if (characters.some(isDataCharacter)) {
    return 'holds a letter, digit or white space; encoding characters must be punctuation';
  }
  if (new Set([...characters, field]).size !== count + 1) {
    return 'repeats a character, or repeats the field separator; each delimiter must be distinct';
  }
  return undefined;
}
