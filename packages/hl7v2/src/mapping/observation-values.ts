import type { Hl7Delimiters } from '../delimiters';
import { reencodeWithStandardDelimiters, unescapeHl7 } from '../escape';
import { HL7_NULL, type Hl7Segment } from '../segment';

/** HL7 NM: an optional sign, digits and an optional decimal point; no exponent. */
const HL7_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

/** Parse an HL7 NM value; undefined when the text is not one. */
export function parseHl7Number(text: string): number | undefined {
  const trimmed = text.trim();
  return HL7_NUMBER.test(trimmed) ? Number(trimmed) : undefined;
}

/**
 * Read OBX-5 as text. A value with no repetitions, components or subcomponents is unescaped. A
 * structured one (CWE, SN, ED, repeated lines) keeps its structure, written with the standard
 * delimiters `^~\&`, so that it reads the same whatever the sender declared in MSH-2.
 */
export function observationValueText(obx: Hl7Segment): string | null {
  const encoded = obx.getEncoded('5');
  if (encoded === undefined || encoded === HL7_NULL) return null;
  const text = isStructured(encoded, obx.delimiters)
    ? reencodeWithStandardDelimiters(encoded, obx.delimiters)
    : unescapeHl7(encoded, obx.delimiters);
  return text.trim() === '' ? null : text;
}

/**
 * Read the numeric value of OBX-5: the number for NM, or for SN when it is a plain number (no
 * comparator other than `=`, no second number). Returns `invalid` when an NM value, or the number
 * of a plain SN, does not parse.
 */
export function observationValueNumber(
  valueType: string | null,
  obx: Hl7Segment,
): number | null | 'invalid' {
  if (valueType === 'NM') return numberOrInvalid(obx.get('5'));
  if (valueType !== 'SN') return null;

  const comparator = obx.get('5.1') ?? '';
  const isPlain =
    (comparator === '' || comparator === '=') &&
    obx.get('5.3') === undefined &&
    obx.get('5.4') === undefined;
  return isPlain ? numberOrInvalid(obx.get('5.2')) : null;
}

function numberOrInvalid(value: string | null | undefined): number | null | 'invalid' {
  if (value === undefined || value === null || value.trim() === '') return null;
  return parseHl7Number(value) ?? 'invalid';
}

function isStructured(encoded: string, delimiters: Hl7Delimiters): boolean {
  const separators = [delimiters.repetition, delimiters.component, delimiters.subcomponent];
  return separators.some((separator) => separator !== undefined && encoded.includes(separator));
}
