import { ElementReader } from './element-reader';
import { formatUtcMonth } from './fhir-dates';
import { clinicalLineage, referenceLabel, referencedId } from './lineage';
import { findValueElement, readObservationValue } from './observation-value';
import type { ResourceIdentity } from './resource-identity';
import type { FhirMappingContext, ObservationsRow } from './rows';
import type { FhirEntry, JsonObject } from './types';

type SharedColumns = Pick<
  ObservationsRow,
  'patient_key' | 'status' | 'effective_time' | 'effective_month' | 'facility'
>;
type ResultColumns = Pick<
  ObservationsRow,
  | 'code'
  | 'code_system'
  | 'code_display'
  | 'value_type'
  | 'value_text'
  | 'value_number'
  | 'unit'
  | 'reference_range'
  | 'interpretation'
>;

/**
 * Maps an Observation entry to clinical.observations rows: one row, or one per
 * component (key `fhir:Observation/<id>#<0-based component index>`) when the
 * Observation has components and no value of its own, as a blood pressure does.
 * A deleted entry maps to one row with `is_deleted` true.
 * Throws `FhirMappingError` when the Observation has no id or an element has
 * the wrong type or an invalid date.
 */
export function buildObservationRows(
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
): ObservationsRow[] {
  const { resource } = entry;
  const elements = new ElementReader(context.sourceFile, entry.position);
  if (identity.id === null) {
    throw elements.error(
      'Observation.id',
      'Observation.id is missing; clinical.observations needs it for observation_key',
    );
  }
  const observationKey = `fhir:Observation/${identity.id}`;

  if (entry.deleted) {
    // NOTE: a delete carries no components, so it removes `fhir:Observation/<id>`
    // but not the `#<index>` keys of a per-component Observation.
    return [emptyRow(observationKey, entry, identity, context)];
  }

  const shared = readSharedColumns(resource, elements);
  const components = elements.objects(resource['component'], 'Observation.component');
  const hasOwnValue = findValueElement(resource, 'Observation', elements) !== undefined;

  if (components.length === 0 || hasOwnValue) {
    return [
      {
        ...emptyRow(observationKey, entry, identity, context),
        ...shared,
        ...readResultColumns(resource, 'Observation', elements),
      },
    ];
  }

  return components.map((component, index) => ({
    ...emptyRow(`${observationKey}#${index}`, entry, identity, context, index),
    ...shared,
    ...readResultColumns(component, `Observation.component[${index}]`, elements),
  }));
}

/** Builds a row with its key and lineage, and every other column null. */
function emptyRow(
  observationKey: string,
  entry: FhirEntry,
  identity: ResourceIdentity,
  context: FhirMappingContext,
  componentIndex?: number,
): ObservationsRow {
  return {
    observation_key: observationKey,
    patient_key: null,
    order_key: null,
    observation_sub_id: null,
    code: null,
    code_system: null,
    code_display: null,
    value_type: null,
    value_text: null,
    value_number: null,
    value_number_high: null,
    value_comparator: null,
    value_code: null,
    value_code_system: null,
    value_time: null,
    value_ref: null,
    value_size: null,
    value_media_type: null,
    unit: null,
    reference_range: null,
    interpretation: null,
    status: null,
    effective_time: null,
    effective_month: 'unknown',
    ...clinicalLineage(entry, identity, context, componentIndex),
    facility: null,
  };
}

/** Columns that every row of one Observation shares, components included. */
function readSharedColumns(resource: JsonObject, elements: ElementReader): SharedColumns {
  const subject = elements.object(resource['subject'], 'Observation.subject');
  const patientId = referencedId(
    elements.string(subject?.['reference'], 'Observation.subject.reference'),
    'Patient',
  );
  const effectiveTime = readEffectiveTime(resource, elements);

  return {
    patient_key: patientId === null ? null : `fhir:Patient/${patientId}`,
    status: elements.string(resource['status'], 'Observation.status'),
    effective_time: effectiveTime,
    effective_month: effectiveTime === null ? 'unknown' : formatUtcMonth(effectiveTime),
    facility: readPerformingOrganization(resource, elements),
  };
}

/** Columns read from the Observation itself or from one component: code, value, range, interpretation. */
function readResultColumns(
  holder: JsonObject,
  path: string,
  elements: ElementReader,
): ResultColumns {
  const code = elements.object(holder['code'], `${path}.code`);
  const coding = elements.firstObject(code?.['coding'], `${path}.code.coding`);
  const referenceRange = elements.firstObject(holder['referenceRange'], `${path}.referenceRange`);
  const interpretation = elements.firstObject(holder['interpretation'], `${path}.interpretation`);
  const interpretationCoding = elements.firstObject(
    interpretation?.['coding'],
    `${path}.interpretation[0].coding`,
  );

  return {
    code: elements.string(coding?.['code'], `${path}.code.coding[0].code`),
    code_system: elements.string(coding?.['system'], `${path}.code.coding[0].system`),
    code_display: elements.string(coding?.['display'], `${path}.code.coding[0].display`),
    ...readObservationValue(holder, path, elements),
    reference_range: elements.string(referenceRange?.['text'], `${path}.referenceRange[0].text`),
    interpretation: elements.string(
      interpretationCoding?.['code'],
      `${path}.interpretation[0].coding[0].code`,
    ),
  };
}

/** Reads effectiveDateTime, else effectivePeriod.start, else effectiveInstant, else issued. */
function readEffectiveTime(resource: JsonObject, elements: ElementReader): Date | null {
  const period = elements.object(resource['effectivePeriod'], 'Observation.effectivePeriod');
  return (
    elements.dateTime(resource['effectiveDateTime'], 'Observation.effectiveDateTime') ??
    elements.dateTime(period?.['start'], 'Observation.effectivePeriod.start') ??
    elements.instant(resource['effectiveInstant'], 'Observation.effectiveInstant') ??
    elements.instant(resource['issued'], 'Observation.issued')
  );
}

/**
 * Reads the first performer that is an Organization, by its display or reference.
 * Observation has no managing organization, so the performing one names the facility.
 */
function readPerformingOrganization(resource: JsonObject, elements: ElementReader): string | null {
  const performers = elements.objects(resource['performer'], 'Observation.performer');
  for (const [index, performer] of performers.entries()) {
    const field = `Observation.performer[${index}]`;
    const reference = elements.string(performer['reference'], `${field}.reference`);
    const type = elements.string(performer['type'], `${field}.type`);
    if (type === 'Organization' || referencedId(reference, 'Organization') !== null) {
      return referenceLabel(performer, field, elements);
    }
  }
  return null;
}
