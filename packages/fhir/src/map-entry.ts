import { buildFhirResourceRow } from './map-resource-row';
import { buildObservationRows } from './map-observation';
import { buildPatientRow } from './map-patient';
import { readResourceIdentity, type ResourceIdentity } from './resource-identity';
import type { FhirMappedRows, FhirMappingContext } from './rows';
import type { FhirEntry } from './types';

/**
 * Maps one entry to the rows of raw.fhir_resources (every resource), and of
 * clinical.patients or clinical.observations (Patient and Observation). Each row
 * has exactly its dataset's columns, null where the resource has no value, and
 * the same entry always maps to the same rows and hashes.
 *
 * Throws `FhirMappingError` (naming the file, entry position and element) when
 * the resource cannot be mapped: a wrong JSON type, an invalid date, or a
 * Patient or Observation without an id. A caller that must keep the raw row in
 * that case maps it alone with `mapFhirResourceRow`.
 */
export function mapFhirEntry(entry: FhirEntry, context: FhirMappingContext): FhirMappedRows {
  const identity = readResourceIdentity(entry, context);
  return {
    resources: [buildFhirResourceRow(entry, identity, context)],
    ...mapClinicalRows(entry, identity, context),
  };
}

/**
 * Maps an entry whose identity was already read to its clinical.patients or
 * clinical.observations rows only. Throws `FhirMappingError` as `mapFhirEntry` does.
 */
export function mapClinicalRows(
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
): Pick<FhirMappedRows, 'patients' | 'observations'> {
  switch (identity.resourceType) {
    case 'Patient':
      return { patients: [buildPatientRow(entry, identity, context)], observations: [] };
    case 'Observation':
      return { patients: [], observations: buildObservationRows(entry, identity, context) };
    default:
      return { patients: [], observations: [] };
  }
}
