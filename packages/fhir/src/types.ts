import type { FhirProblem } from './problems';

/** A parsed JSON object whose members are not yet checked. */
export type JsonObject = { [member: string]: unknown };

/**
 * A FHIR resource as parsed from JSON. Only `resourceType` is checked by the
 * readers; every other element is as the sender wrote it.
 */
export interface FhirResource extends JsonObject {
  resourceType: string;
  id?: unknown;
  meta?: unknown;
}

/** One resource read from a Bundle, a single-resource document or an NDJSON line. */
export interface FhirEntry {
  /** The resource, or a `{ resourceType, id }` stub for a deleted entry. */
  resource: FhirResource;
  /** 0-based index of the Bundle entry or NDJSON line in its file; 0 for a single resource. */
  position: number;
  /** `Bundle.entry.fullUrl`, for resources read from a bundle. */
  fullUrl?: string;
  /** `Bundle.entry.request.method` (POST, PUT, DELETE, ...), for resources read from a bundle. */
  requestMethod?: string;
  /** True for a Bundle entry whose request is `DELETE Type/id`. */
  deleted: boolean;
  /** The resource a deleted entry removes, parsed from `Bundle.entry.request.url`. */
  deletedRef?: { resourceType: string; id: string };
  /**
   * When a deleted entry's delete happened, as a FHIR instant: its `response.lastModified`
   * (a history bundle gives one), else the `Bundle.timestamp`. Absent when the bundle has neither.
   */
  deletedAt?: string;
}

/** Everything read from one document: the resources and the problems, in input order. */
export interface FhirReadResult {
  resources: FhirEntry[];
  problems: FhirProblem[];
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
