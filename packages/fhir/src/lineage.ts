import { sha256Hex } from '@carelake/core';
import type { ElementReader } from './element-reader';
import type { ResourceIdentity } from './resource-identity';
import type { FhirMappingContext } from './rows';
import type { FhirEntry, JsonObject } from './types';

/** The lineage and versioning columns every clinical row of a FHIR resource carries, except `facility`. */
export interface ClinicalLineage {
  is_deleted: boolean;
  event_time: Date | null;
  record_hash: string;
  source_format: 'fhir';
  source_system: string | null;
  source_id: string | null;
  source_file: string;
  source_position: number;
  ingested_at: Date;
}

/**
 * Builds the lineage columns. `record_hash` derives from the raw record hash,
 * with the component index for a per-component row, so the same resource read
 * twice maps to the same hashes in every table.
 */
export function clinicalLineage(
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
  componentIndex?: number,
): ClinicalLineage {
  const hashInput =
    componentIndex === undefined ? identity.recordHash : `${identity.recordHash}#${componentIndex}`;
  return {
    is_deleted: entry.deleted,
    event_time: identity.lastUpdated,
    record_hash: sha256Hex(hashInput),
    source_format: 'fhir',
    source_system: identity.metaSource,
    source_id: identity.sourceId,
    source_file: context.sourceFile,
    source_position: entry.position,
    ingested_at: context.ingestedAt,
  };
}

/** Reads the `Type/id` of a relative or absolute reference to the given type, ignoring any `_history` suffix. */
export function referencedId(reference: string | null, resourceType: string): string | null {
  if (reference === null) return null;
  const pattern = new RegExp(
    `(?:^|/)${resourceType}/([A-Za-z0-9.-]{1,64})(?:/_history/[A-Za-z0-9.-]{1,64})?$`,
  );
  return pattern.exec(reference)?.[1] ?? null;
}

/** Reads a Reference's display, else its reference string, as the facility name rows are filtered by. */
export function referenceLabel(
  reference: JsonObject | null,
  field: string,
  elements: ElementReader,
): string | null {
  if (reference === null) return null;
  return (
    elements.string(reference['display'], `${field}.display`) ??
    elements.string(reference['reference'], `${field}.reference`)
  );
}
