// Real: readFhirJson on small synthetic bundles written in the test; nothing is faked.
import { readFhirJson } from './bundle-reader';
import type { FhirProblem } from './problems';
import type { JsonObject } from './types';

const FILE = 'landing/fhir/test-bundle.json';

function bundle(type: string, entry: unknown): string {
  return JSON.stringify({ resourceType: 'Bundle', type, entry });
}

/** Copies the problem without its reason, for comparing positions and codes. */
function located(problem: FhirProblem): Partial<FhirProblem> {
  const copy: Partial<FhirProblem> = { ...problem };
  delete copy.reason;
  return copy;
}

const patientEntry = {
  fullUrl: 'urn:uuid:0b5f7c2e-2c61-4c5e-9d0a-1f1f3a7d9a01',
  resource: { resourceType: 'Patient', id: 'p1' },
  request: { method: 'POST', url: 'Patient' },
};

describe('readFhirJson', () => {
  it.each([
    { case: 'transaction', type: 'transaction' },
    { case: 'batch', type: 'batch' },
    { case: 'collection', type: 'collection' },
    { case: 'searchset', type: 'searchset' },
  ])('reads entries of a $case bundle', ({ type }) => {
    const text = bundle(type, [
      {
        fullUrl: 'https://example.org/fhir/Patient/p1',
        resource: { resourceType: 'Patient', id: 'p1' },
      },
      { resource: { resourceType: 'Observation', id: 'o1' } },
    ]);
    const result = readFhirJson(text, { file: FILE });

    expect(result.problems).toEqual([]);
    expect(
      result.resources.map((entry) => [entry.resource.resourceType, entry.position, entry.deleted]),
    ).toEqual([
      ['Patient', 0, false],
      ['Observation', 1, false],
    ]);
    expect(result.resources[0]?.fullUrl).toBe('https://example.org/fhir/Patient/p1');
  });

  it('reads a single resource at position 0', () => {
    const result = readFhirJson(JSON.stringify({ resourceType: 'Patient', id: 'p1' }), {
      file: FILE,
    });
    expect(result).toEqual({
      resources: [{ resource: { resourceType: 'Patient', id: 'p1' }, position: 0, deleted: false }],
      problems: [],
    });
  });

  it('skips a UTF-8 byte-order mark', () => {
    const result = readFhirJson(`\uFEFF${JSON.stringify({ resourceType: 'Patient', id: 'p1' })}`, {
      file: FILE,
    });
    expect(result.problems).toEqual([]);
    expect(result.resources).toHaveLength(1);
  });

  it('reads an empty bundle as no entries', () => {
    expect(
      readFhirJson(JSON.stringify({ resourceType: 'Bundle', type: 'batch' }), { file: FILE }),
    ).toEqual({ resources: [], problems: [] });
  });

  it('keeps the request method of each entry', () => {
    const result = readFhirJson(bundle('transaction', [patientEntry]), { file: FILE });
    expect(result.resources[0]?.requestMethod).toBe('POST');
  });

  it.each([
    { case: 'relative url', url: 'Patient/123', resourceType: 'Patient', id: '123' },
    {
      case: 'absolute url',
      url: 'https://example.org/fhir/Observation/o-9',
      resourceType: 'Observation',
      id: 'o-9',
    },
  ])('reads a DELETE entry with a $case', ({ url, resourceType, id }) => {
    const result = readFhirJson(bundle('transaction', [{ request: { method: 'DELETE', url } }]), {
      file: FILE,
    });

    expect(result.problems).toEqual([]);
    expect(result.resources).toEqual([
      {
        resource: { resourceType, id },
        position: 0,
        requestMethod: 'DELETE',
        deleted: true,
        deletedRef: { resourceType, id },
      },
    ]);
  });

  it.each([
    {
      case: 'its response.lastModified',
      bundleTimestamp: '2026-01-01T00:00:00Z',
      response: { status: '204', lastModified: '2026-02-03T04:05:06+01:00' },
      deletedAt: '2026-02-03T04:05:06+01:00',
    },
    { case: 'the Bundle.timestamp', bundleTimestamp: '2026-01-01T00:00:00Z', response: undefined, deletedAt: '2026-01-01T00:00:00Z' },
    { case: 'nothing when the bundle gives no time', bundleTimestamp: undefined, response: undefined, deletedAt: undefined },
  ])('dates a DELETE entry by $case', ({ bundleTimestamp, response, deletedAt }) => {
    const text = JSON.stringify({
      resourceType: 'Bundle',
      type: 'history',
      ...(bundleTimestamp ? { timestamp: bundleTimestamp } : {}),
      entry: [{ request: { method: 'DELETE', url: 'Patient/p1' }, ...(response ? { response } : {}) }],
    });
    const result = readFhirJson(text, { file: FILE });

    expect(result.problems).toEqual([]);
    expect(result.resources[0]?.deletedAt).toBe(deletedAt);
  });

  it('warns about a delete time that is not an instant and falls back', () => {
    const text = JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      timestamp: '2026-01-01',
      entry: [
        { request: { method: 'DELETE', url: 'Patient/p1' }, response: { status: '204', lastModified: 'yesterday' } },
        { request: { method: 'DELETE', url: 'Patient/p2' } },
      ],
    });
    const result = readFhirJson(text, { file: FILE });

    expect(result.resources.map((entry) => entry.deletedAt)).toEqual([undefined, undefined]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'warning', code: 'invalid-delete-time', file: FILE, field: 'Bundle.timestamp' },
      {
        severity: 'warning',
        code: 'invalid-delete-time',
        file: FILE,
        record: 0,
        field: 'Bundle.entry[0].response.lastModified',
      },
    ]);
    expect(result.problems.map((problem) => problem.reason).join(' ')).not.toContain('yesterday');
  });

  it.each([
    { case: 'conditional delete', url: 'Patient?identifier=http://example.org/mrn|123' },
    { case: 'type only', url: 'Patient' },
    { case: 'missing url', url: undefined },
  ])('reports a DELETE entry with a $case', ({ url }) => {
    const result = readFhirJson(
      bundle('transaction', [patientEntry, { request: { method: 'DELETE', url } }]),
      { file: FILE },
    );

    expect(result.resources).toHaveLength(1);
    expect(result.problems.map(located)).toEqual([
      {
        severity: 'error',
        code: 'invalid-delete-url',
        file: FILE,
        record: 1,
        field: 'Bundle.entry[1].request.url',
      },
    ]);
  });

  it.each([
    {
      case: 'entry is a string',
      entry: 'Patient/1',
      code: 'invalid-structure',
      field: 'Bundle.entry[1]',
    },
    { case: 'entry is null', entry: null, code: 'invalid-structure', field: 'Bundle.entry[1]' },
    {
      case: 'resource missing',
      entry: { fullUrl: 'urn:uuid:x' },
      code: 'invalid-structure',
      field: 'Bundle.entry[1].resource',
    },
    {
      case: 'resource is an array',
      entry: { resource: [] },
      code: 'invalid-structure',
      field: 'Bundle.entry[1].resource',
    },
    {
      case: 'no resourceType',
      entry: { resource: { id: 'x' } },
      code: 'missing-resource-type',
      field: 'Bundle.entry[1].resource',
    },
    {
      case: 'empty resourceType',
      entry: { resource: { resourceType: '' } },
      code: 'missing-resource-type',
      field: 'Bundle.entry[1].resource',
    },
  ])('reports an entry where the $case and reads the others', ({ entry, code, field }) => {
    const third = { resource: { resourceType: 'Encounter', id: 'e1' } };
    const result = readFhirJson(bundle('batch', [patientEntry, entry, third]), { file: FILE });

    expect(result.resources.map((read) => read.position)).toEqual([0, 2]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code, file: FILE, record: 1, field },
    ]);
  });

  it('reports Bundle.entry that is not an array', () => {
    const result = readFhirJson(
      JSON.stringify({ resourceType: 'Bundle', type: 'batch', entry: {} }),
      { file: FILE },
    );
    expect(result.resources).toEqual([]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code: 'invalid-structure', file: FILE, field: 'Bundle.entry' },
    ]);
  });

  it.each([
    { case: 'an array', text: '[]', code: 'invalid-structure' },
    { case: 'a number', text: '42', code: 'invalid-structure' },
    { case: 'an object without resourceType', text: '{"id":"p1"}', code: 'missing-resource-type' },
  ])('reports a document that is $case', ({ text, code }) => {
    const result = readFhirJson(text, { file: FILE });
    expect(result.resources).toEqual([]);
    expect(result.problems.map(located)).toEqual([{ severity: 'error', code, file: FILE }]);
  });

  it('reports invalid JSON with its line and column but not its text', () => {
    const text =
      '{\n  "resourceType": "Patient",\n  "name": [{"family": "Secretname" "given": ["Alice"]}]\n}';
    const result = readFhirJson(text, { file: FILE });

    expect(result.resources).toEqual([]);
    expect(result.problems).toEqual([
      {
        severity: 'error',
        code: 'invalid-json',
        file: FILE,
        line: 3,
        column: 36,
        reason: 'the document is not valid JSON: expected "," or "}"',
      },
    ]);
    expect(JSON.stringify(result.problems)).not.toContain('Secretname');
  });

  describe('urn:uuid references', () => {
    const observation = {
      fullUrl: 'urn:uuid:5d1c0e0a-7f0e-4b7e-8f3e-2f6a8b7c9d02',
      resource: {
        resourceType: 'Observation',
        id: 'o1',
        subject: { reference: 'urn:uuid:0b5f7c2e-2c61-4c5e-9d0a-1f1f3a7d9a01' },
        performer: [{ reference: 'urn:uuid:99999999-0000-4000-8000-000000000000' }],
        extension: [
          {
            url: 'http://example.org/focus',
            valueReference: { reference: 'urn:uuid:0b5f7c2e-2c61-4c5e-9d0a-1f1f3a7d9a01' },
          },
        ],
        contained: [
          {
            resourceType: 'Provenance',
            id: 'prov',
            target: [{ reference: 'urn:uuid:5d1c0e0a-7f0e-4b7e-8f3e-2f6a8b7c9d02' }],
          },
        ],
        hasMember: [{ reference: '#prov' }, { reference: 'Observation/o2' }],
      },
    };

    it('rewrites references to entries with an id to Type/id', () => {
      const result = readFhirJson(bundle('transaction', [patientEntry, observation]), {
        file: FILE,
      });
      const resource: JsonObject = result.resources[1]?.resource ?? {};

      expect(resource['subject']).toEqual({ reference: 'Patient/p1' });
      expect(resource['extension']).toEqual([
        { url: 'http://example.org/focus', valueReference: { reference: 'Patient/p1' } },
      ]);
      expect(resource['contained']).toEqual([
        { resourceType: 'Provenance', id: 'prov', target: [{ reference: 'Observation/o1' }] },
      ]);
      expect(resource['hasMember']).toEqual([
        { reference: '#prov' },
        { reference: 'Observation/o2' },
      ]);
    });

    it('leaves an unknown urn:uuid and warns with its path', () => {
      const result = readFhirJson(bundle('transaction', [patientEntry, observation]), {
        file: FILE,
      });

      expect(result.resources[1]?.resource['performer']).toEqual([
        { reference: 'urn:uuid:99999999-0000-4000-8000-000000000000' },
      ]);
      expect(result.problems.map(located)).toEqual([
        {
          severity: 'warning',
          code: 'unresolved-reference',
          file: FILE,
          record: 1,
          field: 'Observation.performer[0].reference',
        },
      ]);
    });

    it('warns about a reference to an entry without an id', () => {
      const withoutId = { ...patientEntry, resource: { resourceType: 'Patient' } };
      const result = readFhirJson(bundle('transaction', [withoutId, observation]), { file: FILE });
      const warnings = result.problems.filter(
        (problem) => problem.field === 'Observation.subject.reference',
      );

      expect(result.resources[1]?.resource['subject']).toEqual({
        reference: 'urn:uuid:0b5f7c2e-2c61-4c5e-9d0a-1f1f3a7d9a01',
      });
      expect(warnings.map((problem) => problem.reason)).toEqual([
        'the reference names a bundle entry that has no resource id',
      ]);
    });

    it('warns about a duplicate fullUrl and keeps the first', () => {
      const duplicate = { ...patientEntry, resource: { resourceType: 'Patient', id: 'p2' } };
      const result = readFhirJson(bundle('transaction', [patientEntry, duplicate, observation]), {
        file: FILE,
      });

      expect(result.resources[2]?.resource['subject']).toEqual({ reference: 'Patient/p1' });
      expect(result.problems.map(located)).toContainEqual({
        severity: 'warning',
        code: 'duplicate-full-url',
        file: FILE,
        record: 1,
        field: 'Bundle.entry[1].fullUrl',
      });
    });
  });
});
