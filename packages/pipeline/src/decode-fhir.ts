import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import {
  FhirMappingError,
  isFhirProblem,
  isGzip,
  mapFhirEntry,
  mapFhirResourceRow,
  readFhirJson,
  readNdjson,
  type FhirEntry,
  type FhirProblem,
} from '@carelake/fhir';
import { addRows, emptyDecodedFile, type DecodeContext, type DecodedFile } from './decoded-file';

/** Decode a FHIR JSON document (a Bundle or one resource) or an NDJSON file, gzipped or not. */
export async function decodeFhir(bytes: Uint8Array, ndjson: boolean, context: DecodeContext): Promise<DecodedFile> {
  const decoded = emptyDecodedFile();

  if (!ndjson) {
    const text = Buffer.from(bytes).toString('utf8');
    const result = readFhirJson(text, { file: context.landingKey });
    for (const problem of result.problems) addProblem(decoded, problem);
    for (const entry of result.resources) addEntry(decoded, entry, context);
    return decoded;
  }

  const body = Readable.from([Buffer.from(bytes)]);
  const chunks = isGzip(bytes) ? body.pipe(createGunzip()) : body;
  for await (const item of readNdjson(chunks, { file: context.landingKey })) {
    if (isFhirProblem(item)) addProblem(decoded, item);
    else addEntry(decoded, item, context);
  }
  return decoded;
}

/**
 * Map one resource to its rows. When the clinical mapping rejects it, the raw
 * row is still kept, so nothing the source sent is lost, and the rejection
 * goes to quarantine with the element it names.
 */
function addEntry(decoded: DecodedFile, entry: FhirEntry, context: DecodeContext): void {
  decoded.records++;
  const mappingContext = { sourceFile: context.landingKey, ingestedAt: context.ingestedAt };
  try {
    const rows = mapFhirEntry(entry, mappingContext);
    addRows(decoded, 'raw.fhir_resources', rows.resources);
    addRows(decoded, 'clinical.patients', rows.patients);
    addRows(decoded, 'clinical.observations', rows.observations);
  } catch (error) {
    if (!(error instanceof FhirMappingError)) throw error;
    addRows(decoded, 'raw.fhir_resources', [mapFhirResourceRow(entry, mappingContext)]);
    decoded.problems.push({
      position: { record: entry.position, ...(error.position?.field ? { field: error.position.field } : {}) },
      reason: `map: ${error.message}`,
    });
  }
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
