// Real FileAuditLog files mirrored by S3AuditMirror into an in-memory fake bucket behind
// aws-sdk-client-mock; the reader reads back what the mirror put. The clock is a ManualClock.
import path from 'node:path';

import { ManualClock } from '@carelake/core';

import { fakeAuditBucket, type FakeAuditBucket } from '../__fixtures__/fake-audit-bucket';
import { commitEvent, makeTempFolder, removeTempFolder } from '../__fixtures__/audit-fixtures';
import { AuditMirrorError } from '../errors';
import type { AuditEvent } from '../event';
import { FileAuditLog } from '../file-audit-log';
import type { AuditEventFilter } from '../merge-events';
import { readAuditEvents } from '../read-events';
import { readLakeMirroredAuditEvents, readMirroredAuditEvents } from './read-mirror';
import { S3AuditMirror } from './s3-audit-mirror';
import { cliAuditMirrorPrefix, pipelineAuditMirrorPrefix } from './writer-prefixes';

const PREFIX = 'lake/_audit/';

async function collect(events: AsyncIterable<AuditEvent>): Promise<AuditEvent[]> {
  const all: AuditEvent[] = [];
  for await (const event of events) all.push(event);
  return all;
}

/** Two writers whose events interleave in time; the second is mirrored in two runs. */
async function writeAndMirror(dir: string, bucket: FakeAuditBucket): Promise<string[]> {
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const mirror = new S3AuditMirror({
    client: bucket.client,
    bucket: bucket.bucket,
    prefix: PREFIX,
    retentionDays: 30,
    clock,
  });
  const runner = await FileAuditLog.open({ dir, clock, fsync: false });
  const analyst = await FileAuditLog.open({ dir, clock, fsync: false });
  for (let index = 0; index < 4; index += 1) {
    await runner.append(commitEvent(index));
    clock.advance(1000);
    await analyst.append({
      principal: 'analyst-east',
      action: 'query.run',
      resources: [index % 2 === 0 ? 'clinical.encounters' : 'clinical.patients'],
      outcome: 'success',
      details: { rowCount: index },
    });
    clock.advance(1000);
    if (index === 1) await mirror.mirror(dir);
  }
  await runner.close();
  await analyst.close();
  await mirror.mirror(dir);
  return [runner.segmentId, analyst.segmentId];
}

describe('readMirroredAuditEvents', () => {
  let root: string;
  let dir: string;
  let bucket: FakeAuditBucket;
  let segments: string[];

  beforeEach(async () => {
    root = await makeTempFolder();
    dir = path.join(root, '_audit');
    bucket = fakeAuditBucket();
    segments = await writeAndMirror(dir, bucket);
  });

  afterEach(async () => {
    bucket.mock.restore();
    await removeTempFolder(root);
  });

  function readMirror(filter: AuditEventFilter = {}): Promise<AuditEvent[]> {
    return collect(
      readMirroredAuditEvents(
        { client: bucket.client, bucket: bucket.bucket, prefix: PREFIX },
        filter,
      ),
    );
  }

  it.each([
    { case: 'no filter', filter: {}, count: 8 },
    { case: 'principal', filter: { principal: 'analyst-east' }, count: 4 },
    { case: 'table', filter: { resource: 'clinical.patients' }, count: 2 },
    { case: 'action', filter: { action: 'table.commit' }, count: 4 },
    {
      case: 'since and until',
      filter: {
        since: new Date('2026-03-01T09:00:02.000Z'),
        until: new Date('2026-03-01T09:00:05.000Z'),
      },
      count: 3,
    },
    {
      case: 'principal and action',
      filter: { principal: 'analyst-east', action: 'table.commit' },
      count: 0,
    },
  ])('returns local events for $case', async ({ filter, count }) => {
    const mirrored = await readMirror(filter);

    expect(mirrored).toEqual(await collect(readAuditEvents(dir, filter)));
    expect(mirrored).toHaveLength(count);
  });

  it('reads chunks of two runs', async () => {
    const keys = [...bucket.objects.keys()].filter((key) => key.includes(segments[1] ?? '-'));
    expect(keys.map((key) => path.posix.basename(key))).toEqual([
      '000000000000-000000000001.jsonl',
      '000000000002-000000000003.jsonl',
    ]);
    expect((await readMirror({ principal: 'analyst-east' })).map((event) => event.seq)).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it('skips events a second run repeated', async () => {
    const [runner = ''] = segments;
    const first = `${PREFIX}segments/${runner}/000000000000-000000000001.jsonl`;
    const second = `${PREFIX}segments/${runner}/000000000002-000000000003.jsonl`;
    const whole = Buffer.concat([
      bucket.objects.get(first) ?? Buffer.alloc(0),
      bucket.objects.get(second) ?? Buffer.alloc(0),
    ]);
    bucket.objects.set(`${PREFIX}segments/${runner}/000000000000-000000000003.jsonl`, whole);

    expect((await readMirror({ principal: 'runner' })).map((event) => event.seq)).toEqual([
      0, 1, 2, 3,
    ]);
  });

  it.each([
    {
      case: 'edited event',
      tamper: (objects: Map<string, Buffer>, key: string) =>
        objects.set(
          key,
          Buffer.from(
            (objects.get(key) ?? '')
              .toString()
              .replace('"outcome":"success"', '"outcome":"denied"'),
          ),
        ),
      line: 1,
      message: 'hash-mismatch',
    },
    {
      case: 'deleted event',
      tamper: (objects: Map<string, Buffer>, key: string) =>
        objects.set(
          key,
          Buffer.from((objects.get(key) ?? '').toString().split('\n').slice(1).join('\n')),
        ),
      line: 1,
      message: 'prev-mismatch',
    },
    {
      case: 'line not an event',
      tamper: (objects: Map<string, Buffer>, key: string) =>
        objects.set(key, Buffer.from('{"seq":0}\n')),
      line: 1,
      message: 'is not an event',
    },
  ])('rejects $case', async ({ tamper, line, message }) => {
    const key = `${PREFIX}segments/${segments[0] ?? ''}/000000000000-000000000001.jsonl`;
    tamper(bucket.objects, key);

    const failure = readMirror();

    await expect(failure).rejects.toBeInstanceOf(AuditMirrorError);
    await expect(failure).rejects.toMatchObject({
      position: { file: key, line },
      message: expect.stringContaining(message),
    });
  });

  it('rejects missing chunk', async () => {
    const [runner = ''] = segments;
    bucket.objects.delete(`${PREFIX}segments/${runner}/000000000000-000000000001.jsonl`);

    await expect(readMirror()).rejects.toThrow(
      `audit segment ${runner} in the mirror lacks events 0 to 1`,
    );
  });
});

describe('readLakeMirroredAuditEvents', () => {
  let root: string;
  let bucket: FakeAuditBucket;

  beforeEach(async () => {
    root = await makeTempFolder();
    bucket = fakeAuditBucket();
  });

  afterEach(async () => {
    bucket.mock.restore();
    await removeTempFolder(root);
  });

  /** Writers in the order their one event each is written, a minute apart, and their mirror prefix. */
  const WRITERS = [
    { principal: 'analyst-east', prefix: cliAuditMirrorPrefix('east') },
    { principal: 'runner-adt', prefix: pipelineAuditMirrorPrefix('east', 'adt') },
    { principal: 'legacy-cli', prefix: 'east/_audit/' },
    { principal: 'runner-labs', prefix: pipelineAuditMirrorPrefix('east', 'labs') },
    { principal: 'runner-adt', prefix: pipelineAuditMirrorPrefix('east', 'adt') },
    { principal: 'runner-claims', prefix: pipelineAuditMirrorPrefix('east', 'claims') },
    { principal: 'runner-pharmacy', prefix: pipelineAuditMirrorPrefix('east', 'pharmacy') },
  ];

  async function mirrorWriters(): Promise<void> {
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');
    for (const [index, writer] of WRITERS.entries()) {
      // Each event is its own process's segment in its own folder, as each run of a runner is.
      const dir = path.join(root, String(index));
      const log = await FileAuditLog.open({ dir, clock, fsync: false });
      await log.append({ ...commitEvent(index), principal: writer.principal });
      await log.close();
      clock.advance(60_000);
      const mirror = new S3AuditMirror({
        client: bucket.client,
        bucket: bucket.bucket,
        prefix: writer.prefix,
        retentionDays: 30,
        clock,
      });
      await mirror.mirror(dir, { indexId: log.segmentId });
    }
  }

  function readLake(filter: AuditEventFilter = {}): Promise<AuditEvent[]> {
    return collect(
      readLakeMirroredAuditEvents(
        { client: bucket.client, bucket: bucket.bucket, lakePrefix: 'east' },
        filter,
      ),
    );
  }

  it('merges every writer in time order', async () => {
    await mirrorWriters();

    const events = await readLake();

    expect(events.map((event) => event.principal)).toEqual(
      WRITERS.map((writer) => writer.principal),
    );
  });

  it('filters across writers', async () => {
    await mirrorWriters();

    expect(await readLake({ principal: 'runner-adt' })).toHaveLength(2);
  });

  it('leaves out other lakes', async () => {
    await mirrorWriters();
    const other = new ManualClock('2026-03-01T08:00:00.000Z');
    const dir = path.join(root, 'west');
    const log = await FileAuditLog.open({ dir, clock: other, fsync: false });
    await log.append({ ...commitEvent(0), principal: 'analyst-west' });
    await log.close();
    await new S3AuditMirror({
      client: bucket.client,
      bucket: bucket.bucket,
      prefix: pipelineAuditMirrorPrefix('west', 'adt'),
      retentionDays: 30,
      clock: other,
    }).mirror(dir);

    expect((await readLake()).map((event) => event.principal)).not.toContain('analyst-west');
  });

  it('rejects a break in a runner chain', async () => {
    await mirrorWriters();
    const key = [...bucket.objects.keys()].find((candidate) =>
      candidate.startsWith(`${pipelineAuditMirrorPrefix('east', 'claims')}segments/`),
    );
    bucket.objects.set(key ?? '', Buffer.from('{"seq":0}\n'));

    await expect(readLake()).rejects.toMatchObject({
      position: { file: key, line: 1 },
      message: expect.stringContaining('is not an event'),
    });
  });
});
