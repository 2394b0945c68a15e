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
