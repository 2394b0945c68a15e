// Real: mapFhirResourceRow on synthetic resources written in the test, and the dataset file; nothing is faked.
import { canonicalJson, sha256Hex } from '@carelake/core';
import { datasetColumns } from './__fixtures__/datasets';
import { FhirMappingError } from './errors';
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
  name: [{ family: 'Chalmers', given: ['Peter', 'James'] }],
  gender: 'male',
  birthDate: '1974-12',
};

describe('mapFhirResourceRow', () => {
  it.each([
    { case: 'Patient', entry: entry(patient) },
    { case: 'deleted Patient', entry: deletedEntry('Patient', 'p1') },
    { case: 'Encounter', entry: entry({ resourceType: 'Encounter', id: 'e1' }) },
  ])('gives a $case exactly the dataset columns', ({ entry: read }) => {
    expect(Object.keys(mapFhirResourceRow(read, CONTEXT))).toEqual(
      datasetColumns('raw.fhir_resources'),
    );
  });

  it('maps identity, hashes and lineage', () => {
    const read = entry(patient, { fullUrl: 'urn:uuid:1d3f', requestMethod: 'PUT' });

    expect(mapFhirResourceRow(read, CONTEXT)).toEqual({
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
    const row = mapFhirResourceRow(entry(resource), CONTEXT);
    expect(row.record_hash).toBe(sha256Hex(`Encounter|e1|${sha256Hex(canonicalJson(resource))}`));
  });

  it('hashes equal content in another key order equally', () => {
    const first = mapFhirResourceRow(
      entry({ resourceType: 'Encounter', id: 'e1', status: 'finished' }),
      CONTEXT,
    );
    const reordered = { status: 'finished', id: 'e1', resourceType: 'Encounter' };
    const second = mapFhirResourceRow(entry(reordered, { position: 9 }), {
      ...CONTEXT,
      sourceFile: 'other.json',
    });
    expect(second.record_hash).toBe(first.record_hash);
    expect(second.content_hash).toBe(first.content_hash);
  });

  it('stores a delete as a stub with request_method DELETE', () => {
    const row = mapFhirResourceRow(
      { ...deletedEntry('Patient', 'p1'), requestMethod: 'delete' },
      CONTEXT,
    );
    expect(row.resource_json).toBe('{"resourceType":"Patient","id":"p1"}');
    expect(row.request_method).toBe('DELETE');
    expect(row.record_hash).toBe(sha256Hex(`Patient|p1|DELETE|${CONTEXT.sourceFile}`));
  });

  it('hashes a delete by its source file', () => {
    const hashIn = (sourceFile: string) =>
      mapFhirResourceRow(deletedEntry('Patient', 'p1'), { ...CONTEXT, sourceFile }).record_hash;
    expect(hashIn('a.json')).toBe(hashIn('a.json'));
    expect(hashIn('a.json')).not.toBe(hashIn('b.json'));
  });

  it.each([
    { case: 'numeric id', resource: { resourceType: 'Patient', id: 7 }, field: 'Patient.id' },
    {
      case: 'lastUpdated without zone',
      resource: { ...patient, meta: { lastUpdated: '2024-04-30T08:15:00' } },
      field: 'Patient.meta.lastUpdated',
    },
  ])('raises FhirMappingError for $case', ({ resource, field }) => {
    const map = () => mapFhirResourceRow(entry(resource as FhirResource), CONTEXT);
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
});
