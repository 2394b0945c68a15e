import { ElementReader } from './element-reader';
import { clinicalLineage, referenceLabel } from './lineage';
import type { ResourceIdentity } from './resource-identity';
import type { FhirMappingContext, PatientsRow } from './rows';
import type { FhirEntry } from './types';

/**
 * Maps a Patient entry to its clinical.patients row. A deleted entry maps to a
 * row with `is_deleted` true, its key and lineage, and null demographics.
 * Throws `FhirMappingError` when the Patient has no id or an element has the
 * wrong type or an invalid date.
 */
export function buildPatientRow(
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
): PatientsRow {
  const { resource } = entry;
  const elements = new ElementReader(context.sourceFile, entry.position);
  if (identity.id === null) {
    throw elements.error(
      'Patient.id',
      'Patient.id is missing; clinical.patients needs it for patient_key',
    );
  }

  const row: PatientsRow = {
    patient_key: `fhir:Patient/${identity.id}`,
    patient_id: null,
    assigning_authority: null,
    family_name: null,
    given_name: null,
    birth_date: null,
    sex: null,
    city: null,
    state: null,
    postal_code: null,
    country: null,
    // NOTE: the FHIR mapping does not read these yet: the general practitioner and managing
    // organization become columns, and Patient links become merges, with the SQL-on-FHIR views.
    primary_facility: null,
    primary_care_provider_id: null,
    merged_into_key: null,
    event_type: null,
    ...clinicalLineage(entry, identity, context),
    facility: null,
  };
  if (entry.deleted) return row;

  const identifier = elements.firstObject(resource['identifier'], 'Patient.identifier');
  const name = elements.firstObject(resource['name'], 'Patient.name');
  const address = elements.firstObject(resource['address'], 'Patient.address');
  const managingOrganization = elements.object(
    resource['managingOrganization'],
    'Patient.managingOrganization',
  );

  row.patient_id = identity.id;
  row.assigning_authority = elements.string(identifier?.['system'], 'Patient.identifier[0].system');
  row.family_name = elements.string(name?.['family'], 'Patient.name[0].family');
  row.given_name = elements.firstString(name?.['given'], 'Patient.name[0].given');
  row.birth_date = elements.date(resource['birthDate'], 'Patient.birthDate');
  row.sex = elements.string(resource['gender'], 'Patient.gender');
  row.city = elements.string(address?.['city'], 'Patient.address[0].city');
  row.state = elements.string(address?.['state'], 'Patient.address[0].state');
  row.postal_code = elements.string(address?.['postalCode'], 'Patient.address[0].postalCode');
  row.country = elements.string(address?.['country'], 'Patient.address[0].country');
  row.facility = referenceLabel(managingOrganization, 'Patient.managingOrganization', elements);
  return row;
}
