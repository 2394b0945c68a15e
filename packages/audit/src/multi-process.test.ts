// Real child node processes appending to one real _audit folder at once; nothing is faked.
// The children run this package's TypeScript sources through a transpile-on-require hook.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type { AuditEvent } from './event';
import { readAuditEvents } from './read-events';
import { verifyAuditLog } from './verify';
import { makeTempFolder, removeTempFolder } from './__fixtures__/audit-fixtures';

const FIXTURES = path.join(__dirname, '__fixtures__');
const EVENTS_PER_PROCESS = 50;

function runWriter(dir: string, principal: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '-r',
        path.join(FIXTURES, 'transpile-ts.js'),
        path.join(FIXTURES, 'append-events.ts'),
        dir,
        principal,
        String(EVENTS_PER_PROCESS),
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`writer ${principal} exited with code ${code}: ${stderr}`)),
    );
  });
}

describe('FileAuditLog across processes', () => {
  let root: string;

  beforeEach(async () => {
    root = await makeTempFolder();
  });

  afterEach(async () => {
    await removeTempFolder(root);
  });

  it('keeps every event of three writers', async () => {
    const dir = path.join(root, '_audit');
    const principals = ['mllp-listener', 'stream-consumer', 'analyst'];
    await Promise.all(principals.map((principal) => runWriter(dir, principal)));

    expect(await verifyAuditLog(dir)).toEqual({ ok: true, segments: 3, events: 150, problems: [] });

    const seqsByPrincipal = new Map<string, number[]>();
    const segmentsByPrincipal = new Map<string, Set<string>>();
    for await (const event of readAuditEvents(dir) as AsyncIterable<AuditEvent>) {
      seqsByPrincipal.set(event.principal, [
        ...(seqsByPrincipal.get(event.principal) ?? []),
        event.seq,
      ]);
      segmentsByPrincipal.set(
        event.principal,
        (segmentsByPrincipal.get(event.principal) ?? new Set()).add(event.segment),
      );
    }
    const allSeqs = Array.from({ length: EVENTS_PER_PROCESS }, (_, index) => index);
    for (const principal of principals) {
      expect(seqsByPrincipal.get(principal)).toEqual(allSeqs);
      expect(segmentsByPrincipal.get(principal)?.size).toBe(1);
    }
  });
});
