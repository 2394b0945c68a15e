import { PipelineError } from './errors';
import { decodeCsvFile } from './decode-csv';
import { decodeFhir } from './decode-fhir';
import { decodeHl7 } from './decode-hl7';
import type { DecodeContext, DecodedFile } from './decoded-file';

export type InputFormat = 'hl7v2' | 'fhir' | 'csv';

/** Pick the decoder by file name, for pipelines whose `decode.format` is `auto`. */
export function formatOfFile(name: string): InputFormat {
  const lower = name.toLowerCase();
  if (lower.endsWith('.hl7') || lower.endsWith('.er7') || lower.endsWith('.txt')) return 'hl7v2';
  if (lower.endsWith('.json') || lower.endsWith('.ndjson') || lower.endsWith('.ndjson.gz')) return 'fhir';
  if (lower.endsWith('.csv')) return 'csv';
  throw new PipelineError(`cannot tell the format of ${name} from its name`, {
    position: { file: name },
    hint: 'Name HL7 v2 files *.hl7, FHIR files *.json, *.ndjson or *.ndjson.gz and CSV files *.csv, or set decode.format in the pipeline file.',
  });
}

export async function decodeLandedFile(format: InputFormat, bytes: Uint8Array, context: DecodeContext): Promise<DecodedFile> {
  if (format === 'hl7v2') return decodeHl7(bytes, context);
  if (format === 'csv') {
    if (!context.csv) {
      throw new PipelineError(`${context.landingKey} is a CSV file, and the pipeline declares no CSV schema`, {
        position: { file: context.landingKey },
        hint: 'Declare the columns of the feed under decode.schema in the pipeline file.',
      });
    }
    return decodeCsvFile(bytes, context.csv.schema, context.csv.dataset, context);
  }
  const lower = context.landingKey.toLowerCase();
  return decodeFhir(bytes, lower.endsWith('.ndjson') || lower.endsWith('.ndjson.gz'), context);
}
