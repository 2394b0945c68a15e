// Real audit segments in a temp folder written by FileAuditLog; the audit bucket is an
// in-memory map behind aws-sdk-client-mock on a real S3Client.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, type PutObjectCommandInput } from '@aws-sdk/client-s3';
import { FileAuditLog, S3AuditMirror, pipelineAuditMirrorPrefix } from '@carelake/audit';
import { ConfigError, ManualClock, configSchema, type LoadedConfig } from '@carelake/core';
import { mockClient } from 'aws-sdk-client-mock';
import { mirrorAudit, queryAudit, type AuditQueryOptions } from './audit';

function fakeBucket(): { client: S3Client; objects: Map<string, string>; puts: PutObjectCommandInput[]; restore(): void } {
  const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'not-real' } });
  const mock = mockClient(client);
  const objects = new Map<string, string>();
  const puts: PutObjectCommandInput[] = [];
  mock.on(PutObjectCommand).callsFake((input: PutObjectCommandInput) => {
    puts.push(input);
    objects.set(input.Key ?? '', (input.Body as Buffer).toString('utf8'));
    return {};
  });
  mock.on(ListObjectsV2Command).callsFake((input: { Prefix?: string; Delimiter?: string }) => {
    const prefix = input.Prefix ?? '';
    const keys = [...objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    if (input.Delimiter === undefined) return { Contents: keys.map((Key) => ({ Key })), IsTruncated: false };
    // S3 rolls the keys below the next delimiter up into one common prefix.
    const folders = keys.map((key) => key.slice(0, key.indexOf(input.Delimiter ?? '/', prefix.length) + 1)).filter((folder) => folder !== '');
    return { CommonPrefixes: [...new Set(folders)].map((Prefix) => ({ Prefix })), IsTruncated: false };
  });
  mock.on(GetObjectCommand).callsFake((input: { Key?: string }) => ({
    Body: { transformToString: async () => objects.get(input.Key ?? '') ?? '' },
  }));
  return { client, objects, puts, restore: () => mock.restore() };
}

function configFor(lakeRoot: string, backend: 'local' | 'aws', aws: Record<string, unknown> = {}): LoadedConfig {
  const config = configSchema.parse({ backend, aws: { region: 'eu-west-1', bucket: 'carelake-lake', prefix: 'east', ...aws } });
  return { ...config, lakeRoot, sourceFile: undefined };
}

describe('audit command on aws', () => {
  let lakeRoot: string;
  let bucket: ReturnType<typeof fakeBucket>;

  beforeEach(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), 'carelake-cli-audit-'));
    bucket = fakeBucket();
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    const log = await FileAuditLog.open({ dir: join(lakeRoot, '_audit'), clock, fsync: false });
    for (const [principal, action, table] of [
      ['runner', 'table.commit', 'clinical.encounters'],
      ['analyst-east', 'query.run', 'clinical.encounters'],
      ['analyst-east', 'query.run', 'clinical.patients'],
    ] as const) {
      await log.append({ principal, action, resources: [table], outcome: 'success', details: { rowCount: 3 } });
      clock.advance(60_000);
    }
    await log.close();
  });

  afterEach(async () => {
    bucket.restore();
    await rm(lakeRoot, { recursive: true, force: true });
  });

  it.each([
    { case: 'principal', options: { principal: 'analyst-east' }, count: 2 },
    { case: 'table', options: { resource: 'clinical.patients' }, count: 1 },
    { case: 'action', options: { action: 'table.commit' }, count: 1 },
    { case: 'time window', options: { since: new Date('2026-03-01T09:01:00.000Z'), until: new Date('2026-03-01T09:02:00.000Z') }, count: 1 },
  ])('queries mirror by $case like local', async ({ options, count }) => {
    const aws = configFor(lakeRoot, 'aws', { auditBucket: 'carelake-audit' });
    expect(await mirrorAudit(aws, () => undefined, { s3: bucket.client })).toBe(0);
    const query: AuditQueryOptions = { ...options, format: 'jsonl' };

    const fromMirror: string[] = [];
    const fromLake: string[] = [];
    const mirrorCount = await queryAudit(aws, query, (line) => fromMirror.push(line), { s3: bucket.client });
    await queryAudit(configFor(lakeRoot, 'local'), query, (line) => fromLake.push(line));

    expect(mirrorCount).toBe(count);
    expect(fromMirror).toEqual(fromLake);
  });

  it('mirrors under the CLI prefix', async () => {
    const lines: string[] = [];
    await mirrorAudit(configFor(lakeRoot, 'aws', { auditBucket: 'carelake-audit' }), (line) => lines.push(line), { s3: bucket.client });

    expect([...bucket.objects.keys()].every((key) => key.startsWith('east/_audit/cli/'))).toBe(true);
    expect(lines[0]).toBe(
      'audit mirror: 3 event(s) and 2 index record(s) in 2 new chunk(s) to s3://carelake-audit/east/_audit/cli/; 0 segment(s) already mirrored',
    );
  });

  it('queries runner chains with CLI chains', async () => {
    const aws = configFor(lakeRoot, 'aws', { auditBucket: 'carelake-audit' });
    await mirrorAudit(aws, () => undefined, { s3: bucket.client });
    // A runner's run between the CLI's first and second event, mirrored as the runner does.
    const runnerDir = join(lakeRoot, 'runner-tmp');
    const clock = new ManualClock('2026-03-01T09:00:30.000Z');
    const runner = await FileAuditLog.open({ dir: runnerDir, clock, fsync: false });
    await runner.append({ principal: 'runner-adt', action: 'table.commit', resources: ['clinical.patients'], outcome: 'success', details: { rowCount: 1 } });
    await runner.close();
    await new S3AuditMirror({ client: bucket.client, bucket: 'carelake-audit', prefix: pipelineAuditMirrorPrefix('east', 'adt'), retentionDays: 30, clock }).mirror(runnerDir, { indexId: runner.segmentId });

    const lines: string[] = [];
    const count = await queryAudit(aws, { format: 'jsonl' }, (line) => lines.push(line), { s3: bucket.client });

    expect(count).toBe(4);
    expect(lines.map((line) => (JSON.parse(line) as { principal: string }).principal)).toEqual(['runner', 'runner-adt', 'analyst-east', 'analyst-east']);
  });

  it.each([
    { case: 'configured', aws: { auditRetentionDays: 30 }, days: 30 },
    { case: 'default', aws: {}, days: 2190 },
  ])('locks chunks for $case retention', async ({ aws, days }) => {
    const before = Date.now();
    await mirrorAudit(configFor(lakeRoot, 'aws', { auditBucket: 'carelake-audit', ...aws }), () => undefined, { s3: bucket.client });
    const after = Date.now();

    expect(bucket.puts).toHaveLength(2);
    for (const put of bucket.puts) {
      const retainUntilMs = put.ObjectLockRetainUntilDate?.getTime() ?? 0;
      expect(put.ObjectLockMode).toBe('COMPLIANCE');
      expect(retainUntilMs).toBeGreaterThanOrEqual(before + days * 86_400_000);
      expect(retainUntilMs).toBeLessThanOrEqual(after + days * 86_400_000);
    }
  });

  it('sends SSE-KMS with kms keys', async () => {
    const keyId = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const config = { ...configFor(lakeRoot, 'aws', { auditBucket: 'carelake-audit' }), keys: { provider: 'kms' as const, keyId } };

    await mirrorAudit(config, () => undefined, { s3: bucket.client });

    expect(bucket.puts.map((put) => put.SSEKMSKeyId)).toEqual([keyId, keyId]);
  });

  it('requires aws.auditBucket', async () => {
    const failure = queryAudit(configFor(lakeRoot, 'aws'), { format: 'text' }, () => undefined, { s3: bucket.client });

    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toMatchObject({ issues: [expect.objectContaining({ keyPath: 'aws.auditBucket' })] });
  });
});
