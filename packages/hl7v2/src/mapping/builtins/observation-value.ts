import type { RowValue } from '@carelake/core';
import { reencodeWithStandardDelimiters, unescapeHl7 } from '../../escape';
import { HL7_NULL, type Hl7Segment } from '../../segment';
import { parseHl7Date } from '../../timestamp';
import { createAttachment } from '../attachments';
import { parseHl7Number } from '../compile/convert';
import type { BuiltinValues, RowScope } from '../compile/row-scope';
import { lacksUtcOffset } from '../compile/timestamps';
import { cleanText } from '../mapping-context';
import { readEncapsulatedData } from './encapsulated-data';

/** Settings of a builtin, the same for every row of its mapping file. */
export interface BuiltinSettings {
  /** The table of its rows, for warnings. */
  table: string;
  /** The size above which a value becomes an attachment. */
  maxInlineBytes: number;
  /** HL7 timestamp text to UTC, with the sender's time zone when one is configured. */
  convertTimestamp: (text: string) => Date | undefined;
  /** True when no sender time zone is configured, so a timestamp without an offset is flagged. */
  flagsMissingOffset: boolean;
}

type ObservationValue = {
  text: string | null;
  number: number | null;
  number_high: number | null;
  comparator: string | null;
  code: string | null;
  code_system: string | null;
  time: Date | null;
  ref: string | null;
  size: number | null;
  media_type: string | null;
};

const CODED_TYPES = new Set(['CE', 'CF', 'CNE', 'CWE']);
const TEXT_TYPES = new Set(['FT', 'ST', 'TX']);
const TIME_TYPES = new Set(['DT', 'DTM', 'TS']);

/**
 * Type OBX-5 by OBX-2. NM gives a number. SN gives a comparator and a number, or a low and high
 * number for a range (`^10^-^20`). CE, CWE, CNE and CF give a code, its system, and its display as
 * text. ST, TX and FT give text with one line per repetition. DTM and TS give a time, and DT the
 * date as written at UTC midnight, because a date has no time of day to convert. ED is
 * always an attachment, and RP is text unless larger than `maxInlineBytes`. Other types, and the
 * text of NM and SN, keep OBX-5 as written with the standard delimiters.
 */
export function readObservationValue(scope: RowScope, settings: BuiltinSettings): BuiltinValues {
  const obx = scope.segment;
  const valueType = cleanText(obx.get('2'));
  const value: ObservationValue = {
    text: null,
    number: null,
    number_high: null,
    comparator: null,
    code: null,
    code_system: null,
    time: null,
    ref: null,
    size: null,
    media_type: null,
  };
  const readNumber = (text: string | null, column: string): number | null =>
    readObservationNumber(scope, settings, valueType, text, column);

  if (valueType === 'NM') {
    value.text = observationValueText(obx);
    value.number = readNumber(cleanText(obx.get('5')), 'value_number');
  } else if (valueType === 'SN') {
    value.text = observationValueText(obx);
    readStructuredNumeric(obx, value, readNumber);
  } else if (valueType !== null && CODED_TYPES.has(valueType)) {
    readCodedValue(obx, value);
  } else if (valueType !== null && TEXT_TYPES.has(valueType)) {
    value.text = observationTextLines(obx);
  } else if (valueType !== null && TIME_TYPES.has(valueType)) {
    value.text = observationValueText(obx);
    value.time = readObservationTime(scope, settings, valueType);
  } else if (valueType === 'ED') {
    readEncapsulatedValue(scope, settings, value);
  } else if (valueType === 'RP') {
    readReferencePointer(scope, settings, value);
  } else {
    value.text = observationValueText(obx);
  }
  return value as Record<keyof ObservationValue, RowValue>;
}

/**
 * Read OBX-5 as text. A value with no repetitions, components or subcomponents is unescaped. A
 * structured one (CWE, SN, ED, repeated lines) keeps its structure, written with the standard
 * delimiters `^~\&`, so that it reads the same whatever the sender declared in MSH-2.
 */
export function observationValueText(obx: Hl7Segment): string | null {
  const encoded = obx.getEncoded('5');
  if (encoded === undefined || encoded === HL7_NULL) return null;
  const text = isStructured(encoded, obx)
    ? reencodeWithStandardDelimiters(encoded, obx.delimiters)
    : unescapeHl7(encoded, obx.delimiters);
  return text.trim() === '' ? null : text;
}

/** Read OBX-5 of a text type: one line per repetition, formatting such as `\.br\` rendered as line breaks. */
export function observationTextLines(obx: Hl7Segment): string | null {
  const encoded = obx.getEncoded('5');
  if (encoded === undefined || encoded === HL7_NULL) return null;
  const lines = encoded
    .split(obx.delimiters.repetition)
    .map((line) =>
      isStructured(line, obx)
        ? reencodeWithStandardDelimiters(line, obx.delimiters)
        : unescapeHl7(line, obx.delimiters, { formatting: 'render' }),
    );
  const text = lines.join('\n');
  return text.trim() === '' ? null : text;
}

/** SN: comparator ^ number ^ separator ^ number. Only a plain number and a `-` range have numbers. */
function readStructuredNumeric(
  obx: Hl7Segment,
  value: ObservationValue,
  readNumber: (text: string | null, column: string) => number | null,
): void {
  const separator = cleanText(obx.get('5.3'));
  const second = cleanText(obx.get('5.4'));
  value.comparator = cleanText(obx.get('5.1'));
  if (separator === null && second === null) {
    value.number = readNumber(cleanText(obx.get('5.2')), 'value_number');
  } else if (separator === '-') {
    value.number = readNumber(cleanText(obx.get('5.2')), 'value_number');
    value.number_high = readNumber(second, 'value_number_high');
  }
}

/**
 * Read the first coding of CE, CWE, CNE or CF: the primary one, else the alternate. The text is
 * the display, else the original text (CWE-9).
 */
function readCodedValue(obx: Hl7Segment, value: ObservationValue): void {
  const primary = cleanText(obx.get('5.1'));
  const alternate = primary === null ? cleanText(obx.get('5.4')) : null;
  const display =
    primary !== null
      ? cleanText(obx.get('5.2'))
      : alternate !== null
        ? cleanText(obx.get('5.5'))
        : null;
  value.code = primary ?? alternate;
  value.code_system =
    primary !== null
      ? cleanText(obx.get('5.3'))
      : alternate !== null
        ? cleanText(obx.get('5.6'))
        : null;
  value.text = display ?? cleanText(obx.get('5.9')) ?? value.code;
}

function readObservationTime(
  scope: RowScope,
  settings: BuiltinSettings,
  valueType: string,
): Date | null {
  const text = cleanText(scope.segment.get('5'));
  if (text === null) return null;
  const isDate = valueType === 'DT';
  const time = isDate ? parseHl7Date(text) : settings.convertTimestamp(text);
  if (time !== undefined) {
    if (!isDate && settings.flagsMissingOffset && lacksUtcOffset(text)) {
      scope.mapping.flagTimestampWithoutOffset(
        scope.segment,
        'OBX-5',
        'OBX-5',
        settings.table,
        'value_time',
      );
    }
    return time;
  }
  scope.mapping.warn(
    'invalid-date',
    `OBX-5 of ${scope.segment.label} is not a valid HL7 timestamp although OBX-2 is ${valueType}; ${settings.table}.value_time is null`,
    scope.segment,
    'OBX-5',
  );
  return null;
}

function readObservationNumber(
  scope: RowScope,
  settings: BuiltinSettings,
  valueType: string | null,
  text: string | null,
  column: string,
): number | null {
  if (text === null) return null;
  const number = parseHl7Number(text);
  if (number !== undefined) return number;
  scope.mapping.warn(
    'invalid-number',
    `OBX-5 of ${scope.segment.label} is not a number although OBX-2 is ${valueType ?? 'empty'}; ${settings.table}.${column} is null`,
    scope.segment,
    'OBX-5',
  );
  return null;
}

function readEncapsulatedValue(
  scope: RowScope,
  settings: BuiltinSettings,
  value: ObservationValue,
): void {
  const data = readEncapsulatedData(scope.segment);
  if (data.kind === 'empty') return;
  if (data.kind === 'invalid') {
    scope.mapping.warn(
      'invalid-attachment',
      `${data.reason} in OBX-5 of ${scope.segment.label}; ${settings.table}.value_ref is null`,
      scope.segment,
      'OBX-5',
    );
    return;
  }
  scope.mapping.addAttachment(data.attachment);
  value.ref = data.attachment.key;
  value.size = data.attachment.bytes.length;
  value.media_type = data.attachment.mediaType;
}

function readReferencePointer(
  scope: RowScope,
  settings: BuiltinSettings,
  value: ObservationValue,
): void {
  const text = observationValueText(scope.segment);
  if (text === null) return;
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= settings.maxInlineBytes) {
    value.text = text;
    return;
  }
  const attachment = createAttachment(bytes, 'text/plain; charset=utf-8', 'text');
  scope.mapping.addAttachment(attachment);
  value.ref = attachment.key;
  value.size = bytes.length;
  value.media_type = attachment.mediaType;
}

function isStructured(encoded: string, segment: Hl7Segment): boolean {
  const { repetition, component, subcomponent } = segment.delimiters;
  return [repetition, component, subcomponent].some(
    (separator) => separator !== undefined && encoded.includes(separator),
  );
}
