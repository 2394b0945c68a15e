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

/** `HEADER_SEGMENT_IDS.has(id)` by comparison, which costs less for an id just cut from a segment. */
export function isHeaderId(id: string): boolean {
  return id === 'MSH' || id === 'FHS' || id === 'BHS';
}

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
  // The regular expression is slow next to the rest of reading a header, and in ASCII it
  // matches exactly the letters, the digits, space and TAB to CR.
  if (character.length === 1) {
    const code = character.charCodeAt(0);
    if (code < 0x80) return isAsciiDataCharacter(code);
  }
  return /[\p{L}\p{N}\s]/u.test(character);
}

function isAsciiDataCharacter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || // a-z
    (code >= 0x41 && code <= 0x5a) || // A-Z
    (code >= 0x30 && code <= 0x39) || // 0-9
    code === 0x20 ||
    (code >= 0x09 && code <= 0x0d)
  );
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
  // Read character by character, because this runs for every message.
  const count = encoding.length;
  if (count < MIN_ENCODING_CHARACTERS || count > MAX_ENCODING_CHARACTERS) {
    return (
      `holds ${count} encoding character(s); expected ${MIN_ENCODING_CHARACTERS} to ${MAX_ENCODING_CHARACTERS}: ` +
      'component, repetition, escape, subcomponent and truncation, in that order'
    );
  }
  for (let index = 0; index < count; index++) {
    if (isDataCharacter(encoding.charAt(index))) {
      return 'holds a letter, digit or white space; encoding characters must be punctuation';
    }
  }
  const delimiters = field + encoding;
  for (let index = 0; index < delimiters.length; index++) {
    if (delimiters.indexOf(delimiters.charAt(index), index + 1) >= 0) {
      return 'repeats a character, or repeats the field separator; each delimiter must be distinct';
    }
  }
  return undefined;
}
