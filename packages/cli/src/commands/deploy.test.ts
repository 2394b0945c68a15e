// Real: the CDK app synthesized from this repository and from a temporary copy of its carelake.yaml,
// pipelines/ and infra/ snapshot, with the runner bundle built by esbuild. Faked: no AWS account;
// the context values are the example ones of infra/snapshot/context.json.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runDeploy } from './deploy';

const repositoryRoot = resolve(__dirname, '../../../..');

describe('runDeploy', () => {
  let copy: string;

  beforeAll(() => {
    copy = mkdtempSync(join(tmpdir(), 'carelake-deploy-test-'));
    for (const path of ['carelake.yaml', 'pipelines', 'infra/cdk.json', 'infra/snapshot']) cpSync(join(repositoryRoot, path), join(copy, path), { recursive: true });
  });

  afterAll(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('reports no change against the reviewed snapshot', async () => {
    let output = '';
    const code = await runDeploy({ repositoryRoot, dryRun: true }, (text) => (output += text));
    expect(output).toBe('no changes against the reviewed snapshot\n');
    expect(code).toBe(0);
  }, 120_000);

  it('reports the runner of an added pipeline', async () => {
    writeFileSync(join(copy, 'pipelines', 'adt-extra.pipeline.yaml'), 'name: adt-extra\nsource: { type: directory, path: demo/inputs }\noutputs: [clinical.patients]\n');
    let output = '';
    const code = await runDeploy({ repositoryRoot: copy, dryRun: true }, (text) => (output += text));
    expect(code).toBe(1);
    expect(output).toMatch(/^\+ Carelake-Runners RunneradtextraFunction[0-9A-F]{8} \(AWS::Lambda::Function\)$/m);
    expect(output).toMatch(/^\+ Carelake-Runners RunneradtextraRole[0-9A-F]{8} \(AWS::IAM::Role\)$/m);
  }, 120_000);

  it('sends real deploys to the CDK CLI', async () => {
    let output = '';
    expect(await runDeploy({ repositoryRoot }, (text) => (output += text))).toBe(0);
    expect(output).toContain('npx cdk deploy --all in infra/');
  });
});
