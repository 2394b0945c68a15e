import {
  compileHl7Mappings,
  ControlIdRegistry,
  mapHl7Message,
  parseHl7File,
  type Hl7MappingSet,
} from '@carelake/hl7v2';
import { addRows, emptyDecodedFile, type DecodeContext, type DecodedFile } from './decoded-file';
import { BUILT_IN_HL7_MAPPINGS_DIR, readHl7MappingSources } from './hl7-mappings';

let builtInMappings: Hl7MappingSet | undefined;

/**
 * Decode an HL7 v2 file (one message, several, or FHS/BHS batches). A message
 * the parser rejects goes to quarantine with its text; the others are mapped
 * to raw.hl7v2_segments and to the tables of the mapping files.
 */
export function decodeHl7(bytes: Uint8Array, context: DecodeContext): DecodedFile {
  const decoded = emptyDecodedFile();
  const parsed = parseHl7File(bytes, { mode: context.mode, file: context.landingKey });
  // NOTE: until the runner passes the pipeline's mappings and one registry per run, the
  // built-in mappings apply and reused control ids are noticed within one file only.
  const mappings = context.hl7Mappings ?? loadBuiltInMappings();
  const controlIds = context.controlIds ?? new ControlIdRegistry();

  decoded.warnings += parsed.warnings.length;
  for (const problem of parsed.problems) {
    // An envelope problem (a missing BTS, say) rejects no message, so it adds no record.
    if (problem.position.record !== undefined || problem.text !== undefined) decoded.records++;
    decoded.problems.push({
      position: problem.position,
      reason: `${problem.code}: ${problem.reason}${problem.hint ? ` ${problem.hint}` : ''}`,
      ...(problem.text !== undefined ? { content: problem.text } : {}),
    });
  }

  const attachmentKeys = new Set<string>();
  for (const message of parsed.messages) {
    decoded.records++;
    const mapped = mapHl7Message(message, {
      sourceFile: context.landingKey,
      ingestedAt: context.ingestedAt,
      mappings,
      controlIds,
    });
    decoded.warnings += mapped.warnings.length;
    decoded.mappingWarnings.push(...mapped.warnings);
    addRows(decoded, 'raw.hl7v2_segments', mapped.segments);
    for (const [table, rows] of mapped.tables) addRows(decoded, table, rows);
    for (const attachment of mapped.attachments) {
      if (attachmentKeys.has(attachment.key)) continue;
      attachmentKeys.add(attachment.key);
      decoded.attachments.push({ key: attachment.key, bytes: attachment.bytes, mediaType: attachment.mediaType });
    }
  }
  return decoded;
}

/** Compile the built-in mapping files once per process. */
function loadBuiltInMappings(): Hl7MappingSet {
  builtInMappings ??= compileHl7Mappings(readHl7MappingSources([BUILT_IN_HL7_MAPPINGS_DIR]));
  return builtInMappings;
}
