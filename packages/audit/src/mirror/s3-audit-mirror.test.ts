// Real FileAuditLog files in a temp folder; the S3 bucket is an in-memory fake behind
// aws-sdk-client-mock, and the clock is a ManualClock.
import { createHash } from 'node:crypto';
import { appendFile, readFile } from 'node:fs/promises';
import path from 'node:path';

import { ManualClock } from '@carelake/core';

import { fakeAuditBucket, s3Error, type FakeAuditBucket } from '../__fixtures__/fake-audit-bucket';
import {
  commitEvent,
  makeTempFolder,
  readLines,
  removeTempFolder,
  writeLines,
} from '../__fixtures__/audit-fixtures';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { AuditMirrorError } from '../errors';
import { FileAuditLog } from '../file-audit-log';
import { S3AuditMirror } from './s3-audit-mirror';

const START = '2026-03-01T09:00:00.000Z';
const RETENTION_DAYS = 2190;
const KMS_KEY_ARN = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

interface Lake {
  dir: string;
  clock: ManualClock;
  /** Closed segment with 5 events. */
  closed: string;
  /** Segment still open, with 3 events so far. */
  open: FileAuditLog;
}

async function writeLake(dir: string): Promise<Lake> {
  const clock = new ManualClock(START);
  const first = await FileAuditLog.open({ dir, clock, fsync: false });
  for (let index = 0; index < 5; index += 1) {
    await first.append(commitEvent(index));
    clock.advance(1000);
  }
  await first.close();
  const open = await FileAuditLog.open({ dir, clock, fsync: false });
  for (let index = 0; index < 3; index += 1) {
    await open.append(commitEvent(index, 'analyst-east'));
    clock.advance(1000);
  }
  return { dir, clock, closed: first.segmentId, open };
}

function putKeys(bucket: FakeAuditBucket): string[] {
  return bucket.puts.map((put) => put.Key ?? '');
}

describe('S3AuditMirror', () => {
  let root: string;
  let lake: Lake;
  let bucket: FakeAuditBucket;

  beforeEach(async () => {
    root = await makeTempFolder();
    lake = await writeLake(path.join(root, '_audit'));
    bucket = fakeAuditBucket();
  });

  afterEach(async () => {
    await lake.open.close();
    bucket.mock.restore();
    await removeTempFolder(root);
  });

  function newMirror(options: { kmsKeyId?: string } = {}): S3AuditMirror {
    return new S3AuditMirror({
      client: bucket.client,
      bucket: bucket.bucket,
      prefix: 'lake/_audit',
      retentionDays: RETENTION_DAYS,
      clock: lake.clock,
      ...options,
    });
  }

  it('puts each chain as locked chunks', async () => {
    const result = await newMirror().mirror(lake.dir);

    expect(result).toEqual({
      chunksWritten: 3,
      chunksFound: 0,
      eventsWritten: 8,
      indexRecordsWritten: 3,
      segmentsSkipped: 0,
      problems: [],
    });
    expect(putKeys(bucket)).toEqual([
      `lake/_audit/segments/${lake.closed}/000000000000-000000000004.jsonl`,
      `lake/_audit/segments/${lake.open.segmentId}/000000000000-000000000002.jsonl`,
      'lake/_audit/index/000000000000-000000000002.jsonl',
    ]);
  });

  it('sends Object Lock compliance mode', async () => {
    const mirrorTime = lake.clock.now().getTime();
    await newMirror().mirror(lake.dir);

    const [put] = bucket.puts;
    const body = put?.Body as Buffer;
    expect(put).toMatchObject({
      Bucket: 'carelake-audit-test',
      ContentType: 'application/x-ndjson',
      ObjectLockMode: 'COMPLIANCE',
      ChecksumAlgorithm: 'SHA256',
      IfNoneMatch: '*',
    });
    expect(put?.ObjectLockRetainUntilDate).toEqual(
      new Date(mirrorTime + RETENTION_DAYS * 86_400_000),
    );
    expect(put?.ChecksumSHA256).toBe(createHash('sha256').update(body).digest('base64'));
    expect(put).not.toHaveProperty('ServerSideEncryption');
  });

  it('copies segment lines unchanged', async () => {
    await newMirror().mirror(lake.dir);

    const local = await readFile(path.join(lake.dir, 'segments', `${lake.closed}.jsonl`));
    const mirrored = bucket.objects.get(
      `lake/_audit/segments/${lake.closed}/000000000000-000000000004.jsonl`,
    );
    expect(mirrored?.equals(local)).toBe(true);
  });

  it('sends SSE-KMS when given a key', async () => {
    await newMirror({ kmsKeyId: KMS_KEY_ARN }).mirror(lake.dir);

    expect(bucket.puts).toHaveLength(3);
    for (const put of bucket.puts) {
      expect(put).toMatchObject({
        ServerSideEncryption: 'aws:kms',
        SSEKMSKeyId: KMS_KEY_ARN,
        BucketKeyEnabled: true,
      });
    }
  });

  it('writes nothing on re-run', async () => {
    await newMirror().mirror(lake.dir);
    bucket.puts.length = 0;

    const result = await newMirror().mirror(lake.dir);

    expect(bucket.puts).toEqual([]);
    expect(result).toMatchObject({ chunksWritten: 0, eventsWritten: 0, segmentsSkipped: 1 });
  });

  it('copies only new events of an open segment', async () => {
    await newMirror().mirror(lake.dir);
    await lake.open.append(commitEvent(3, 'analyst-east'));
    await lake.open.append(commitEvent(4, 'analyst-east'));
    bucket.puts.length = 0;

    const afterAppend = await newMirror().mirror(lake.dir);
    await lake.open.close();
    const afterClose = await newMirror().mirror(lake.dir);

    expect(afterAppend).toMatchObject({
      eventsWritten: 2,
      indexRecordsWritten: 0,
      segmentsSkipped: 1,
    });
    expect(afterClose).toMatchObject({
      eventsWritten: 0,
      indexRecordsWritten: 1,
      segmentsSkipped: 2,
    });
    expect(putKeys(bucket)).toEqual([
      `lake/_audit/segments/${lake.open.segmentId}/000000000003-000000000004.jsonl`,
      'lake/_audit/index/000000000003-000000000003.jsonl',
    ]);
  });

  it('leaves out a partly written line', async () => {
    const segmentPath = path.join(lake.dir, 'segments', `${lake.open.segmentId}.jsonl`);
    await appendFile(segmentPath, '{"seq":3,"time":"2026-03-01T09:');

    await newMirror().mirror(lake.dir);

    expect(putKeys(bucket)).toContain(
      `lake/_audit/segments/${lake.open.segmentId}/000000000000-000000000002.jsonl`,
    );
  });

  it('counts chunk already present', async () => {
    const key = `lake/_audit/segments/${lake.closed}/000000000000-000000000004.jsonl`;
    // The put finds the key taken although the listing did not show it, as when another run wrote it meanwhile.
    bucket.mock.on(PutObjectCommand, { Key: key }).rejectsOnce(s3Error('PreconditionFailed', 412));

    const result = await newMirror().mirror(lake.dir);

    expect(result).toMatchObject({ chunksWritten: 2, chunksFound: 1 });
  });

  it('stops a chain at an edited line', async () => {
    const segmentPath = path.join(lake.dir, 'segments', `${lake.closed}.jsonl`);
    const lines = await readLines(segmentPath);
    lines[3] = (lines[3] ?? '').replace('"outcome":"success"', '"outcome":"failure"');
    await writeLines(segmentPath, lines);

    const result = await newMirror().mirror(lake.dir);

    expect(result.problems).toEqual([
      expect.objectContaining({ reason: 'hash-mismatch', segment: lake.closed, line: 4, seq: 3 }),
    ]);
    expect(putKeys(bucket)).toContain(
      `lake/_audit/segments/${lake.closed}/000000000000-000000000002.jsonl`,
    );
    expect(result.eventsWritten).toBe(6);
  });

  it('keeps index of each run apart', async () => {
    // Each run starts a new index chain at seq 0 in its own folder, as a runner on Lambda does.
    const runs: Array<{ dir: string; segmentId: string }> = [];
    for (const run of ['run-1', 'run-2']) {
      const dir = path.join(root, run);
      const log = await FileAuditLog.open({ dir, clock: lake.clock, fsync: false });
      await log.append(commitEvent(0));
      await log.close();
      runs.push({ dir, segmentId: log.segmentId });
    }

    const results = [];
    for (const run of runs) {
      results.push(await newMirror().mirror(run.dir, { indexId: run.segmentId }));
    }
    const shared = await newMirror().mirror(lake.dir);

    expect(results.map((result) => result.indexRecordsWritten)).toEqual([2, 2]);
    expect(shared.indexRecordsWritten).toBe(3);
    expect(putKeys(bucket).filter((key) => key.includes('/index/'))).toEqual([
      `lake/_audit/index/${runs[0]?.segmentId}/000000000000-000000000001.jsonl`,
      `lake/_audit/index/${runs[1]?.segmentId}/000000000000-000000000001.jsonl`,
      'lake/_audit/index/000000000000-000000000002.jsonl',
    ]);
  });

  it.each([
    {
      case: 'InvalidRequest',
      name: 'InvalidRequest',
      status: 400,
      hint: expect.stringContaining('created with S3 Object Lock enabled'),
    },
    {
      case: 'AccessDenied',
      name: 'AccessDenied',
      status: 403,
      hint: expect.stringContaining('created with S3 Object Lock enabled'),
    },
    { case: 'InternalError', name: 'InternalError', status: 500, hint: undefined },
  ])('maps $case', async ({ name, status, hint }) => {
    bucket.mock.on(PutObjectCommand).rejects(s3Error(name, status));

    const failure = newMirror().mirror(lake.dir);

    await expect(failure).rejects.toBeInstanceOf(AuditMirrorError);
    await expect(failure).rejects.toMatchObject({
      message: `S3 PutObject of audit chunk lake/_audit/segments/${lake.closed}/000000000000-000000000004.jsonl to bucket carelake-audit-test failed: ${name} (HTTP ${status})`,
      hint,
    });
  });

  it.each([
    { case: 'zero', retentionDays: 0 },
    { case: 'a fraction', retentionDays: 1.5 },
  ])('rejects retention of $case days', ({ retentionDays }) => {
    expect(
      () => new S3AuditMirror({ client: bucket.client, bucket: bucket.bucket, retentionDays }),
    ).toThrow(
      `audit mirror retention must be a whole number of days, at least 1; found ${retentionDays}`,
    );
  });
});
