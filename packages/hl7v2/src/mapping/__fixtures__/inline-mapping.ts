import type { Row } from '@carelake/core';
import { parseHl7File } from '../../parse-file';
import { compileHl7Mappings, type CompileHl7MappingsOptions } from '../compile/compile-mappings';
import type { Hl7MappingSet } from '../compile/mapping-set';
import { mapHl7Message, type Hl7MappedRows } from '../map-message';
import type { ControlIdRegistry } from '../control-id-registry';

export const INGESTED_AT = new Date('2026-01-15T10:00:00.000Z');
export const SOURCE_FILE = 'landing/hl7/inline.hl7';

/** A synthetic ADT^A01 (no real person), one segment per entry. */
export const ADT_SEGMENTS = [
  'MSH|^~\\&|ADMIT|NORTH|LAKE|LAKE|20240102030405+0100||ADT^A01^ADT_A01|CTRL-1|P|2.5',
  'EVN|A01|20240102030405',
  'PID|1||MRN-7^^^NORTH-MRN^MR~ALT-9^^^OTHER||TESTER^ALEX||19800229|U',
  'PV1|1|I|WARD^12^B||||D-1^DOC^DANA|||MED|||||||||V-100|||||||||||||||||||||||||20240101120000',
];

/**
 * Write a mapping file: `header` lines (each, context, ...) after `table: clinical.test`, then
 * one `name: definition` line per column.
 */
export function mappingText(header: readonly string[], columns: Record<string, string>): string {
  return [
    'table: clinical.test',
    ...header,
    'columns:',
    ...Object.entries(columns).map(([name, definition]) => `  ${name}: ${definition}`),
  ].join('\n');
}

export function compileInline(
  text: string,
  options: CompileHl7MappingsOptions = {},
): Hl7MappingSet {
  return compileHl7Mappings([{ file: 'test.mapping.yaml', text }], options);
}

/** Parse segments joined by CR as one message and map it with the compiled set. */
export function mapInline(
  mappings: Hl7MappingSet,
  segments: readonly string[],
  controlIds?: ControlIdRegistry,
): Hl7MappedRows & { rows: Row[] } {
  const [message] = parseHl7File(segments.join('\r')).messages;
  if (!message) throw new Error('the inline message did not parse');
  const mapped = mapHl7Message(message, {
    sourceFile: SOURCE_FILE,
    ingestedAt: INGESTED_AT,
    mappings,
    ...(controlIds ? { controlIds } : {}),
  });
  return { ...mapped, rows: mapped.tables.get('clinical.test') ?? [] };
}

/** Compile one inline mapping and map one inline message with it. */
export function mapWith(
  header: readonly string[],
  columns: Record<string, string>,
  segments: readonly string[] = ADT_SEGMENTS,
): Hl7MappedRows & { rows: Row[] } {
  return mapInline(compileInline(mappingText(header, columns)), segments);
}

/** Write a segment other than MSH from its fields by number, such as `segment('PV1', { 19: 'V-1' })`. */
export function segment(id: string, fields: Record<number, string>): string {
  const last = Math.max(0, ...Object.keys(fields).map(Number));
  const values = Array.from({ length: last }, (_, index) => fields[index + 1] ?? '');
  return [id, ...values].join('|');
}
