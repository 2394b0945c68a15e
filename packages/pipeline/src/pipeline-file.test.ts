// Real: pipeline files in a temp folder read by loadPipelineFile; nothing is faked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@carelake/core';
import { fhirConformanceOf, loadPipelineFile } from './pipeline-file';

describe('loadPipelineFile decode.conformance and views', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-pipeline-file-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function load(lines: string[]): Promise<ReturnType<typeof loadPipelineFile>> {
    const file = join(root, 'fhir.pipeline.yaml');
    await writeFile(file, ['name: fhir', 'source: { type: directory, path: inbox }', 'outputs: [fhir.patient]', ...lines, ''].join('\n'));
    return loadPipelineFile(file);
  }

  it.each([
    { case: 'no decode section', lines: [], expected: 'reject' },
    { case: 'a decode section without it', lines: ['decode: { format: fhir }'], expected: 'reject' },
    { case: 'warn', lines: ['decode: { conformance: warn }'], expected: 'warn' },
    { case: 'off', lines: ['decode: { conformance: off }'], expected: 'off' },
  ])('reads conformance from $case', async ({ lines, expected }) => {
    expect(fhirConformanceOf(await load(lines))).toBe(expected);
  });

  it('names the key path of an unknown conformance value', async () => {
    const error = await load(['decode: { conformance: lenient }']).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues.map((issue) => issue.keyPath)).toEqual(['decode.conformance']);
  });

  it('reads views as a list of paths', async () => {
    expect((await load(['views: [views/fhir, more.view.json]'])).views).toEqual(['views/fhir', 'more.view.json']);
  });
});

describe('loadPipelineFile kinesis source', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-pipeline-file-kinesis-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function load(lines: string[]): Promise<ReturnType<typeof loadPipelineFile>> {
    const file = join(root, 'adt-stream.pipeline.yaml');
    await writeFile(file, ['name: adt-stream', ...lines, ''].join('\n'));
    return loadPipelineFile(file);
  }

  async function keyPathsOf(lines: string[]): Promise<string[]> {
    const error = await load(lines).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.keyPath);
  }

  it('fills in the buffering defaults', async () => {
    const pipeline = await load(['source: { type: kinesis, stream: hl7-adt }', 'outputs: [raw.hl7v2_segments]']);

    expect(pipeline.source).toEqual({ type: 'kinesis', stream: 'hl7-adt', shards: 1, aggregation: false, bufferMiB: 5, bufferSeconds: 300, currentRefreshSeconds: 300 });
  });

  it('names the key path of every invalid source setting', async () => {
    const lines = ['source: { type: kinesis, stream: "hl7 adt", shards: 0, bufferMiB: 0.5, bufferSeconds: 901 }', 'outputs: [raw.hl7v2_segments]'];

    expect(await keyPathsOf(lines)).toEqual(['source.stream', 'source.shards', 'source.bufferMiB', 'source.bufferSeconds']);
  });

  it.each([
    { case: 'csv records', lines: ['source: { type: kinesis, stream: s }', 'decode: { format: csv, schema: { columns: [{ name: a, type: string }] } }', 'outputs: [raw.a]'], keyPath: 'decode.format' },
    { case: 'raw files', lines: ['source: { type: directory, path: inbox }', 'decode: { format: raw }', 'outputs: [raw.a]'], keyPath: 'decode.format' },
    { case: 'raw records into two tables', lines: ['source: { type: kinesis, stream: s }', 'decode: { format: raw }', 'outputs: [raw.a, raw.b]'], keyPath: 'outputs' },
    { case: 'a consumer named like the endpoint folder', lines: ['source: { type: kinesis, stream: s, consumer: endpoint }', 'outputs: [raw.a]'], keyPath: 'source.consumer' },
  ])('rejects $case', async ({ lines, keyPath }) => {
    expect(await keyPathsOf(lines)).toContain(keyPath);
  });
});
