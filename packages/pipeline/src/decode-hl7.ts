import { mapHl7Message, parseHl7File } from '@carelake/hl7v2';
import { addRows, emptyDecodedFile, type DecodeContext, type DecodedFile } from './decoded-file';

/**
 * Decode an HL7 v2 file (one message, several, or FHS/BHS batches). A message
 * the parser rejects goes to quarantine with its text; the others are mapped.
 */
export function decodeHl7(bytes: Uint8Array, context: DecodeContext): DecodedFile {
  const decoded = emptyDecodedFile();
  const parsed = parseHl7File(bytes, { mode: context.mode, file: context.landingKey });

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

  for (const message of parsed.messages) {
    decoded.records++;
    const rows = mapHl7Message(message, { sourceFile: context.landingKey, ingestedAt: context.ingestedAt });
    decoded.warnings += rows.warnings.length;
    addRows(decoded, 'raw.hl7v2_segments', rows.segments);
    addRows(decoded, 'clinical.patients', rows.patients);
    addRows(decoded, 'clinical.observations', rows.observations);
  }
  return decoded;
}
