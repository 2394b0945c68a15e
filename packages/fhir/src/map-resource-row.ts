import { readResourceIdentity, type ResourceIdentity } from './resource-identity';
import type { FhirMappingContext, FhirResourcesRow } from './rows';
import type { FhirEntry } from './types';

/**
 * Maps any entry, deleted ones included, to its raw.fhir_resources row.
 * `resource_json` is the resource as read, after bundle references were resolved;
 * a deleted entry stores its `{ resourceType, id }` stub.
 * Pass the identity when it was already read, so the resource is not hashed twice.
 * Throws `FhirMappingError` when meta has the wrong shape.
 */
export function mapFhirResourceRow(
  entry: FhirEntry,
  context: FhirMappingContext,
  identity: ResourceIdentity = readResourceIdentity(entry, context),
): FhirResourcesRow {
  return buildFhirResourceRow(entry, identity, context);
}

export function buildFhirResourceRow(
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
): FhirResourcesRow {
  return {
    resource_type: identity.resourceType,
    resource_id: identity.id,
    version_id: identity.versionId,
    last_updated: identity.lastUpdated,
    full_url: entry.fullUrl ?? null,
    request_method: entry.deleted ? 'DELETE' : (entry.requestMethod ?? null),
    content_hash: identity.contentHash,
    resource_json: JSON.stringify(entry.resource),
    record_hash: identity.recordHash,
    source_file: context.sourceFile,
    source_position: entry.position,
    ingested_at: context.ingestedAt,
  };
}
