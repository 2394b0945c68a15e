// Real: the runner bundle built with esbuild, the CDK app synthesized once from this repository's
// carelake.yaml and pipelines/, and the cdk-nag HIPAA Security and AwsSolutions packs. Faked: the
// AWS account and the administrator ARN, which are example context values.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import type { Policy } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { loadInfraInputs } from './app-inputs';
import { buildCarelakeApp, type CarelakeStacks } from './carelake-app';
import { readInfraContext } from './context-values';
import { STAR_ONLY_ACTIONS, runnerPolicyStatements } from './constructs/runner-policy';
import { bundleRunners } from './runner-bundle';

const repositoryRoot = resolve(__dirname, '../..');
const CONTEXT: Record<string, unknown> = {
  region: 'us-east-1',
  account: '123456789012',
  lakeAdmins: 'arn:aws:iam::123456789012:role/carelake-lake-admin',
  lakeBucketName: 'example-carelake-lake',
};

let work: string;
let app: App;
let stacks: CarelakeStacks;
let templates: Record<'lake' | 'network' | 'runners', Template>;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'carelake-infra-test-'));
  const bundle = await bundleRunners({ repositoryRoot, outDir: join(work, 'bundle') });
  app = new App({ outdir: join(work, 'cdk.out') });
  stacks = buildCarelakeApp(app, { inputs: loadInfraInputs(repositoryRoot), context: readInfraContext((key) => CONTEXT[key]), bundle, nagChecks: false });
  templates = { lake: Template.fromStack(stacks.lake), network: Template.fromStack(stacks.network), runners: Template.fromStack(stacks.runners) };
}, 120_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

type Resource = { Type: string; Properties: Record<string, unknown> };

/** Render each `Fn::Join` of a resolved value as one string, with `Ref`s as `${name}`, so that ARNs read as text. */
function renderArns(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(renderArns);
  if (value === null || typeof value !== 'object') return value;
  const object = value as Record<string, unknown>;
  if ('Ref' in object) return `\${${String(object['Ref'])}}`;
  const join = object['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(renderArns).join(join[0]);
  return Object.fromEntries(Object.entries(object).map(([key, entry]) => [key, renderArns(entry)]));
}
const resourcesOf = (template: Template, type: string): Resource[] => Object.values(template.findResources(type)) as Resource[];

describe('cdk-nag', () => {
  it.each([
    { case: 'HIPAA Security', pack: () => new HIPAASecurityChecks(app) },
    { case: 'AwsSolutions', pack: () => new AwsSolutionsChecks(app) },
  ])('$case has no unacknowledged findings', ({ pack }) => {
    const report = pack().validateScope(app);
    expect(report.violations.map((violation) => `${violation.ruleName} at ${violation.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
  });
});

describe('encryption', () => {
  it('uses SSE-KMS on every bucket but the access log bucket', () => {
    const buckets = resourcesOf(templates.lake, 'AWS::S3::Bucket');
    const algorithms = buckets.map((bucket) => JSON.stringify(bucket.Properties['BucketEncryption']).includes('"aws:kms"'));
    expect(buckets).toHaveLength(4);
    expect(algorithms.filter(Boolean)).toHaveLength(3);
    for (const bucket of buckets) {
      expect(bucket.Properties['PublicAccessBlockConfiguration']).toEqual({ BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true });
      expect(bucket.Properties['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
      expect(bucket.Properties['LifecycleConfiguration']).toBeUndefined();
    }
  });

  it('locks the audit bucket in compliance mode', () => {
    templates.lake.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 2190 } } },
    });
  });

  it('rotates every KMS key', () => {
    const keys = resourcesOf(templates.lake, 'AWS::KMS::Key');
    expect(keys).toHaveLength(3);
    for (const key of keys) expect(key.Properties['EnableKeyRotation']).toBe(true);
  });

  it('enforces workgroup result encryption and a scan cutoff', () => {
    templates.lake.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: 1_000_000_000_000,
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_KMS' } },
      },
    });
  });
});

describe('Lake Formation', () => {
  it('turns the IAMAllowedPrincipals defaults off', () => {
    templates.lake.hasResourceProperties('AWS::LakeFormation::DataLakeSettings', {
      Admins: [{ DataLakePrincipalIdentifier: 'arn:aws:iam::123456789012:role/carelake-lake-admin' }],
      CreateDatabaseDefaultPermissions: [],
      CreateTableDefaultPermissions: [],
    });
  });

  it('registers the lake location without hybrid access', () => {
    templates.lake.hasResourceProperties('AWS::LakeFormation::Resource', { UseServiceLinkedRole: false, HybridAccessEnabled: false });
  });

  it('creates a Glue database per catalog database', () => {
    const names = resourcesOf(templates.lake, 'AWS::Glue::Database').map((database) => (database.Properties['DatabaseInput'] as { Name: string }).Name);
    const fromFiles = readdirSync(join(repositoryRoot, 'pipelines/datasets')).map((file) => file.split('.')[0]);
    expect(names.sort()).toEqual([...new Set(fromFiles)].sort());
    expect(names).toEqual(expect.arrayContaining(['clinical', 'raw']));
  });
});

describe('runners', () => {
  it('gives every pipeline file a runner', () => {
    const pipelines = loadInfraInputs(repositoryRoot).pipelines.filter((pipeline) => pipeline.deploy?.runner !== 'ecs');
    expect([...stacks.runners.runners.keys()].sort()).toEqual(pipelines.map((pipeline) => pipeline.name).sort());
    expect(resourcesOf(templates.runners, 'AWS::Lambda::Function')).toHaveLength(pipelines.length);
  });

  it('runs every function in the private subnets with a dead-letter queue', () => {
    for (const fn of resourcesOf(templates.runners, 'AWS::Lambda::Function')) {
      expect(fn.Properties['VpcConfig']).toBeDefined();
      expect(fn.Properties['DeadLetterConfig']).toBeDefined();
      expect(fn.Properties['ReservedConcurrentExecutions']).toBeGreaterThanOrEqual(1);
    }
  });

  it('uses a bare wildcard only for star-only actions', () => {
    const offending: string[] = [];
    for (const policy of resourcesOf(templates.runners, 'AWS::IAM::Policy')) {
      const statements = (policy.Properties['PolicyDocument'] as { Statement: Array<{ Action: string | string[]; Resource: unknown }> }).Statement;
      for (const statement of statements) {
        const resources = ([] as unknown[]).concat(statement.Resource);
        if (!resources.includes('*')) continue;
        offending.push(...([] as string[]).concat(statement.Action).filter((action) => !(action in STAR_ONLY_ACTIONS)));
      }
    }
    expect(offending).toEqual([]);
  });

  it('lets each runner list and write only its own audit prefix', () => {
    const auditBucketArn = 'arn:${AWS::Partition}:s3:::example-carelake-lake-audit';
    expect(stacks.runners.runners.size).toBeGreaterThan(0);
    for (const [name, runner] of stacks.runners.runners) {
      const policy = runner.node.findChild('Policy') as Policy;
      const { Statement } = stacks.runners.resolve(policy.document.toJSON()) as { Statement: unknown[] };
      const onAuditBucket = Statement.map(renderArns).filter((statement) => JSON.stringify(statement).includes(auditBucketArn));

      expect(onAuditBucket).toEqual([
        {
          Sid: 'ListOwnAuditPrefix',
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: auditBucketArn,
          Condition: { StringLike: { 's3:prefix': [`_audit/pipelines/${name}/*`] } },
        },
        {
          Sid: 'MirrorAuditChain',
          Effect: 'Allow',
          Action: ['s3:PutObject', 's3:PutObjectRetention'],
          Resource: `${auditBucketArn}/_audit/pipelines/${name}/*`,
        },
      ]);
    }
  });

  it.each([
    { case: 'bucket root', lakePrefix: '', auditPrefix: '_audit/pipelines/adt/' },
    { case: 'lake prefix', lakePrefix: 'east', auditPrefix: 'east/_audit/pipelines/adt/' },
  ])('scopes the audit prefix at $case', ({ lakePrefix, auditPrefix }) => {
    const stack = new Stack(new App(), 'PolicyUnderTest', { env: { account: '123456789012', region: 'us-east-1' } });
    const statements = runnerPolicyStatements(stack, {
      pipeline: { name: 'adt', outputs: ['clinical.patients'] },
      lakeBucket: Bucket.fromBucketName(stack, 'Lake', 'lake-bucket'),
      lakePrefix,
      lakeKey: Key.fromKeyArn(stack, 'LakeKey', 'arn:aws:kms:us-east-1:123456789012:key/example'),
      auditBucket: Bucket.fromBucketName(stack, 'Audit', 'lake-bucket-audit'),
    }).map((statement) => renderArns(stack.resolve(statement.toStatementJson())));
    const bySid = new Map(statements.map((statement) => [(statement as { Sid: string }).Sid, statement]));

    expect(bySid.get('ListOwnAuditPrefix')).toMatchObject({ Condition: { StringLike: { 's3:prefix': [`${auditPrefix}*`] } } });
    expect(bySid.get('MirrorAuditChain')).toMatchObject({ Resource: `arn:\${AWS::Partition}:s3:::lake-bucket-audit/${auditPrefix}*` });
  });

  it('reaches AWS services through VPC endpoints', () => {
    const services = resourcesOf(templates.network, 'AWS::EC2::VPCEndpoint').map((endpoint) => JSON.stringify(endpoint.Properties['ServiceName']));
    for (const service of ['s3', 'glue', 'kinesis-streams', 'athena', 'kms', 'lakeformation']) {
      expect(services.some((name) => name.includes(`.${service}`))).toBe(true);
    }
  });
});
