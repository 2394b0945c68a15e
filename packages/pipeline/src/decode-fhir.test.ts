// Real: decodeFhir with the FHIR readers, the R4 conformance checker and the shipped views. The
// inputs are synthetic NDJSON (plain and gzipped) and bundles written in the test. Nothing is faked.
import { gzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { createConformanceChecker } from '@carelake/fhir';
import { loadDatasets } from './datasets';
import { decodeFhir } from './decode-fhir';
import type { DecodeContext } from './decoded-file';
import { loadFhirViews } from './fhir-views';
import type { LoadedPipeline } from './pipeline-file';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));
const views = loadFhirViews(
  { outputs: ['fhir.patient', 'fhir.observation'], baseDir: resolve(__dirname, '../../../pipelines') } as LoadedPipeline,
  datasets,
);
const checker = createConformanceChecker();

function context(extra: Partial<DecodeContext> = {}): DecodeContext {
  return {
    landingKey: 'landing/test/abc/export.ndjson',
    ingestedAt: new Date('2026-03-04T05:06:07Z'),
    mode: 'lenient',
    conformanceChecker: checker,
    fhirViews: views,
    ...extra,
  };
}

const lines = [
  JSON.stringify({ resourceType: 'Patient', id: 'p1', gender: 'female' }),
  '{"resourceType": "Patient", "id": ',
  '',
  JSON.stringify({ resourceType: 'Observation', id: 'o1', status: 'final', code: { text: 'pulse' }, valueQuantity: { value: 61 } }),
];

describe('decodeFhir', () => {
  it.each([
    { case: 'plain NDJSON', bytes: Buffer.from(lines.join('\n')) },
    { case: 'gzipped NDJSON', bytes: gzipSync(Buffer.from(lines.join('\r\n'))) },
  ])('quarantines a bad line of $case by line and reads on', async ({ bytes }) => {
    const decoded = await decodeFhir(bytes, true, context());

    expect(decoded.records).toBe(3);
    expect(decoded.problems).toEqual([
      { position: { line: 2 }, reason: expect.stringMatching(/^invalid-json: the line is not valid JSON/) },
    ]);
    expect(decoded.rowsByTable.get('raw.fhir_resources')?.map((row) => row['source_position'])).toEqual([0, 3]);
    expect(decoded.rowsByTable.get('fhir.patient')?.map((row) => row['resource_key'])).toEqual(['Patient/p1']);
    expect(decoded.rowsByTable.get('fhir.observation')?.map((row) => row['value_quantity'])).toEqual([61]);
  });

  it.each([
    { case: 'reject', conformance: 'reject' as const, patients: 0, problems: 1, warnings: 0 },
    { case: 'warn', conformance: 'warn' as const, patients: 1, problems: 0, warnings: 1 },
    { case: 'off', conformance: 'off' as const, patients: 1, problems: 0, warnings: 0 },
  ])('applies conformance $case to a resource with an unknown element', async ({ conformance, patients, problems, warnings }) => {
    const bytes = Buffer.from(JSON.stringify({ resourceType: 'Patient', id: 'p9', favouriteColour: 'Secret-Blue' }));
    const decoded = await decodeFhir(bytes, true, context({ conformance }));

    expect(decoded.rowsByTable.get('raw.fhir_resources')).toHaveLength(1);
    expect(decoded.rowsByTable.get('fhir.patient') ?? []).toHaveLength(patients);
    expect(decoded.problems).toHaveLength(problems);
    expect(decoded.warnings).toBe(warnings);
    expect(decoded.mappingWarnings.map((warning) => [warning.code, warning.position])).toEqual(
      warnings ? [['conformance-unknown-element', { line: 1, field: 'Patient.favouriteColour' }]] : [],
    );
  });

  it('names the codes and paths of a rejected resource, never its values', async () => {
    const observation = { resourceType: 'Observation', id: 'o2', valueString: 'Secret-Value', issued: 'Secret-Time' };
    const bytes = Buffer.from(JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: observation }] }));
    const decoded = await decodeFhir(bytes, false, context({ landingKey: 'landing/test/abc/bundle.json', conformance: 'reject' }));

    expect(decoded.problems).toEqual([
      {
        position: { record: 0, field: 'Observation.issued' },
        reason:
          'conformance: 3 error(s): invalid-primitive at Observation.issued, required-missing at Observation.status, required-missing at Observation.code',
      },
    ]);
    expect(JSON.stringify(decoded.problems)).not.toMatch(/Secret/);
  });

  it('quarantines a resource with an invalid meta and keeps it as content', async () => {
    const patient = { resourceType: 'Patient', id: 'p3', meta: { lastUpdated: 'last week' } };
    const decoded = await decodeFhir(Buffer.from(JSON.stringify(patient)), true, context());

    expect(decoded.records).toBe(1);
    expect(decoded.rowsByTable.size).toBe(0);
    expect(decoded.problems).toEqual([
      {
        position: { line: 1, field: 'Patient.meta.lastUpdated' },
        reason: expect.stringMatching(/^map: Patient\.meta\.lastUpdated is not a FHIR instant/),
        content: JSON.stringify(patient),
      },
    ]);
  });

  it('quarantines the rows of one view and keeps the others', async () => {
    // patient.view.json reads active into a boolean column, which a string does not fit.
    const patient = { resourceType: 'Patient', id: 'p4', active: 'yes' };
    const decoded = await decodeFhir(Buffer.from(JSON.stringify(patient)), true, context({ conformance: 'off' }));

    expect(decoded.rowsByTable.get('raw.fhir_resources')).toHaveLength(1);
    expect(decoded.rowsByTable.has('fhir.patient')).toBe(false);
    expect(decoded.problems).toEqual([
      {
        position: { line: 1, keyPath: 'fhir.patient', field: 'active' },
        reason: 'fhir.patient: fhir.patient.active has type boolean, but the view returned a string',
      },
    ]);
  });

  it('leaves the clinical tables to the SQL transforms', async () => {
    const decoded = await decodeFhir(Buffer.from(lines[0] ?? ''), true, context());

    expect(decoded.rowsByTable.get('fhir.patient')).toHaveLength(1);
    expect([...decoded.rowsByTable.keys()].filter((table) => table.startsWith('clinical.'))).toEqual([]);
  });

  it('maps a DELETE to view delete rows', async () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      timestamp: '2026-02-01T00:00:00Z',
      entry: [{ request: { method: 'DELETE', url: 'Observation/o1' } }],
    };
    const decoded = await decodeFhir(Buffer.from(JSON.stringify(bundle)), false, context({ landingKey: 'landing/test/abc/delete.json' }));

    expect(decoded.rowsByTable.get('fhir.observation')).toEqual([
      expect.objectContaining({ resource_key: 'Observation/o1', is_deleted: true, last_updated: new Date('2026-02-01T00:00:00Z'), code: null }),
    ]);
    expect(decoded.rowsByTable.has('fhir.patient')).toBe(false);
  });
});
