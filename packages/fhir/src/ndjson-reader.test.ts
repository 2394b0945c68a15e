// Real: readNdjson over in-memory chunks, and over a gzip file in a temp folder read with fs and zlib; nothing is faked.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createGunzip, gzipSync } from 'node:zlib';
import { FhirReadError } from './errors';
import { collectFhirReadResult, isGzip, readNdjson } from './ndjson-reader';
import type { FhirProblem } from './problems';

const FILE = 'landing/fhir/Patient.ndjson';

/** Yields the bytes in chunks of `size` bytes, as a slow stream would deliver them. */
async function* chunksOf(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += size)
    yield bytes.subarray(offset, offset + size);
}

async function* strings(...parts: string[]): AsyncGenerator<string> {
  for (const part of parts) yield part;
}

/** Copies the problem without its reason, for comparing positions and codes. */
function located(problem: FhirProblem): Partial<FhirProblem> {
  const copy: Partial<FhirProblem> = { ...problem };
  delete copy.reason;
  return copy;
}

const patient = (id: string): string =>
  JSON.stringify({ resourceType: 'Patient', id, name: [{ family: 'Müller-Lüdenscheidt' }] });

describe('readNdjson', () => {
  it('reads lines split across 7-byte chunks, with a bad line in the middle', async () => {
    const text = [
      patient('p1'),
      patient('p2'),
      '{"resourceType": "Patient", "id": }',
      '',
      patient('p4'),
      patient('p5'),
    ].join('\n');
    const result = await collectFhirReadResult(
      readNdjson(chunksOf(Buffer.from(text), 7), { file: FILE }),
    );

    expect(result.resources.map((entry) => [entry.resource.id, entry.position])).toEqual([
      ['p1', 0],
      ['p2', 1],
      ['p4', 4],
      ['p5', 5],
    ]);
    expect(result.resources[0]?.resource['name']).toEqual([{ family: 'Müller-Lüdenscheidt' }]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code: 'invalid-json', file: FILE, line: 3, column: 35 },
    ]);
    expect(result.problems[0]?.reason).toBe('the line is not valid JSON: expected a JSON value');
  });

  it.each([
    { case: 'CRLF endings', text: `${patient('p1')}\r\n${patient('p2')}\r\n` },
    { case: 'LF endings', text: `${patient('p1')}\n${patient('p2')}\n` },
    { case: 'no final newline', text: `${patient('p1')}\n${patient('p2')}` },
    { case: 'no final newline after CRLF', text: `${patient('p1')}\r\n${patient('p2')}` },
    {
      case: 'blank and whitespace lines',
      text: `\n${patient('p1')}\n   \n\r\n${patient('p2')}\n\n`,
    },
    { case: 'byte-order mark', text: `\uFEFF${patient('p1')}\n${patient('p2')}\n` },
  ])('reads two resources with $case', async ({ text }) => {
    for (const size of [1, 7, 4096]) {
      const result = await collectFhirReadResult(
        readNdjson(chunksOf(Buffer.from(text), size), { file: FILE }),
      );
      expect({ size, problems: result.problems }).toEqual({ size, problems: [] });
      expect({ size, ids: result.resources.map((entry) => entry.resource.id) }).toEqual({
        size,
        ids: ['p1', 'p2'],
      });
    }
  });

  it('reads string chunks', async () => {
    const result = await collectFhirReadResult(
      readNdjson(
        strings(patient('p1').slice(0, 10), `${patient('p1').slice(10)}\n`, patient('p2')),
        { file: FILE },
      ),
    );
    expect(result.resources.map((entry) => entry.resource.id)).toEqual(['p1', 'p2']);
  });

  it.each([
    { case: 'an array', line: '[]', code: 'invalid-structure' },
    { case: 'a string', line: '"Patient"', code: 'invalid-structure' },
    { case: 'no resourceType', line: '{"id":"x"}', code: 'missing-resource-type' },
  ])('reports a line that is $case', async ({ line, code }) => {
    const text = `${patient('p1')}\n${line}\n${patient('p3')}\n`;
    const result = await collectFhirReadResult(
      readNdjson(chunksOf(Buffer.from(text), 7), { file: FILE }),
    );

    expect(result.resources.map((entry) => entry.position)).toEqual([0, 2]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code, file: FILE, line: 2 },
    ]);
  });

  it('reports a line that is not UTF-8', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`${patient('p1')}\n{"resourceType":"Patient","id":"`),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`"}\n${patient('p3')}`),
    ]);
    const result = await collectFhirReadResult(readNdjson(chunksOf(bytes, 7), { file: FILE }));

    expect(result.resources.map((entry) => entry.resource.id)).toEqual(['p1', 'p3']);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code: 'invalid-utf8', file: FILE, line: 2 },
    ]);
  });

  it('skips a line longer than maxLineBytes and reads on', async () => {
    const long = JSON.stringify({ resourceType: 'Binary', id: 'b1', data: 'A'.repeat(5000) });
    const text = `${patient('p1')}\n${long}\n${patient('p3')}\n`;
    const result = await collectFhirReadResult(
      readNdjson(chunksOf(Buffer.from(text), 7), { file: FILE, maxLineBytes: 1000 }),
    );

    expect(result.resources.map((entry) => entry.resource.id)).toEqual(['p1', 'p3']);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code: 'line-too-long', file: FILE, line: 2 },
    ]);
    expect(result.problems[0]?.reason).toBe(
      `the line is ${long.length} bytes, longer than maxLineBytes; it was skipped`,
    );
  });

  it('keeps a line of exactly maxLineBytes with its CRLF', async () => {
    const line = patient('p1');
    const result = await collectFhirReadResult(
      readNdjson(chunksOf(Buffer.from(`${line}\r\n`), 7), {
        file: FILE,
        maxLineBytes: Buffer.byteLength(line),
      }),
    );
    expect(result.problems).toEqual([]);
    expect(result.resources).toHaveLength(1);
  });

  it('reports gzip input instead of reading it', async () => {
    const compressed = gzipSync(`${patient('p1')}\n`);
    const result = await collectFhirReadResult(readNdjson(chunksOf(compressed, 1), { file: FILE }));

    expect(result.resources).toEqual([]);
    expect(result.problems.map(located)).toEqual([
      { severity: 'error', code: 'compressed-input', file: FILE },
    ]);
  });

  it('reads a gzip file the caller decompresses', async () => {
    const folder = await mkdtemp(path.join(os.tmpdir(), 'carelake-fhir-ndjson-'));
    try {
      const filePath = path.join(folder, 'Patient.ndjson.gz');
      await writeFile(
        filePath,
        gzipSync([patient('p1'), patient('p2'), patient('p3')].join('\r\n')),
      );

      const stream = createReadStream(filePath, { highWaterMark: 7 });
      const first = await new Promise<Buffer>((resolve) =>
        stream.once('readable', () => resolve(stream.read(2) as Buffer)),
      );
      expect(isGzip(first)).toBe(true);
      stream.unshift(first);

      const result = await collectFhirReadResult(
        readNdjson(stream.pipe(createGunzip({ chunkSize: 64 })), { file: FILE }),
      );
      expect(result.problems).toEqual([]);
      expect(result.resources.map((entry) => entry.resource.id)).toEqual(['p1', 'p2', 'p3']);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('reads nothing from an empty input', async () => {
    expect(
      await collectFhirReadResult(readNdjson(chunksOf(new Uint8Array(0), 7), { file: FILE })),
    ).toEqual({ resources: [], problems: [] });
  });

  it('throws FhirReadError for a chunk of another type', async () => {
    async function* numbers(): AsyncGenerator<number> {
      yield 42;
    }
    const items = readNdjson(numbers() as unknown as AsyncIterable<Uint8Array>, { file: FILE });
    await expect(collectFhirReadResult(items)).rejects.toThrow(FhirReadError);
  });

  it.each([
    { case: 'zero', maxLineBytes: 0 },
    { case: 'a fraction', maxLineBytes: 1.5 },
  ])('throws FhirReadError for maxLineBytes of $case', async ({ maxLineBytes }) => {
    const items = readNdjson(strings(patient('p1')), { file: FILE, maxLineBytes });
    await expect(collectFhirReadResult(items)).rejects.toThrow(FhirReadError);
  });
});

describe('readNdjson on a Bulk Data deleted file', () => {
  const deleteBundle = (...targets: string[]): string =>
    JSON.stringify({
      resourceType: 'Bundle',
      type: 'transaction',
      entry: targets.map((url) => ({ request: { method: 'DELETE', url } })),
    });

  it('reads each DELETE entry as a deleted entry at its line', async () => {
    const text = `${JSON.stringify({ resourceType: 'Patient', id: 'p1' })}\n${deleteBundle('Patient/p2', 'Observation/o9')}\n`;
    const result = await collectFhirReadResult(readNdjson(strings(text), { file: 'deleted.ndjson' }));

    expect(result.problems).toEqual([]);
    expect(result.resources.map((entry) => [entry.resource['resourceType'], entry.resource['id'], entry.deleted, entry.position])).toEqual([
      ['Patient', 'p1', false, 0],
      ['Patient', 'p2', true, 1],
      ['Observation', 'o9', true, 1],
    ]);
  });

  it('keeps a Bundle with other entries as one Bundle resource', async () => {
    const mixed = JSON.stringify({
      resourceType: 'Bundle',
      type: 'collection',
      entry: [{ resource: { resourceType: 'Patient', id: 'p3' } }, { request: { method: 'DELETE', url: 'Patient/p4' } }],
    });
    const result = await collectFhirReadResult(readNdjson(strings(mixed), { file: 'bundles.ndjson' }));

    expect(result.resources.map((entry) => [entry.resource['resourceType'], entry.deleted])).toEqual([['Bundle', false]]);
  });

  it('reports a DELETE without a Type/id target with its line', async () => {
    const result = await collectFhirReadResult(readNdjson(strings(`\n${deleteBundle('Patient?identifier=x')}`), { file: 'deleted.ndjson' }));

    expect(result.resources).toEqual([]);
    expect(result.problems.map((problem) => problem.line)).toEqual([2]);
  });
});

describe('isGzip', () => {
  it.each([
    { case: 'gzip output', bytes: gzipSync('x'), expected: true },
    { case: 'JSON text', bytes: Buffer.from('{"resourceType":"Patient"}'), expected: false },
    { case: 'one byte', bytes: Buffer.from([0x1f]), expected: false },
    { case: 'no bytes', bytes: new Uint8Array(0), expected: false },
  ])('returns $expected for $case', ({ bytes, expected }) => {
    expect(isGzip(bytes)).toBe(expected);
  });
});
