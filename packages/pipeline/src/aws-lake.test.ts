// Real: openAwsLake with real S3 and Glue clients, the S3 object store, the table layer, DuckDB,
// Parquet, the audit chain in a temp folder and its S3 mirror, running a CSV pipeline. Faked: S3
// (in-memory buckets) and Glue (the catalog package's fake), both behind aws-sdk-client-mock, and the clock.
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GlueClient } from '@aws-sdk/client-glue';
import { AuditMirrorError } from '@carelake/audit';
import { CatalogError } from '@carelake/catalog';
import { ConfigError, datasetSchema, loadConfig, ManualClock, type LoadedConfig } from '@carelake/core';
import { mockClient, type AwsClientStub } from 'aws-sdk-client-mock';
/* eslint-disable @nx/enforce-module-boundaries -- the fake of Glue is a test fixture of the
   catalog package, shared here rather than written twice. */
import { FakeGlue } from '../../catalog/src/glue/__fixtures__/fake-glue';
/* eslint-enable @nx/enforce-module-boundaries */
import { fakeS3, type FakeS3 } from './__fixtures__/fake-s3';
import { openAwsLake, openLake } from './aws-lake';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline } from './runner';

// Static credentials, so that the SDK never looks for any elsewhere, should a call get past the mocks.
process.env['AWS_ACCESS_KEY_ID'] = 'AKIAIOSFODNN7EXAMPLE';
process.env['AWS_SECRET_ACCESS_KEY'] = 'test-secret-key-not-real';
process.env['AWS_EC2_METADATA_DISABLED'] = 'true';

const LAKE_BUCKET = 'carelake-test-lake';
const AUDIT_BUCKET = 'carelake-test-lake-audit';
const KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const NOW = '2026-03-04T05:06:07.000Z';

const dataset = datasetSchema.parse({
  table: 'raw.eligibility',
  description: 'Eligibility extract of a payer, one row per member.',
  classification: 'phi',
  owner: 'data-engineering',
  steward: 'payer-steward',
  retention: 'phi-standard',
  columns: {
    member_id: { type: 'string', nullable: false, classification: 'phi', identifier: 'health_plan_number' },
    visits: { type: 'bigint' },
    source_file: { type: 'string' },
    source_position: { type: 'bigint' },
    ingested_at: { type: 'timestamp' },
  },
});

const PIPELINE = `name: eligibility
source: { type: directory, path: inputs }
decode:
  format: csv
  schema:
    columns:
      - { name: member_id, header: "Member ID", type: string, required: true }
      - { name: visits, header: Visits, type: integer }
outputs: [raw.eligibility]
`;

describe('openAwsLake', () => {
  let root: string;
  let scratchParent: string;
  let s3: FakeS3;
  let glueMock: AwsClientStub<GlueClient>;
  const clock = new ManualClock(NOW);

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-aws-lake-test-'));
    scratchParent = join(root, 'tmp');
    await mkdir(scratchParent);
    await mkdir(join(root, 'inputs'));
    await writeFile(join(root, 'inputs', 'eligibility-2026-03.csv'), 'Member ID,Visits\nM001,3\nM002,1\n');
    await writeFile(join(root, 'eligibility.pipeline.yaml'), PIPELINE);
    s3 = fakeS3();
    glueMock = mockClient(GlueClient);
    const glue = new FakeGlue(clock);
    glue.addDatabase('raw');
    glue.attach(glueMock);
  });

  afterEach(async () => {
    s3.restore();
    glueMock.restore();
    await rm(root, { recursive: true, force: true });
  });

  function awsConfig(overrides: Partial<LoadedConfig> = {}): LoadedConfig {
    const config = loadConfig({ cwd: root, env: { CARELAKE_QUERY_THREADS: '1' } });
    return {
      ...config,
      backend: 'aws',
      keys: { provider: 'kms', keyId: KEY_ARN },
      aws: { region: 'eu-west-1', bucket: LAKE_BUCKET, prefix: 'lake', forcePathStyle: false, auditBucket: AUDIT_BUCKET, auditRetentionDays: 30 },
      ...overrides,
    };
  }

  async function runEligibility(): Promise<void> {
    const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
    try {
      const summary = await runPipeline({
        lake,
        pipeline: loadPipelineFile(join(root, 'eligibility.pipeline.yaml')),
        datasets: new Map([[dataset.table, dataset]]),
      });
      expect(summary.rowsByTable['raw.eligibility']).toBe(2);
    } finally {
      await lake.close();
    }
  }

  const lakeKeys = (): string[] => [...(s3.buckets.get(LAKE_BUCKET)?.keys() ?? [])].sort();
  const auditKeys = (): string[] => [...(s3.buckets.get(AUDIT_BUCKET)?.keys() ?? [])].sort();

  it('writes every lake object with SSE-KMS', async () => {
    await runEligibility();

    const lakePuts = s3.puts.filter((put) => put.Bucket === LAKE_BUCKET);
    expect(lakePuts.length).toBeGreaterThanOrEqual(3);
    for (const put of lakePuts) {
      expect(put).toMatchObject({ ServerSideEncryption: 'aws:kms', SSEKMSKeyId: KEY_ARN, BucketKeyEnabled: true });
    }
    expect(lakeKeys().every((key) => key.startsWith('lake/'))).toBe(true);
    expect(lakeKeys().some((key) => key.startsWith('lake/raw/raw/eligibility/') && key.endsWith('.parquet'))).toBe(true);
  });

  it('tags every data file as not held', async () => {
    await runEligibility();

    const dataFiles = [...(s3.buckets.get(LAKE_BUCKET)?.entries() ?? [])].filter(([key]) => key.endsWith('.parquet'));
    expect(dataFiles.length).toBeGreaterThanOrEqual(1);
    for (const [key, object] of dataFiles) expect({ key, tags: object.tags }).toEqual({ key, tags: { 'carelake-hold': 'false' } });
  });

  it('writes commit file with If-None-Match', async () => {
    await runEligibility();

    const commits = s3.puts.filter((put) => put.Key?.startsWith('lake/_state/tables/raw/eligibility/_commits/'));
    expect(commits).toHaveLength(1);
    expect(commits[0]?.IfNoneMatch).toBe('*');
  });

  it('registers table in Glue', async () => {
    await runEligibility();

    const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
    try {
      const table = await lake.catalog.getTable('raw', 'eligibility');
      expect(table?.columns.map((column) => column.name)).toEqual(['member_id', 'visits', 'source_file', 'source_position', 'ingested_at']);
      expect(lake.root).toBe(`s3://${LAKE_BUCKET}/lake/`);
    } finally {
      await lake.close();
    }
  });

  it('mirrors audit segment with Object Lock at close', async () => {
    await runEligibility();

    const segmentKeys = auditKeys().filter((key) => key.startsWith('lake/_audit/cli/segments/'));
    expect(segmentKeys).toHaveLength(1);
    const chunk = s3.buckets.get(AUDIT_BUCKET)?.get(segmentKeys[0] ?? '');
    expect(chunk?.input).toMatchObject({
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date('2026-04-03T05:06:07.000Z'),
      IfNoneMatch: '*',
      ServerSideEncryption: 'aws:kms',
      SSEKMSKeyId: KEY_ARN,
    });
    const actions = (chunk?.body.toString('utf8') ?? '').trim().split('\n').map((line) => (JSON.parse(line) as { action: string }).action);
    expect(actions).toEqual(expect.arrayContaining(['file.land', 'table.commit', 'catalog.table.create', 'pipeline.run']));
    // The run's private folders are gone once the audit chain is in the bucket.
    expect(await readdir(scratchParent)).toEqual([]);
  });

  it('mirrors under the prefix given', async () => {
    const lake = await openAwsLake(awsConfig(), { clock, scratchParent, auditMirrorPrefix: 'eligibility/' });
    await lake.audit.append({ principal: 'runner', action: 'pipeline.run', resources: ['eligibility'], outcome: 'success' });
    const mid = await lake.mirrorAudit();
    await lake.close();

    expect(mid.eventsWritten).toBe(1);
    expect(auditKeys().filter((key) => key.startsWith('eligibility/segments/'))).toHaveLength(1);
    expect(auditKeys().every((key) => key.startsWith('eligibility/'))).toBe(true);
  });

  it('mirrors segments of consecutive runs', async () => {
    for (const run of ['first', 'second']) {
      const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
      await lake.audit.append({ principal: 'runner', action: 'pipeline.run', resources: [run], outcome: 'success' });
      await lake.close();
    }

    const segmentKeys = auditKeys().filter((key) => key.startsWith('lake/_audit/cli/segments/'));
    expect(segmentKeys).toHaveLength(2);
    const resources = segmentKeys.map((key) => {
      const event = JSON.parse(s3.buckets.get(AUDIT_BUCKET)?.get(key)?.body.toString('utf8') ?? '{}') as { resources: string[] };
      return event.resources[0];
    });
    expect(resources.sort()).toEqual(['first', 'second']);
  });

  it('mirrors index records of every run', async () => {
    for (const run of ['first', 'second']) {
      const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
      await lake.audit.append({ principal: 'runner', action: 'pipeline.run', resources: [run], outcome: 'success' });
      await lake.close();
    }

    // Each run's own index chain (its segment's open and close records) gets a folder of its own.
    const indexKeys = auditKeys().filter((key) => key.startsWith('lake/_audit/cli/index/'));
    const segmentIds = auditKeys()
      .filter((key) => key.startsWith('lake/_audit/cli/segments/'))
      .map((key) => key.split('/')[4]);
    expect(indexKeys).toHaveLength(2);
    expect(indexKeys).toEqual(segmentIds.map((id) => `lake/_audit/cli/index/${id}/000000000000-000000000001.jsonl`));
  });

  it('never gives aws.endpoint to Glue', async () => {
    const endpoint = 'http://127.0.0.1:9';
    const lake = await openAwsLake(awsConfig({ aws: { region: 'eu-west-1', bucket: LAKE_BUCKET, prefix: 'lake', endpoint, forcePathStyle: true, auditBucket: AUDIT_BUCKET } }), { clock, scratchParent });
    try {
      await lake.catalog.getTable('raw', 'eligibility');
    } finally {
      await lake.close();
    }

    const glueClient = glueMock.call(0).thisValue as GlueClient;
    expect(glueClient.config.endpoint).toBeUndefined();
    expect(await glueClient.config.region()).toBe('eu-west-1');
  });

  it('fails close and keeps events when mirror fails', async () => {
    const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
    await lake.audit.append({ principal: 'runner', action: 'pipeline.run', resources: ['eligibility'], outcome: 'success' });
    s3.failPuts(AUDIT_BUCKET, 'AccessDenied', 403);

    const error = await lake.close().catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(AuditMirrorError);
    expect((error as AuditMirrorError).message).toContain('AccessDenied (HTTP 403)');
    const auditFolders = (await readdir(scratchParent)).filter((name) => name.startsWith('carelake-audit-'));
    expect(auditFolders).toHaveLength(1);
    const segments = await readdir(join(scratchParent, auditFolders[0] ?? '', 'segments'));
    const events = await readFile(join(scratchParent, auditFolders[0] ?? '', 'segments', segments[0] ?? ''), 'utf8');
    expect(events).toContain('"action":"pipeline.run"');
  });

  it('rejects saved queries clearly', async () => {
    const lake = await openAwsLake(awsConfig(), { clock, scratchParent });
    try {
      await expect(lake.savedQueries.listSavedQueries()).rejects.toThrow(CatalogError);
      await expect(lake.savedQueries.getSavedQuery('daily')).rejects.toThrow('saved queries are not available on the aws backend');
    } finally {
      await lake.close();
    }
  });

  it.each([
    {
      case: 'file key provider',
      overrides: { keys: { provider: 'file' as const, path: '/keys/lake.key', createIfMissing: false } },
      issues: [{ keyPath: 'keys.provider', message: 'is "file"; the aws backend needs "kms", with keys.keyId naming the KMS key of the lake bucket' }],
    },
    {
      case: 'no key provider and no audit bucket',
      overrides: { keys: { provider: 'none' as const }, aws: { region: 'eu-west-1', bucket: LAKE_BUCKET, prefix: '', forcePathStyle: false } },
      issues: [
        { keyPath: 'aws.auditBucket', message: 'is required on the aws backend: the bucket with S3 Object Lock that keeps the audit chain' },
        { keyPath: 'keys.provider', message: 'is "none"; the aws backend needs "kms", with keys.keyId naming the KMS key of the lake bucket' },
      ],
    },
    {
      case: 'plain-http remote endpoint',
      overrides: { aws: { region: 'eu-west-1', bucket: LAKE_BUCKET, prefix: '', endpoint: 'http://s3.example.com', forcePathStyle: false, auditBucket: AUDIT_BUCKET } },
      issues: [{ keyPath: 'aws.endpoint', message: expect.stringContaining('uses plain http:// to s3.example.com') }],
    },
    {
      case: 'plain-http endpoint and file keys',
      overrides: {
        keys: { provider: 'file' as const, path: '/keys/lake.key', createIfMissing: false },
        aws: { region: 'eu-west-1', bucket: LAKE_BUCKET, prefix: '', endpoint: 'http://s3.example.com', forcePathStyle: false, auditBucket: AUDIT_BUCKET },
      },
      issues: [
        { keyPath: 'aws.endpoint', message: expect.stringContaining('uses plain http:// to s3.example.com') },
        { keyPath: 'keys.provider', message: expect.stringContaining('is "file"') },
      ],
    },
  ])('rejects $case before creating anything', async ({ overrides, issues }) => {
    const error = await openLake(awsConfig(overrides), { clock, scratchParent }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).issues).toEqual(issues);
    expect(await readdir(scratchParent)).toEqual([]);
    expect(s3.mock.calls()).toHaveLength(0);
  });
});
