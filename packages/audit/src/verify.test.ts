// Real segment and index files in a temp folder, damaged by editing them as an intruder
// would; only the clock is faked (ManualClock).
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ManualClock } from '@carelake/core';
import { computeRecordHash, genesisHash } from './chain';
import type { AuditEvent } from './event';
import { FileAuditLog } from './file-audit-log';
import { verifyAuditLog } from './verify';
import { formatAuditProblem, type AuditProblem } from './verify-result';
import {
  commitEvent,
  makeTempFolder,
  readLines,
  removeTempFolder,
  writeLines,
} from './__fixtures__/audit-fixtures';

interface SampleLog {
  dir: string;
  /** Segment ids in start order: the first has 5 events, the second 4. */
  first: string;
  second: string;
}

async function writeSampleLog(dir: string): Promise<SampleLog> {
  const clock = new ManualClock('2026-03-01T09:00:00.000Z');
  const segmentIds: string[] = [];
  for (const count of [5, 4]) {
    const log = await FileAuditLog.open({ dir, clock, fsync: false });
    for (let index = 0; index < count; index += 1) {
      await log.append(commitEvent(index));
      clock.advance(1000);
    }
    await log.close();
    segmentIds.push(log.segmentId);
    clock.advance(60_000);
  }
  const [first = '', second = ''] = segmentIds;
  return { dir, first, second };
}

function segmentFilePath(log: SampleLog, segmentId: string): string {
  return path.join(log.dir, 'segments', `${segmentId}.jsonl`);
}

/** Rewrite the lines of a segment through `change`, as someone editing the file would. */
async function editSegment(
  log: SampleLog,
  segmentId: string,
  change: (lines: string[]) => string[],
): Promise<void> {
  const filePath = segmentFilePath(log, segmentId);
  await writeLines(filePath, change(await readLines(filePath)));
}

/** Re-seal events after an edit, as an intruder familiar with the format would. */
function rechain(segmentId: string, events: AuditEvent[]): string[] {
  let prev = genesisHash(segmentId);
  return events.map((event) => {
    const unsealed = { ...event, prev, hash: undefined };
    const sealed = { ...unsealed, hash: computeRecordHash(unsealed) };
    prev = sealed.hash;
    return JSON.stringify(sealed);
  });
}

/** Drop the message of each problem; the tests check messages separately. */
function summarize(problems: AuditProblem[]): Array<Omit<AuditProblem, 'message'>> {
  return problems.map(({ message: _message, ...rest }) => rest);
}

describe('verifyAuditLog', () => {
  let root: string;
  let log: SampleLog;

  beforeEach(async () => {
    root = await makeTempFolder();
    log = await writeSampleLog(path.join(root, '_audit'));
  });

  afterEach(async () => {
    await removeTempFolder(root);
  });

  it('accepts a clean log', async () => {
    expect(await verifyAuditLog(log.dir)).toEqual({
      ok: true,
      segments: 2,
      events: 9,
      problems: [],
    });
  });

  it('accepts a segment that is still open', async () => {
    const writer = await FileAuditLog.open({ dir: log.dir, fsync: false });
    await writer.append(commitEvent(1));

    expect(await verifyAuditLog(log.dir)).toEqual({
      ok: true,
      segments: 3,
      events: 10,
      problems: [],
    });
    await writer.close();
  });

  it.each([
    { case: 'a missing folder', prepare: (dir: string) => rm(dir, { recursive: true }) },
    {
      case: 'an empty folder',
      prepare: async (dir: string) => {
        await rm(dir, { recursive: true });
        await mkdir(dir);
      },
    },
  ])('accepts $case as an empty log', async ({ prepare }) => {
    await prepare(log.dir);
    expect(await verifyAuditLog(log.dir)).toEqual({
      ok: true,
      segments: 0,
      events: 0,
      problems: [],
    });
  });

  it.each([
    {
      case: 'outcome edited',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) =>
          lines.map((line, index) =>
            index === 2 ? line.replace('"outcome":"success"', '"outcome":"failure"') : line,
          ),
        ),
      expected: (sample: SampleLog) => [
        {
          reason: 'hash-mismatch',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 3,
          seq: 2,
        },
      ],
    },
    {
      case: 'middle line deleted',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) => lines.filter((_, index) => index !== 2)),
      expected: (sample: SampleLog) => [
        {
          reason: 'prev-mismatch',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 3,
          seq: 3,
        },
      ],
    },
    {
      case: 'two lines swapped',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.second, (lines) =>
          [0, 2, 1, 3].map((index) => lines[index] ?? ''),
        ),
      expected: (sample: SampleLog) =>
        [
          { line: 2, seq: 2 },
          { line: 3, seq: 1 },
          { line: 4, seq: 3 },
        ].map((at) => ({
          reason: 'prev-mismatch',
          file: `segments/${sample.second}.jsonl`,
          segment: sample.second,
          ...at,
        })),
    },
    {
      case: 'line deleted and the rest re-hashed',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) =>
          rechain(
            sample.first,
            lines.filter((_, index) => index !== 1).map((line) => JSON.parse(line) as AuditEvent),
          ),
        ),
      expected: (sample: SampleLog) => [
        {
          reason: 'seq-gap',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 2,
          seq: 2,
        },
        {
          reason: 'truncated-segment',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 4,
          seq: 4,
        },
      ],
    },
    {
      case: 'last line removed',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) => lines.slice(0, -1)),
      expected: (sample: SampleLog) => [
        {
          reason: 'truncated-segment',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 4,
          seq: 3,
        },
      ],
    },
    {
      case: 'last line cut short',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) => [
          ...lines.slice(0, -1),
          (lines.at(-1) ?? '').slice(0, 40),
        ]),
      expected: (sample: SampleLog) => [
        {
          reason: 'malformed-line',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 5,
        },
        {
          reason: 'truncated-segment',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 4,
          seq: 3,
        },
      ],
    },
    {
      case: 'segment file deleted',
      damage: (sample: SampleLog) => unlink(segmentFilePath(sample, sample.second)),
      expected: (sample: SampleLog) => [
        {
          reason: 'missing-segment',
          file: `segments/${sample.second}.jsonl`,
          segment: sample.second,
        },
      ],
    },
    {
      case: 'forged event inserted',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.first, (lines) => {
          // Sealed with a correct hash and chained to the line before, as a forger would do it.
          const before = JSON.parse(lines[1] ?? '') as AuditEvent;
          const unsealed = {
            ...before,
            seq: 2,
            principal: 'intruder',
            prev: before.hash,
            hash: undefined,
          };
          const forged = JSON.stringify({ ...unsealed, hash: computeRecordHash(unsealed) });
          return [...lines.slice(0, 2), forged, ...lines.slice(2)];
        }),
      expected: (sample: SampleLog) => [
        {
          reason: 'prev-mismatch',
          file: `segments/${sample.first}.jsonl`,
          segment: sample.first,
          line: 4,
          seq: 2,
        },
      ],
    },
    {
      case: 'forged event appended after close',
      damage: (sample: SampleLog) =>
        editSegment(sample, sample.second, (lines) => {
          const last = JSON.parse(lines.at(-1) ?? '') as AuditEvent;
          const unsealed = { ...last, seq: last.seq + 1, prev: last.hash, hash: undefined };
          return [...lines, JSON.stringify({ ...unsealed, hash: computeRecordHash(unsealed) })];
        }),
      expected: (sample: SampleLog) => [
        {
          reason: 'truncated-segment',
          file: `segments/${sample.second}.jsonl`,
          segment: sample.second,
          line: 5,
          seq: 4,
        },
      ],
    },
    {
      case: 'segment removed with its index records',
      damage: async (sample: SampleLog) => {
        await unlink(segmentFilePath(sample, sample.first));
        const indexPath = path.join(sample.dir, 'index.jsonl');
        const lines = await readLines(indexPath);
        await writeLines(
          indexPath,
          lines.filter((line) => !line.includes(sample.first)),
        );
      },
      expected: () => [{ reason: 'prev-mismatch', file: 'index.jsonl', line: 1, seq: 2 }],
    },
    {
      case: 'index pointing outside segments',
      damage: async (sample: SampleLog) => {
        const indexPath = path.join(sample.dir, 'index.jsonl');
        const lines = await readLines(indexPath);
        await writeLines(indexPath, [
          ...lines,
          JSON.stringify({ ...JSON.parse(lines[0] ?? ''), segment: '../index' }),
        ]);
      },
      expected: () => [{ reason: 'malformed-line', file: 'index.jsonl', line: 5 }],
    },
    {
      case: 'index record edited',
      damage: async (sample: SampleLog) => {
        const indexPath = path.join(sample.dir, 'index.jsonl');
        const lines = await readLines(indexPath);
        lines[1] = (lines[1] ?? '').replace(/"time":"[^"]+"/, '"time":"2026-03-01T09:00:01.000Z"');
        await writeLines(indexPath, lines);
      },
      expected: () => [{ reason: 'hash-mismatch', file: 'index.jsonl', line: 2, seq: 1 }],
    },
  ])('reports $case', async ({ damage, expected }) => {
    await damage(log);
    const result = await verifyAuditLog(log.dir);

    expect(result.ok).toBe(false);
    expect(summarize(result.problems)).toEqual(expected(log));
    expect(result.firstBreak).toEqual(result.problems[0]);
  });

  it('reports a forged unlisted segment', async () => {
    const forgedId = '20260301T093000000Z-4242-0badc0de';
    const forged = rechain(forgedId, [
      {
        seq: 0,
        time: '2026-03-01T09:30:00.000Z',
        segment: forgedId,
        principal: 'runner',
        action: 'table.commit',
        resources: ['clinical.encounters'],
        outcome: 'success',
        details: {},
        prev: '',
        hash: '',
      },
    ]);
    await writeFile(path.join(log.dir, 'segments', `${forgedId}.jsonl`), forged.join('\n') + '\n');

    const result = await verifyAuditLog(log.dir);
    expect(result).toMatchObject({ ok: false, segments: 3, events: 10 });
    expect(summarize(result.problems)).toEqual([
      { reason: 'unlisted-segment', file: `segments/${forgedId}.jsonl`, segment: forgedId },
    ]);
  });

  it('explains a truncated segment in its message', async () => {
    await editSegment(log, log.first, (lines) => lines.slice(0, -2));
    const { firstBreak } = await verifyAuditLog(log.dir);

    expect(firstBreak?.message).toBe(
      'segment ends at seq 2, but index.jsonl line 2 closed it at seq 4: events were removed, replaced or added after the close',
    );
  });

  it('names the index line of a missing segment', async () => {
    await unlink(segmentFilePath(log, log.first));
    const { firstBreak } = await verifyAuditLog(log.dir);

    expect(firstBreak?.message).toBe('segment listed in index.jsonl line 1 is missing');
  });
});

describe('formatAuditProblem', () => {
  it.each([
    {
      case: 'line and seq',
      problem: {
        reason: 'seq-gap',
        file: 'segments/s.jsonl',
        segment: 's',
        line: 3,
        seq: 5,
        message: 'expected seq 2, found 5',
      },
      expected: 'segments/s.jsonl:3 seq 5: seq-gap: expected seq 2, found 5',
    },
    {
      case: 'whole file',
      problem: {
        reason: 'missing-segment',
        file: 'segments/s.jsonl',
        segment: 's',
        message: 'segment listed in index.jsonl line 1 is missing',
      },
      expected:
        'segments/s.jsonl: missing-segment: segment listed in index.jsonl line 1 is missing',
    },
  ] as const)('formats $case', ({ problem, expected }) => {
    expect(formatAuditProblem(problem)).toBe(expected);
  });
});
