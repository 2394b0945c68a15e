// Real: the scheduled handler running a directory pipeline over a synthetic ADT file into a local
// lake in a temp folder, and the runner environment read from a plain object. Faked: nothing.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadConfig } from '@carelake/core';
import { PipelineError } from '../errors';
import { loadDatasets } from '../datasets';
import { openLocalLake, type Lake } from '../lake';
import { loadPipelineFile } from '../pipeline-file';
import { readRunnerEnvironment, RUNNER_ENVIRONMENT } from './runner-environment';
import { openRunnerInputs } from './runner-inputs';
import { createScheduledRunHandler } from './scheduled-run-handler';

const datasets = loadDatasets(resolve(__dirname, '../../../../pipelines/datasets'));

const ADT_A01 = [
  'MSH|^~\\&|ADT|HOSP|LAKE|CARELAKE|20260101100000+0000||ADT^A01|C1|P|2.5.1',
  'EVN|A01|20260101100000+0000',
  'PID|1||P1^^^HOSP^MR||Synthetic^Person||19800101|F',
].join('\r');

describe('createScheduledRunHandler', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-scheduled-run-test-'));
    await mkdir(join(root, 'inputs'));
    await writeFile(join(root, 'inputs', '01.hl7'), ADT_A01);
    await writeFile(join(root, 'adt.pipeline.yaml'), 'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients]\n');
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('runs the pipeline once per invocation and closes the lake', async () => {
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    const opened: Lake[] = [];
    let closed = 0;
    const handler = createScheduledRunHandler({
      open: async () => {
        const lake = await openLocalLake(config);
        const close = lake.close.bind(lake);
        lake.close = async () => {
          closed += 1;
          await close();
        };
        opened.push(lake);
        return { lake, pipeline: loadPipelineFile(join(root, 'adt.pipeline.yaml')), datasets };
      },
    });

    const first = await handler({ time: '2026-01-01T02:00:00Z' }, { awsRequestId: 'r1' });
    const second = await handler({ time: '2026-01-01T03:00:00Z' }, { awsRequestId: 'r2' });

    expect(first.filesIngested).toBe(1);
    expect(first.rowsByTable['clinical.patients']).toBe(1);
    expect(second.filesIngested).toBe(0);
    expect(second.filesAlreadyIngested).toBe(1);
    expect(opened).toHaveLength(2);
    expect(closed).toBe(2);
  });
});

describe('readRunnerEnvironment', () => {
  const complete = {
    AWS_REGION: 'us-east-1',
    [RUNNER_ENVIRONMENT.pipelineFile]: 'pipelines/adt.pipeline.yaml',
    [RUNNER_ENVIRONMENT.configFile]: 'carelake.yaml',
    [RUNNER_ENVIRONMENT.lakeBucket]: 'lake-bucket',
    [RUNNER_ENVIRONMENT.lakeKeyArn]: 'arn:aws:kms:us-east-1:123456789012:key/example',
    [RUNNER_ENVIRONMENT.auditBucket]: 'audit-bucket',
  };

  it('resolves files against the code folder', () => {
    const environment = readRunnerEnvironment(complete, '/var/task');
    expect(environment.pipelineFile).toBe('/var/task/pipelines/adt.pipeline.yaml');
    expect(environment.configFile).toBe('/var/task/carelake.yaml');
    expect(environment.lakePrefix).toBe('');
  });

  it('names every missing variable', () => {
    const { AWS_REGION: _region, [RUNNER_ENVIRONMENT.lakeBucket]: _bucket, ...partial } = complete;
    expect(() => readRunnerEnvironment(partial, '/var/task')).toThrow(
      'lacks CARELAKE_LAKE_BUCKET, AWS_REGION',
    );
  });

  it('points the bundled configuration at the deployed bucket and key', async () => {
    await writeFile(join(root, 'carelake.yaml'), 'backend: local\n');
    await mkdir(join(root, 'datasets'));
    let bucket = '';
    let auditBucket = '';
    let keys = '';
    let auditMirrorPrefix = '';
    const error = await openRunnerInputs(
      readRunnerEnvironment({ ...complete, [RUNNER_ENVIRONMENT.pipelineFile]: 'adt.pipeline.yaml', [RUNNER_ENVIRONMENT.lakePrefix]: 'east' }, root),
      async (config, options) => {
        bucket = config.aws?.bucket ?? '';
        auditBucket = config.aws?.auditBucket ?? '';
        keys = config.keys.provider;
        auditMirrorPrefix = options.auditMirrorPrefix ?? '';
        throw new PipelineError('stop after reading the configuration');
      },
    ).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PipelineError);
    expect(bucket).toBe('lake-bucket');
    expect(auditBucket).toBe('audit-bucket');
    expect(keys).toBe('kms');
    // The runner's role may list and write only under the pipeline's own prefix of the audit bucket.
    expect(auditMirrorPrefix).toBe('east/_audit/pipelines/adt/');
  });

  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-runner-environment-test-'));
    await writeFile(join(root, 'adt.pipeline.yaml'), 'name: adt\nsource: { type: directory, path: inputs }\noutputs: [clinical.patients]\n');
  });
  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });
});
