// Real: pipeline files in a temp folder read by loadPipelineFile. Nothing is faked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@carelake/core';
import { loadPipelineFile } from './pipeline-file';

describe('mllp source tls block', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-mllp-listen-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function writePipeline(tls: string): Promise<string> {
    const file = join(root, 'adt.pipeline.yaml');
    await writeFile(
      file,
      [
        'name: adt',
        `source: { type: mllp, port: 0, tls: ${tls} }`,
        'outputs: [clinical.patients]',
        '',
      ].join('\n'),
    );
    return file;
  }

  it('reads tls block with defaults', async () => {
    const pipeline = loadPipelineFile(
      await writePipeline('{ cert: certs/mllp.crt, key: "file:certs/mllp.key" }'),
    );

    expect(pipeline.source.type === 'mllp' ? pipeline.source.tls : undefined).toEqual({
      cert: 'certs/mllp.crt',
      key: 'file:certs/mllp.key',
      requestClientCert: false,
      minVersion: 'TLSv1.2',
    });
  });

  it.each([
    {
      case: 'a key written out',
      tls: '{ cert: certs/mllp.crt, key: "-----BEGIN PRIVATE KEY-----" }',
      keyPath: 'source.tls.key',
    },
    {
      case: 'client certificates without a CA',
      tls: '{ cert: certs/mllp.crt, key: "env:MLLP_TLS_KEY", requestClientCert: true }',
      keyPath: 'source.tls.ca',
    },
    {
      case: 'TLS 1.1',
      tls: '{ cert: certs/mllp.crt, key: "env:MLLP_TLS_KEY", minVersion: TLSv1.1 }',
      keyPath: 'source.tls.minVersion',
    },
  ])('rejects $case', async ({ tls, keyPath }) => {
    const file = await writePipeline(tls);

    let thrown: unknown;
    try {
      loadPipelineFile(file);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).issues.map((issue) => issue.keyPath)).toEqual([keyPath]);
  });
});
