import type { FhirEntry } from './types';

/** Kind of problem, so callers branch on a code and never on the reason text. */
export type FhirProblemCode =
  /** The document or NDJSON line is not valid JSON. */
  | 'invalid-json'
  /** An NDJSON line is not valid UTF-8. */
  | 'invalid-utf8'
  /** An NDJSON line is longer than `maxLineBytes`. */
  | 'line-too-long'
  /** The input starts with the gzip magic number and must be decompressed first. */
  | 'compressed-input'
  /** A resource, Bundle entry or `Bundle.entry` is not the JSON type FHIR requires. */
  | 'invalid-structure'
  /** A resource has no `resourceType` string. */
  | 'missing-resource-type'
  /** A DELETE entry's `request.url` does not name one resource as `Type/id`. */
  | 'invalid-delete-url'
  /** The `response.lastModified` of a DELETE entry, or the `Bundle.timestamp`, is not a FHIR instant, so the delete gets no time from it. */
  | 'invalid-delete-time'
  /** A `urn:uuid:` or `urn:oid:` reference names no entry with an id in the same bundle. */
  | 'unresolved-reference'
  /** Two bundle entries share a `fullUrl`, so references to it are ambiguous. */
  | 'duplicate-full-url';

/**
 * A problem found while reading FHIR input. It names where the problem is and why,
 * and never contains element values, so it is safe to log and to store as a
 * quarantine reason. Errors mean the input was skipped; warnings mean it was read.
 */
export interface FhirProblem {
  severity: 'error' | 'warning';
  code: FhirProblemCode;
  /** The `file` option given to the reader. */
  file: string;
  /** 1-based line: of the NDJSON line, or of a JSON syntax error. */
  line?: number;
  /** 1-based column of a JSON syntax error, in UTF-16 code units. */
  column?: number;
  /** 0-based index of the Bundle entry. */
  record?: number;
  /** FHIR path of the element, such as `Bundle.entry[3].request.url` or `Observation.subject.reference`. */
  field?: string;
  reason: string;
}

export function isFhirProblem(item: FhirEntry | FhirProblem): item is FhirProblem {
  return 'reason' in item;
}
