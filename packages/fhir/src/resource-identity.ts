import { canonicalJson, sha256Hex } from '@carelake/core';
import { ElementReader } from './element-reader';
import type { FhirMappingContext } from './rows';
import type { FhirEntry } from './types';

/** Identity of one version of a resource, shared by the rows of every table it maps to. */
export interface ResourceIdentity {
  resourceType: string;
  id: string | null;
  /** meta.versionId */
  versionId: string | null;
  /** meta.lastUpdated, in UTC. */
  lastUpdated: Date | null;
  /** meta.source: the system the resource came from. */
  metaSource: string | null;
  /** SHA-256 of the resource's canonical JSON (keys sorted). */
  contentHash: string;
  /**
   * SHA-256 that is equal exactly when the same version arrives again: of
   * `type|id|versionId`, or `type|id|contentHash` without a version. A delete
   * hashes `type|id|DELETE|sourceFile` because it has no content of its own.
   * The same delete read again from the same file is then the same record.
   */
  recordHash: string;
  /** `Type/id/_history/versionId`, or `Type/id` without a version. */
  sourceId: string | null;
}

/** Reads the identity of an entry's resource; throws `FhirMappingError` when meta has the wrong shape. */
export function readResourceIdentity(
  entry: FhirEntry,
  context: FhirMappingContext,
): ResourceIdentity {
  const { resource } = entry;
  const { resourceType } = resource;
  const elements = new ElementReader(context.sourceFile, entry.position);

  const id = elements.string(resource.id, `${resourceType}.id`);
  const meta = elements.object(resource.meta, `${resourceType}.meta`);
  const versionId = elements.string(meta?.['versionId'], `${resourceType}.meta.versionId`);
  const lastUpdated = elements.instant(meta?.['lastUpdated'], `${resourceType}.meta.lastUpdated`);
  const metaSource = elements.string(meta?.['source'], `${resourceType}.meta.source`);

  const contentHash = sha256Hex(canonicalJson(resource));
  const identityParts = entry.deleted
    ? [resourceType, id ?? '', 'DELETE', context.sourceFile]
    : [resourceType, id ?? '', versionId ?? contentHash];
  const recordHash = sha256Hex(identityParts.join('|'));

  let sourceId: string | null = null;
  if (id !== null) {
    sourceId =
      versionId === null ? `${resourceType}/${id}` : `${resourceType}/${id}/_history/${versionId}`;
  }

  return {
    resourceType,
    id,
    versionId,
    lastUpdated,
    metaSource,
    contentHash,
    recordHash,
    sourceId,
  };
}
