import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { isFhirProblem, isGzip, readFhirJson, readNdjson, type FhirProblem } from '@carelake/fhir';
import { FhirEntryDecoder } from './decode-fhir-entry';
import { emptyDecodedFile, type DecodeContext, type DecodedFile } from './decoded-file';

/**
 * Decode a FHIR JSON document (a Bundle or one resource) or an NDJSON file, gzipped or not.
 * NDJSON is read line by line and each resource is mapped as it is read, so no list of the
 * file's resources is built. A bad line goes to quarantine with its line number, and the
 * following lines are still read. A JSON document is parsed whole, as JSON requires.
 *
 * NOTE: the rows of one file are kept until the runner commits them, because a file is the
 * unit of the ingest ledger. So a file's rows must fit in memory.
 */
export async function decodeFhir(bytes: Uint8Array, ndjson: boolean, context: DecodeContext): Promise<DecodedFile> {
  const decoded = emptyDecodedFile();
  const entries = new FhirEntryDecoder(decoded, context, ndjson);
  // A view of the landed bytes, not a copy.
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

  if (!ndjson) {
    const result = readFhirJson(buffer.toString('utf8'), { file: context.landingKey });
    for (const problem of result.problems) addProblem(decoded, problem);
    for (const entry of result.resources) entries.add(entry);
    return decoded;
  }

  const body = Readable.from([buffer]);
  const chunks = isGzip(bytes) ? body.pipe(createGunzip()) : body;
  for await (const item of readNdjson(chunks, { file: context.landingKey })) {
    if (isFhirProblem(item)) addProblem(decoded, item);
    else entries.add(item);
  }
  return decoded;
}

function addProblem(decoded: DecodedFile, problem: FhirProblem): void {
  if (problem.severity === 'warning') {
    decoded.warnings++;
    return;
  }
  // Each rejected entry, line or document counts as one record read.
  decoded.records++;
  decoded.problems.push({
    position: {
      ...(problem.line !== undefined ? { line: problem.line } : {}),
      ...(problem.record !== undefined ? { record: problem.record } : {}),
      ...(problem.field !== undefined ? { field: problem.field } : {}),
    },
    reason: problem.column !== undefined ? `${problem.code}: ${problem.reason} (column ${problem.column})` : `${problem.code}: ${problem.reason}`,
  });
}
