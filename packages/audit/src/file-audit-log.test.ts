// Real files in a temp folder; only the clock is faked (ManualClock).
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { canonicalJson, ManualClock, sha256Hex } from '@carelake/core';
import { AuditError, InvalidAuditEventError } from './errors';
import { FileAuditLog } from './file-audit-log';
import { verifyAuditLog } from './verify';
import {
  commitEvent,
  makeTempFolder,
  readLines,
  removeTempFolder,
} from './__fixtures__/audit-fixtures';

describe('FileAuditLog', () => {
  let dir: string;
  let clock: ManualClock;

  beforeEach(async () => {
    dir = path.join(await makeTempFolder(), '_audit');
    clock = new ManualClock('2026-03-01T09:30:00.125Z');
  });

  afterEach(async () => {
    await removeTempFolder(path.dirname(dir));
  });

  it('names segment by start time', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    await log.close();

    expect(log.segmentId).toMatch(new RegExp(`^20260301T093000125Z-${process.pid}-[0-9a-f]{8}$`));
    expect(await readdir(path.join(dir, 'segments'))).toEqual([`${log.segmentId}.jsonl`]);
  });

  it('chains events from the genesis hash', async () => {
    const log = await FileAuditLog.open({ dir, clock });
    const first = await log.append(commitEvent(1));
    clock.advance(1500);
    const second = await log.append(commitEvent(2));
    await log.close();

    expect(first.seq).toBe(0);
    expect(first.prev).toBe(sha256Hex(`carelake-audit-v1:${log.segmentId}`));
    expect(second.seq).toBe(1);
    expect(second.prev).toBe(first.hash);
    expect(second.time).toBe('2026-03-01T09:30:01.625Z');
    const { hash, ...withoutHash } = second;
    expect(hash).toBe(sha256Hex(canonicalJson(withoutHash)));
  });

  it('writes each event as one JSON line', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    const event = await log.append(commitEvent(7, 'analyst'));
    await log.close();

    const lines = await readLines(path.join(dir, 'segments', `${log.segmentId}.jsonl`));
    expect(lines).toHaveLength(1);
    expect(lines.map((line) => JSON.parse(line))).toEqual([event]);
    expect(event).toMatchObject({
      time: '2026-03-01T09:30:00.125Z',
      segment: log.segmentId,
      principal: 'analyst',
      action: 'table.commit',
      outcome: 'success',
      details: { rowCount: 47, commit_id: 'c-7', replayed: false },
    });
  });

  it('records open and close in the index', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    await log.append(commitEvent(1));
    const last = await log.append(commitEvent(2));
    await log.close();

    const records = (await readLines(path.join(dir, 'index.jsonl'))).map((line) =>
      JSON.parse(line),
    );
    expect(records.map(({ seq, kind, segment }) => ({ seq, kind, segment }))).toEqual([
      { seq: 0, kind: 'open', segment: log.segmentId },
      { seq: 1, kind: 'close', segment: log.segmentId },
    ]);
    expect(records[0].prev).toBe(sha256Hex('carelake-audit-v1:index'));
    expect(records[1].prev).toBe(records[0].hash);
    expect(records[1]).toMatchObject({ lastSeq: 1, lastHash: last.hash });
  });

  it('closes an empty segment with its genesis hash', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    await log.close();

    const records = (await readLines(path.join(dir, 'index.jsonl'))).map((line) =>
      JSON.parse(line),
    );
    expect(records[1].lastSeq).toBeUndefined();
    expect(records[1].lastHash).toBe(sha256Hex(`carelake-audit-v1:${log.segmentId}`));
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, segments: 1, events: 0 });
  });

  it('keeps call order of concurrent appends', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    const events = await Promise.all(
      Array.from({ length: 20 }, (_, index) => log.append(commitEvent(index))),
    );
    await log.close();

    expect(events.map((event) => event.seq)).toEqual(
      Array.from({ length: 20 }, (_, index) => index),
    );
    expect(events.map((event) => event.details['commit_id'])).toEqual(
      Array.from({ length: 20 }, (_, index) => `c-${index}`),
    );
    expect(await verifyAuditLog(dir)).toMatchObject({ ok: true, events: 20 });
  });

  it('gives each instance its own chain', async () => {
    const listener = await FileAuditLog.open({ dir, clock, fsync: false });
    const consumer = await FileAuditLog.open({ dir, clock, fsync: false });
    await Promise.all([
      ...Array.from({ length: 25 }, (_, index) =>
        listener.append(commitEvent(index, 'mllp-listener')),
      ),
      ...Array.from({ length: 25 }, (_, index) =>
        consumer.append(commitEvent(index, 'stream-consumer')),
      ),
    ]);
    await Promise.all([listener.close(), consumer.close()]);

    expect(listener.segmentId).not.toBe(consumer.segmentId);
    expect(await verifyAuditLog(dir)).toEqual({ ok: true, segments: 2, events: 50, problems: [] });
  });

  it('rejects an invalid event and writes nothing', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    const invalid = { ...commitEvent(1), details: { rowCount: Number.NaN } };

    await expect(log.append(invalid)).rejects.toBeInstanceOf(InvalidAuditEventError);
    const next = await log.append(commitEvent(2));
    await log.close();

    expect(next.seq).toBe(0);
    expect(await readLines(path.join(dir, 'segments', `${log.segmentId}.jsonl`))).toHaveLength(1);
  });

  it('stores a copy of the caller details', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    const details = { rowCount: 41 };
    const input = { ...commitEvent(1), details };
    const appending = log.append(input);
    details.rowCount = 999;
    input.resources.push('clinical.patients');
    const event = await appending;
    await log.close();

    expect(event.details['rowCount']).toBe(41);
    expect(event.resources).toEqual([
      'clinical.encounters',
      '_state/tables/clinical/encounters/1.json',
    ]);
  });

  it('rejects appends after close', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    await log.close();
    await log.close();

    await expect(log.append(commitEvent(1))).rejects.toThrow(AuditError);
    await expect(log.append(commitEvent(1))).rejects.toThrow(
      `audit segment ${log.segmentId} is closed`,
    );
  });

  it('writes appends issued before close, then closes', async () => {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    const appending = log.append(commitEvent(1));
    const closing = log.close();
    await expect(appending).resolves.toMatchObject({ seq: 0 });
    await closing;

    const records = (await readLines(path.join(dir, 'index.jsonl'))).map((line) =>
      JSON.parse(line),
    );
    expect(records[1]).toMatchObject({ kind: 'close', lastSeq: 0 });
  });
});
