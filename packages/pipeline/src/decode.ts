import { PipelineError } from './errors';
import { decodeFhir } from './decode-fhir';
import { decodeHl7 } from './decode-hl7';
import type { DecodeContext, DecodedFile } from './decoded-file';

export type InputFormat = 'hl7v2' | 'fhir';

/** Pick the decoder by file name, for pipelines whose `decode.format` is `auto`. */
export function formatOfFile(name: string): InputFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.hl7') || lower.endsWith('.er7') || lower.endsWith('.txt')) return 'hl7v2';
  if (lower.endsWith('.json') || lower.endsWith('.ndjson') || lower.endsWith('.ndjson.gz')) return 'fhir';
  throw new PipelineError(`cannot tell the format of ${name} from its name`, {
    position: { file: name },
    hint: 'Name HL7 v2 files *.hl7 and FHIR files *.json, *.ndjson or *.ndjson.gz, or set decode.format in the pipeline file.',
  });
}

export async function decodeLandedFile(format: InputFormat, bytes: Uint8Array, context: DecodeContext): Promise<DecodedFile> {
  if (format === 'hl7v2') return decodeHl7(bytes, context);
  const lower = context.landingKey.toLowerCase();
  return decodeFhir(bytes, lower.endsWith('.ndjson') || lower.endsWith('.ndjson.gz'), context);
}
