// Real segment files in a temp folder; only the clock is faked (ManualClock).
import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { ManualClock } from '@carelake/core';
import { AuditError } from './errors';
import type { AuditEvent } from './event';
import { FileAuditLog } from './file-audit-log';
import { readAuditEvents, type AuditEventFilter } from './read-events';
import { commitEvent, makeTempFolder, removeTempFolder } from './__fixtures__/audit-fixtures';

async function collect(events: AsyncIterable<AuditEvent>): Promise<string[]> {
  const labels: string[] = [];
  for await (const event of events)
    labels.push(`${event.principal}#${event.seq}@${event.time.slice(11, 19)}`);
  return labels;
}

describe('readAuditEvents', () => {
  let root: string;
  let dir: string;

  beforeAll(async () => {
    root = await makeTempFolder();
    dir = path.join(root, '_audit');
    const clock = new ManualClock('2026-03-01T09:00:00.000Z');

    // A listener runs all along; a query process starts later and overlaps it.
    const listener = await FileAuditLog.open({ dir, clock, fsync: false });
    await listener.append(commitEvent(1, 'mllp-listener'));
    clock.advance(10_000);
    const query = await FileAuditLog.open({ dir, clock, fsync: false });
    await query.append({
      principal: 'analyst',
      action: 'query.run',
      resources: ['clinical.patients'],
      outcome: 'denied',
    });
    clock.advance(10_000);
    await listener.append(commitEvent(2, 'mllp-listener'));
    clock.advance(10_000);
    await query.append({
      principal: 'analyst',
      action: 'query.run',
      resources: ['clinical.encounters'],
      outcome: 'success',
    });
    await query.close();
    clock.advance(10_000);
    await listener.append(commitEvent(3, 'mllp-listener'));
    await listener.close();
  });

  afterAll(async () => {
    await removeTempFolder(root);
  });

  it('merges segments in time order', async () => {
    expect(await collect(readAuditEvents(dir))).toEqual([
      'mllp-listener#0@09:00:00',
      'analyst#0@09:00:10',
      'mllp-listener#1@09:00:20',
      'analyst#1@09:00:30',
      'mllp-listener#2@09:00:40',
    ]);
  });

  it.each<{ case: string; filter: AuditEventFilter; expected: string[] }>([
    {
      case: 'principal',
      filter: { principal: 'analyst' },
      expected: ['analyst#0@09:00:10', 'analyst#1@09:00:30'],
    },
    { case: 'outcome', filter: { outcome: 'denied' }, expected: ['analyst#0@09:00:10'] },
    {
      case: 'resource',
      filter: { resource: 'clinical.encounters' },
      expected: [
        'mllp-listener#0@09:00:00',
        'mllp-listener#1@09:00:20',
        'analyst#1@09:00:30',
        'mllp-listener#2@09:00:40',
      ],
    },
    {
      case: 'time range',
      filter: {
        since: new Date('2026-03-01T09:00:10.000Z'),
        until: new Date('2026-03-01T09:00:30.000Z'),
      },
      expected: ['analyst#0@09:00:10', 'mllp-listener#1@09:00:20'],
    },
    {
      case: 'action',
      filter: {
        action: 'table.commit',
        principal: 'mllp-listener',
        until: new Date('2026-03-01T09:00:01.000Z'),
      },
      expected: ['mllp-listener#0@09:00:00'],
    },
  ])('filters by $case', async ({ filter, expected }) => {
    expect(await collect(readAuditEvents(dir, filter))).toEqual(expected);
  });

  it('yields nothing for a missing folder', async () => {
    expect(await collect(readAuditEvents(path.join(root, 'no-such-folder')))).toEqual([]);
  });

  it('rejects a malformed segment line', async () => {
    const damagedRoot = await makeTempFolder();
    try {
      const damagedDir = path.join(damagedRoot, '_audit');
      const log = await FileAuditLog.open({
        dir: damagedDir,
        clock: new ManualClock(),
        fsync: false,
      });
      await log.append(commitEvent(1));
      await log.close();
      await appendFile(path.join(damagedDir, 'segments', `${log.segmentId}.jsonl`), '{"seq": 1,\n');

      const reading = collect(readAuditEvents(damagedDir));
      await expect(reading).rejects.toBeInstanceOf(AuditError);
      await expect(collect(readAuditEvents(damagedDir))).rejects.toMatchObject({
        position: { file: path.join(damagedDir, 'segments', `${log.segmentId}.jsonl`), line: 2 },
      });
    } finally {
      await removeTempFolder(damagedRoot);
    }
  });
});
