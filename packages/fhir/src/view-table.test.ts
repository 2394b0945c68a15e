// Real: the view compiler, the shipped patient view and resources written in the test; nothing is faked.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { sha256Hex } from '@carelake/core';
import { FhirMappingError } from './errors';
import { readResourceIdentity } from './resource-identity';
import type { FhirEntry, FhirResource } from './types';
import { createFhirViewTable } from './view-table';
import { compileViewDefinition, ViewEvaluationError } from './views';

const CONTEXT = { sourceFile: 'landing/fhir/abc.json', ingestedAt: new Date('2026-03-04T05:06:07Z') };

function entry(resource: FhirResource, extra: Partial<FhirEntry> = {}): FhirEntry {
  return { resource, position: 7, deleted: false, ...extra };
}

function rowsOf(view: unknown, item: FhirEntry): ReturnType<ReturnType<typeof createFhirViewTable>['mapRows']> {
  const table = createFhirViewTable(compileViewDefinition(view));
  return table.mapRows(item, readResourceIdentity(item, CONTEXT), CONTEXT);
}

const namesView = {
  name: 'patient_names',
  resource: 'Patient',
  where: [{ path: 'active' }],
  select: [{ column: [{ name: 'id', path: 'id' }] }, { forEach: 'name', column: [{ name: 'family', path: 'family' }] }],
};

const patient: FhirResource = {
  resourceType: 'Patient',
  id: 'p1',
  meta: { versionId: '4', lastUpdated: '2026-01-02T03:04:05Z' },
  active: true,
  name: [{ family: 'Alpha' }, { family: 'Beta' }],
};

describe('FhirViewTable.mapRows', () => {
  it('adds the lineage columns to each view row', () => {
    const rows = rowsOf(namesView, entry(patient));
    const recordHash = readResourceIdentity(entry(patient), CONTEXT).recordHash;

    expect(rows).toEqual([0, 1].map((ordinal) => ({
      id: 'p1',
      family: ordinal === 0 ? 'Alpha' : 'Beta',
      resource_key: 'Patient/p1',
      version_id: '4',
      last_updated: new Date('2026-01-02T03:04:05Z'),
      is_deleted: false,
      record_hash: sha256Hex(`${recordHash}#${ordinal}`),
      source_file: CONTEXT.sourceFile,
      source_position: 7,
      ingested_at: CONTEXT.ingestedAt,
    })));
  });

  it('writes a marker row for a version the where path filters out', () => {
    const rows = rowsOf(namesView, entry({ ...patient, active: false }));

    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ id: null, family: null, resource_key: 'Patient/p1', is_deleted: true, version_id: '4' });
    expect(rows[0]?.['last_updated']).toEqual(new Date('2026-01-02T03:04:05Z'));
  });

  it.each([
    { case: 'response.lastModified', deletedAt: '2026-02-01T00:00:00+01:00', expected: new Date('2026-01-31T23:00:00Z') },
    { case: 'ingestion time without a bundle time', deletedAt: undefined, expected: CONTEXT.ingestedAt },
  ])('dates a delete row by $case', ({ deletedAt, expected }) => {
    const deletedRef = { resourceType: 'Patient', id: 'p1' };
    const deleted = entry({ ...deletedRef }, { deleted: true, deletedRef, ...(deletedAt ? { deletedAt } : {}) });
    const rows = rowsOf(namesView, deleted);

    expect(rows).toEqual([
      expect.objectContaining({ id: null, family: null, resource_key: 'Patient/p1', is_deleted: true, last_updated: expected }),
    ]);
  });

  it('gives the same version the same hashes and another version others', () => {
    const first = rowsOf(namesView, entry(patient)).map((row) => row['record_hash']);
    const again = rowsOf(namesView, entry(structuredClone(patient))).map((row) => row['record_hash']);
    const next = rowsOf(namesView, entry({ ...patient, meta: { versionId: '5' } })).map((row) => row['record_hash']);

    expect(again).toEqual(first);
    expect(new Set([...first, ...next]).size).toBe(4);
  });

  it.each([
    {
      case: 'a string in an integer column',
      column: { name: 'n', path: 'gender', type: 'integer' },
      expected: 'fhir.births.n has type int, but the view returned a string',
    },
    {
      case: 'a fraction in an integer column',
      column: { name: 'n', path: "extension('http://example.org/weight').value.ofType(decimal)", type: 'integer' },
      expected: 'fhir.births.n has type int, but the view returned a number',
    },
    {
      case: 'a number in a boolean column',
      column: { name: 'n', path: 'multipleBirth.ofType(integer)', type: 'boolean' },
      expected: 'fhir.births.n has type boolean, but the view returned a number',
    },
  ])('rejects $case without its value', ({ column, expected }) => {
    const view = { name: 'births', resource: 'Patient', select: [{ column: [column] }] };
    const resource = {
      resourceType: 'Patient',
      id: 'p1',
      gender: 'secret-gender',
      extension: [{ url: 'http://example.org/weight', valueDecimal: 2.5 }],
      multipleBirthInteger: 2,
    };
    const item = entry(resource as FhirResource);
    const table = createFhirViewTable(compileViewDefinition(view));
    const identity = readResourceIdentity(item, CONTEXT);

    const mapped = (): unknown => table.mapRows(item, identity, CONTEXT);
    expect(mapped).toThrow(FhirMappingError);
    expect(mapped).toThrow(expected);
    expect(mapped).not.toThrow(/secret/);
  });

  it('stores a collection column as JSON text', () => {
    const view = { name: 'given', resource: 'Patient', select: [{ column: [{ name: 'given', path: 'name.given', collection: true }] }] };
    const rows = rowsOf(view, entry({ resourceType: 'Patient', id: 'p1', name: [{ given: ['Ann', 'Bo'] }, { given: ['Cy'] }] }));
    expect(rows[0]?.['given']).toBe('["Ann","Bo","Cy"]');
  });

  it('needs a resource id for resource_key', () => {
    const map = (): unknown => rowsOf(namesView, entry({ resourceType: 'Patient', active: true }));
    expect(map).toThrow(FhirMappingError);
    expect(map).toThrow('Patient.id is missing; fhir.patient_names needs it for resource_key');
  });

  it('raises ViewEvaluationError for several values in a single column', () => {
    const view = { name: 'families', resource: 'Patient', select: [{ column: [{ name: 'family', path: 'name.family' }] }] };
    expect(() => rowsOf(view, entry(patient))).toThrow(ViewEvaluationError);
  });
});

describe('shipped patient view', () => {
  const view = JSON.parse(readFileSync(path.resolve(__dirname, '../../../pipelines/views/fhir/patient.view.json'), 'utf8')) as unknown;

  it('reads the US Core race and ethnicity extensions', () => {
    const resource = {
      resourceType: 'Patient',
      id: 'us-core-1',
      extension: [
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-race',
          extension: [
            { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2106-3', display: 'White' } },
            { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2028-9', display: 'Asian' } },
            { url: 'text', valueString: 'Mixed' },
          ],
        },
        {
          url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-ethnicity',
          extension: [
            { url: 'ombCategory', valueCoding: { system: 'urn:oid:2.16.840.1.113883.6.238', code: '2186-5', display: 'Not Hispanic or Latino' } },
            { url: 'text', valueString: 'Not Hispanic or Latino' },
          ],
        },
      ],
      gender: 'female',
      birthDate: '1987-02',
    };
    const [row] = rowsOf(view, entry(resource));

    expect(row).toMatchObject({
      race_omb_code: '2106-3',
      race_omb_display: 'White',
      race_text: 'Mixed',
      ethnicity_omb_code: '2186-5',
      ethnicity_text: 'Not Hispanic or Latino',
      birth_date: '1987-02',
      gender: 'female',
    });
  });
});
