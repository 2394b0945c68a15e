// Real: files in a temporary folder cut into records; nothing is faked. The messages and resources carry no real person's data.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PipelineError } from '../errors';
import { recordsOfFile } from './file-records';

async function collect(path: string): Promise<Array<{ text: string; record: number }>> {
  const records: Array<{ text: string; record: number }> = [];
  for await (const record of recordsOfFile(path))
    records.push({ text: Buffer.from(record.data).toString('utf8'), record: record.record });
  return records;
}

describe('recordsOfFile', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-file-records-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('cuts an HL7 v2 batch into messages without the envelope', async () => {
    const file = join(root, 'batch.hl7');
    await writeFile(
      file,
      'BHS|^~\\&|SEND\rMSH|^~\\&|A|B|||||ADT^A08|1|P|2.5.1\rPID|1\rMSH|^~\\&|A|B|||||ADT^A08|2|P|2.5.1\rBTS|2\r',
    );

    const records = await collect(file);

    expect(records.map((record) => record.record)).toEqual([0, 1]);
    expect(records.map((record) => record.text.split('|')[9])).toEqual(['1', '2']);
    expect(records[0]?.text).toContain('PID|1');
  });

  it.each([
    { case: 'plain', name: 'patients.ndjson', encode: (text: string) => Buffer.from(text) },
    { case: 'gzipped', name: 'patients.ndjson.gz', encode: (text: string) => gzipSync(text) },
  ])('reads one record per $case NDJSON line', async ({ name, encode }) => {
    const file = join(root, name);
    await writeFile(
      file,
      encode('{"resourceType":"Patient","id":"a"}\n\n{"resourceType":"Patient","id":"b"}'),
    );

    const records = await collect(file);

    expect(records).toEqual([
      { text: '{"resourceType":"Patient","id":"a"}', record: 0 },
      { text: '{"resourceType":"Patient","id":"b"}', record: 2 },
    ]);
  });

  it('sends Bundle entries apart with their local references resolved', async () => {
    const file = join(root, 'bundle.json');
    const bundle = {
      resourceType: 'Bundle',
      type: 'transaction',
      timestamp: '2026-03-04T05:06:07Z',
      entry: [
        {
          fullUrl: 'urn:uuid:0d1f',
          resource: { resourceType: 'Patient', id: 'p1' },
          request: { method: 'PUT', url: 'Patient/p1' },
        },
        {
          resource: {
            resourceType: 'Observation',
            id: 'o1',
            status: 'final',
            code: { text: 'x' },
            subject: { reference: 'urn:uuid:0d1f' },
          },
        },
        { request: { method: 'DELETE', url: 'Observation/o0' } },
      ],
    };
    await writeFile(file, JSON.stringify(bundle));

    const records = (await collect(file)).map(
      (record) => JSON.parse(record.text) as Record<string, unknown>,
    );

    expect(records[0]).toEqual({ resourceType: 'Patient', id: 'p1' });
    expect(records[1]?.['subject']).toEqual({ reference: 'Patient/p1' });
    expect(records[2]).toEqual({
      resourceType: 'Bundle',
      type: 'transaction',
      timestamp: '2026-03-04T05:06:07Z',
      entry: [{ request: { method: 'DELETE', url: 'Observation/o0' } }],
    });
  });

  it('sends a document with a problem whole', async () => {
    const file = join(root, 'broken.json');
    await writeFile(file, '{"resourceType": "Patient", ');

    expect(await collect(file)).toEqual([{ text: '{"resourceType": "Patient", ', record: 0 }]);
  });

  it('rejects a CSV file', async () => {
    const file = join(root, 'feed.csv');
    await writeFile(file, 'a,b\n1,2\n');

    await expect(collect(file)).rejects.toThrow(PipelineError);
  });
});
