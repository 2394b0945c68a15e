// Real: mapFhirEntry on synthetic resources written in the test, and the dataset files; nothing is faked.
import { canonicalJson, sha256Hex } from '@carelake/core';
import { datasetColumns } from './__fixtures__/datasets';
import { FhirMappingError } from './errors';
import { mapFhirEntry } from './map-entry';
import { mapFhirResourceRow } from './map-resource-row';
import type { FhirEntry, FhirResource } from './types';

const CONTEXT = {
  sourceFile: 'landing/fhir/2024/05/01/abc123.json',
  ingestedAt: new Date('2024-05-01T12:00:00Z'),
};

function entry(resource: FhirResource, extra: Partial<FhirEntry> = {}): FhirEntry {
  return { resource, position: 3, deleted: false, ...extra };
}

function deletedEntry(resourceType: string, id: string): FhirEntry {
  const deletedRef = { resourceType, id };
  return {
    resource: { ...deletedRef },
    position: 5,
    requestMethod: 'DELETE',
    deleted: true,
    deletedRef,
  };
}

const patient: FhirResource = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '3', lastUpdated: '2024-04-30T08:15:00+02:00', source: 'urn:example:ehr' },
  identifier: [
    { system: 'urn:oid:1.2.36.146.595.217.0.1', value: '12345' },
    { system: 'urn:example:other', value: '9' },
  ],
  name: [{ family: 'Chalmers', given: ['Peter', 'James'] }, { family: 'Windsor' }],
  gender: 'male',
  birthDate: '1974-12',
  address: [{ city: 'PleasantVille', state: 'Vic', postalCode: '3999', country: 'AU' }],
  managingOrganization: { reference: 'Organization/org1', display: 'Good Health Clinic' },
};

const observation: FhirResource = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '718-7', display: 'Hemoglobin' }] },
  subject: { reference: 'Patient/p1' },
  effectiveDateTime: '2024-01-31T23:30:00-05:00',
  issued: '2024-02-02T10:00:00Z',
  performer: [{ reference: 'Practitioner/dr1' }, { reference: 'Organization/lab1' }],
  valueQuantity: { value: 7.2, unit: 'g/dL', system: 'http://unitsofmeasure.org', code: 'g/dL' },
  interpretation: [{ coding: [{ code: 'L' }] }],
  referenceRange: [{ text: '13.0-17.0 g/dL' }],
};

describe('mapFhirEntry', () => {
  describe('columns', () => {
    it.each([
      { case: 'Patient', entry: entry(patient) },
      { case: 'Observation', entry: entry(observation) },
      { case: 'deleted Patient', entry: deletedEntry('Patient', 'p1') },
      { case: 'deleted Observation', entry: deletedEntry('Observation', 'o1') },
      { case: 'Encounter', entry: entry({ resourceType: 'Encounter', id: 'e1' }) },
    ])('match the dataset files for a $case', ({ entry: read }) => {
      const rows = mapFhirEntry(read, CONTEXT);
      expect(rows.resources.map((row) => Object.keys(row))).toEqual([
        datasetColumns('raw.fhir_resources'),
      ]);
      for (const row of rows.patients)
        expect(Object.keys(row)).toEqual(datasetColumns('clinical.patients'));
      for (const row of rows.observations)
        expect(Object.keys(row)).toEqual(datasetColumns('clinical.observations'));
    });

    it('maps other resource types to a raw row only', () => {
      const rows = mapFhirEntry(entry({ resourceType: 'Encounter', id: 'e1' }), CONTEXT);
      expect(rows.resources).toHaveLength(1);
      expect(rows.patients).toEqual([]);
      expect(rows.observations).toEqual([]);
    });
  });

  describe('raw.fhir_resources', () => {
    it('maps identity, hashes and lineage', () => {
      const read = entry(patient, { fullUrl: 'urn:uuid:1d3f', requestMethod: 'PUT' });
      const [row] = mapFhirEntry(read, CONTEXT).resources;

      expect(row).toEqual({
        resource_type: 'Patient',
        resource_id: 'p1',
        version_id: '3',
        last_updated: new Date('2024-04-30T06:15:00Z'),
        full_url: 'urn:uuid:1d3f',
        request_method: 'PUT',
        content_hash: sha256Hex(canonicalJson(patient)),
        resource_json: JSON.stringify(patient),
        record_hash: sha256Hex('Patient|p1|3'),
        source_file: CONTEXT.sourceFile,
        source_position: 3,
        ingested_at: CONTEXT.ingestedAt,
      });
    });

    it('hashes the content when there is no version', () => {
      const resource = { resourceType: 'Encounter', id: 'e1', status: 'finished' };
      const [row] = mapFhirEntry(entry(resource), CONTEXT).resources;
      expect(row?.['record_hash']).toBe(
        sha256Hex(`Encounter|e1|${sha256Hex(canonicalJson(resource))}`),
      );
    });

    it('hashes equal content in another key order equally', () => {
      const reordered = { status: 'finished', id: 'e1', resourceType: 'Encounter' };
      const [first] = mapFhirEntry(
        entry({ resourceType: 'Encounter', id: 'e1', status: 'finished' }),
        CONTEXT,
      ).resources;
      const [second] = mapFhirEntry(entry(reordered, { position: 9 }), {
        ...CONTEXT,
        sourceFile: 'other.json',
      }).resources;
      expect(second?.['record_hash']).toBe(first?.['record_hash']);
      expect(second?.['content_hash']).toBe(first?.['content_hash']);
    });

    it('stores a delete as a stub with request_method DELETE', () => {
      const [row] = mapFhirEntry(
        { ...deletedEntry('Patient', 'p1'), requestMethod: 'delete' },
        CONTEXT,
      ).resources;
      expect(row?.['resource_json']).toBe('{"resourceType":"Patient","id":"p1"}');
      expect(row?.['request_method']).toBe('DELETE');
      expect(row?.['record_hash']).toBe(sha256Hex(`Patient|p1|DELETE|${CONTEXT.sourceFile}`));
    });

    it('hashes a delete by its source file', () => {
      const hashIn = (sourceFile: string) =>
        mapFhirEntry(deletedEntry('Patient', 'p1'), { ...CONTEXT, sourceFile }).resources[0]?.[
          'record_hash'
        ];
      expect(hashIn('a.json')).toBe(hashIn('a.json'));
      expect(hashIn('a.json')).not.toBe(hashIn('b.json'));
    });
  });

  describe('clinical.patients', () => {
    it('maps demographics and lineage', () => {
      const [row] = mapFhirEntry(entry(patient), CONTEXT).patients;
      expect(row).toEqual({
        patient_key: 'fhir:Patient/p1',
        patient_id: 'p1',
        assigning_authority: 'urn:oid:1.2.36.146.595.217.0.1',
        family_name: 'Chalmers',
        given_name: 'Peter',
        birth_date: new Date('1974-12-01T00:00:00Z'),
        sex: 'male',
        city: 'PleasantVille',
        state: 'Vic',
        postal_code: '3999',
        country: 'AU',
        primary_facility: null,
        primary_care_provider_id: null,
        merged_into_key: null,
        event_type: null,
        is_deleted: false,
        event_time: new Date('2024-04-30T06:15:00Z'),
        record_hash: sha256Hex(sha256Hex('Patient|p1|3')),
        source_format: 'fhir',
        source_system: 'urn:example:ehr',
        source_id: 'Patient/p1/_history/3',
        source_file: CONTEXT.sourceFile,
        source_position: 3,
        ingested_at: CONTEXT.ingestedAt,
        facility: 'Good Health Clinic',
      });
    });

    it.each([
      {
        case: 'display',
        managingOrganization: { reference: 'Organization/org1', display: 'Good Health Clinic' },
        facility: 'Good Health Clinic',
      },
      {
        case: 'reference',
        managingOrganization: { reference: 'Organization/org1' },
        facility: 'Organization/org1',
      },
      { case: 'no organization', managingOrganization: undefined, facility: null },
    ])(
      'takes the facility from the managing organization $case',
      ({ managingOrganization, facility }) => {
        const [row] = mapFhirEntry(entry({ ...patient, managingOrganization }), CONTEXT).patients;
        expect(row?.['facility']).toBe(facility);
      },
    );

    it('maps a minimal Patient with null columns', () => {
      const [row] = mapFhirEntry(entry({ resourceType: 'Patient', id: 'p2' }), CONTEXT).patients;
      const nulls = Object.entries(row ?? {})
        .filter(([, value]) => value === null)
        .map(([column]) => column);
      expect(nulls).toEqual([
        'assigning_authority',
        'family_name',
        'given_name',
        'birth_date',
        'sex',
        'city',
        'state',
        'postal_code',
        'country',
        'primary_facility',
        'primary_care_provider_id',
        'merged_into_key',
        'event_type',
        'event_time',
        'source_system',
        'facility',
      ]);
      expect(row?.['source_id']).toBe('Patient/p2');
    });

    it('maps a delete to a deleted row with null demographics', () => {
      const [row] = mapFhirEntry(deletedEntry('Patient', 'p1'), CONTEXT).patients;
      expect(row).toMatchObject({
        patient_key: 'fhir:Patient/p1',
        is_deleted: true,
        patient_id: null,
        sex: null,
        source_position: 5,
      });
      expect(row?.['record_hash']).toBe(
        sha256Hex(sha256Hex(`Patient|p1|DELETE|${CONTEXT.sourceFile}`)),
      );
    });
  });

  describe('clinical.observations', () => {
    it('maps a quantity observation', () => {
      const [row] = mapFhirEntry(entry(observation), CONTEXT).observations;
      expect(row).toEqual({
        observation_key: 'fhir:Observation/o1',
        patient_key: 'fhir:Patient/p1',
        order_key: null,
        observation_sub_id: null,
        code: '718-7',
        code_system: 'http://loinc.org',
        code_display: 'Hemoglobin',
        value_type: 'Quantity',
        value_text: '7.2',
        value_number: 7.2,
        value_number_high: null,
        value_comparator: null,
        value_code: null,
        value_code_system: null,
        value_time: null,
        value_ref: null,
        value_size: null,
        value_media_type: null,
        unit: 'g/dL',
        reference_range: '13.0-17.0 g/dL',
        interpretation: 'L',
        status: 'final',
        effective_time: new Date('2024-02-01T04:30:00Z'),
        effective_month: '2024-02',
        is_deleted: false,
        event_time: null,
        record_hash: sha256Hex(
          sha256Hex(`Observation|o1|${sha256Hex(canonicalJson(observation))}`),
        ),
        source_format: 'fhir',
        source_system: null,
        source_id: 'Observation/o1',
        source_file: CONTEXT.sourceFile,
        source_position: 3,
        ingested_at: CONTEXT.ingestedAt,
        facility: 'Organization/lab1',
      });
    });

    const withValue = (value: Record<string, unknown>): FhirResource => ({
      ...observation,
      valueQuantity: undefined,
      ...value,
    });

    it.each([
      {
        case: 'Quantity with comparator',
        value: { valueQuantity: { value: 5, comparator: '<', code: 'mmol/L' } },
        expected: ['Quantity', '<5', 5, 'mmol/L'],
      },
      {
        case: 'CodeableConcept',
        value: { valueCodeableConcept: { coding: [{ code: '260385009' }], text: 'Negative' } },
        expected: ['CodeableConcept', '260385009', null, null],
      },
      {
        case: 'CodeableConcept text only',
        value: { valueCodeableConcept: { text: 'Negative' } },
        expected: ['CodeableConcept', 'Negative', null, null],
      },
      {
        case: 'string',
        value: { valueString: 'clear' },
        expected: ['String', 'clear', null, null],
      },
      {
        case: 'boolean',
        value: { valueBoolean: false },
        expected: ['Boolean', 'false', null, null],
      },
      { case: 'integer', value: { valueInteger: 12 }, expected: ['Integer', '12', 12, null] },
      {
        case: 'dateTime',
        value: { valueDateTime: '2023-07' },
        expected: ['DateTime', '2023-07', null, null],
      },
      {
        case: 'time',
        value: { valueTime: '08:30:00' },
        expected: ['Time', '08:30:00', null, null],
      },
      {
        case: 'Period',
        value: { valuePeriod: { start: '2024-01-01' } },
        expected: ['Period', '2024-01-01/', null, null],
      },
      {
        case: 'Range',
        value: { valueRange: { low: { value: 1, unit: 'mg' }, high: { value: 3, unit: 'mg' } } },
        expected: ['Range', '1..3', null, 'mg'],
      },
      {
        case: 'Ratio',
        value: { valueRatio: { numerator: { value: 1 }, denominator: { value: 128 } } },
        expected: ['Ratio', '1/128', null, null],
      },
      {
        case: 'SampledData',
        value: { valueSampledData: { data: '1 2 3' } },
        expected: ['SampledData', null, null, null],
      },
      {
        case: 'no value',
        value: { dataAbsentReason: { text: 'not performed' } },
        expected: [null, null, null, null],
      },
    ])('maps a $case value', ({ value, expected }) => {
      const [row] = mapFhirEntry(entry(withValue(value)), CONTEXT).observations;
      expect([
        row?.['value_type'],
        row?.['value_text'],
        row?.['value_number'],
        row?.['unit'],
      ]).toEqual(expected);
    });

    it.each([
      {
        case: 'effectiveDateTime',
        effective: { effectiveDateTime: '2024-03-05' },
        time: '2024-03-05T00:00:00Z',
        month: '2024-03',
      },
      {
        case: 'effectivePeriod.start',
        effective: { effectivePeriod: { start: '2023-11-30T22:00:00-05:00' } },
        time: '2023-12-01T03:00:00Z',
        month: '2023-12',
      },
      {
        case: 'effectiveInstant',
        effective: { effectiveInstant: '2022-06-01T10:00:00Z' },
        time: '2022-06-01T10:00:00Z',
        month: '2022-06',
      },
      {
        case: 'issued',
        effective: { issued: '2021-09-09T09:09:09Z' },
        time: '2021-09-09T09:09:09Z',
        month: '2021-09',
      },
      { case: 'nothing', effective: {}, time: null, month: 'unknown' },
    ])('takes the effective time from $case', ({ effective, time, month }) => {
      const resource = {
        ...observation,
        effectiveDateTime: undefined,
        issued: undefined,
        ...effective,
      };
      const [row] = mapFhirEntry(entry(resource), CONTEXT).observations;
      expect(row?.['effective_time']).toEqual(time === null ? null : new Date(time));
      expect(row?.['effective_month']).toBe(month);
    });

    it.each([
      { case: 'a Group', reference: 'Group/g1', patientKey: null },
      {
        case: 'an unresolved urn',
        reference: 'urn:uuid:0b5f7c2e-2c61-4c5e-9d0a-1f1f3a7d9a01',
        patientKey: null,
      },
      {
        case: 'an absolute Patient url',
        reference: 'https://example.org/fhir/Patient/p9',
        patientKey: 'fhir:Patient/p9',
      },
      {
        case: 'a versioned Patient',
        reference: 'Patient/p9/_history/2',
        patientKey: 'fhir:Patient/p9',
      },
    ])('sets patient_key for a subject that is $case', ({ reference, patientKey }) => {
      const [row] = mapFhirEntry(
        entry({ ...observation, subject: { reference } }),
        CONTEXT,
      ).observations;
      expect(row?.['patient_key']).toBe(patientKey);
    });

    it('maps each component to a row when there is no top-level value', () => {
      const bloodPressure: FhirResource = {
        ...observation,
        valueQuantity: undefined,
        code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
        component: [
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8480-6' }] },
            valueQuantity: { value: 120, unit: 'mm[Hg]' },
            interpretation: [{ coding: [{ code: 'N' }] }],
          },
          {
            code: { coding: [{ system: 'http://loinc.org', code: '8462-4' }] },
            valueQuantity: { value: 80, unit: 'mm[Hg]' },
          },
        ],
      };
      const rows = mapFhirEntry(entry(bloodPressure), CONTEXT).observations;
      const rawHash = mapFhirResourceRow(entry(bloodPressure), CONTEXT)['record_hash'];

      expect(
        rows.map((row) => [
          row['observation_key'],
          row['code'],
          row['value_number'],
          row['interpretation'],
          row['reference_range'],
        ]),
      ).toEqual([
        ['fhir:Observation/o1#0', '8480-6', 120, 'N', null],
        ['fhir:Observation/o1#1', '8462-4', 80, null, null],
      ]);
      expect(rows.map((row) => row['record_hash'])).toEqual([
        sha256Hex(`${String(rawHash)}#0`),
        sha256Hex(`${String(rawHash)}#1`),
      ]);
      expect(rows.map((row) => row['patient_key'])).toEqual(['fhir:Patient/p1', 'fhir:Patient/p1']);
    });

    it('maps one row when components come with a top-level value', () => {
      const withComponents = {
        ...observation,
        component: [{ code: { coding: [{ code: 'x' }] }, valueString: 'y' }],
      };
      const rows = mapFhirEntry(entry(withComponents), CONTEXT).observations;
      expect(rows.map((row) => [row['observation_key'], row['code']])).toEqual([
        ['fhir:Observation/o1', '718-7'],
      ]);
    });

    it('maps a delete to a deleted row', () => {
      const [row] = mapFhirEntry(deletedEntry('Observation', 'o1'), CONTEXT).observations;
      expect(row).toMatchObject({
        observation_key: 'fhir:Observation/o1',
        is_deleted: true,
        effective_month: 'unknown',
        code: null,
      });
    });
  });

  describe('errors', () => {
    it.each([
      {
        case: 'invalid birth date',
        resource: { ...patient, birthDate: '1974-13-01' },
        field: 'Patient.birthDate',
      },
      {
        case: 'birth date with a time',
        resource: { ...patient, birthDate: '1974-12-01T10:00:00Z' },
        field: 'Patient.birthDate',
      },
      { case: 'numeric gender', resource: { ...patient, gender: 1 }, field: 'Patient.gender' },
      {
        case: 'name that is not an array',
        resource: { ...patient, name: { family: 'Chalmers' } },
        field: 'Patient.name',
      },
      {
        case: 'Patient without id',
        resource: { resourceType: 'Patient', gender: 'male' },
        field: 'Patient.id',
      },
      { case: 'numeric id', resource: { resourceType: 'Patient', id: 7 }, field: 'Patient.id' },
      {
        case: 'lastUpdated without zone',
        resource: { ...patient, meta: { lastUpdated: '2024-04-30T08:15:00' } },
        field: 'Patient.meta.lastUpdated',
      },
      {
        case: 'effective time without zone',
        resource: { ...observation, effectiveDateTime: '2024-01-31T23:30:00' },
        field: 'Observation.effectiveDateTime',
      },
      {
        case: 'two values',
        resource: { ...observation, valueString: '7.2' },
        field: 'Observation.value[x]',
      },
      {
        case: 'fractional integer',
        resource: { ...observation, valueQuantity: undefined, valueInteger: 1.5 },
        field: 'Observation.valueInteger',
      },
      {
        case: 'component that is not an object',
        resource: { ...observation, valueQuantity: undefined, component: ['x'] },
        field: 'Observation.component[0]',
      },
    ])('raises FhirMappingError for $case', ({ resource, field }) => {
      const map = () => mapFhirEntry(entry(resource as FhirResource), CONTEXT);
      expect(map).toThrow(FhirMappingError);
      try {
        map();
      } catch (error) {
        expect((error as FhirMappingError).position).toEqual({
          file: CONTEXT.sourceFile,
          record: 3,
          field,
        });
      }
    });

    it('names the element but not its value', () => {
      const map = () => mapFhirEntry(entry({ ...patient, birthDate: '1974-02-30' }), CONTEXT);
      expect(map).toThrow('Patient.birthDate is not a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)');
      expect(map).not.toThrow(/1974/);
    });
  });
});
