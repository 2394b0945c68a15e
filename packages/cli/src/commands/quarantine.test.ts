// Real: a local lake in a temp folder (encrypted object store, audit log), quarantine items written
// by the runner's own function. Nothing is faked.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readAuditEvents } from '@carelake/audit';
import { loadConfig, resolvePrincipal, type LoadedConfig } from '@carelake/core';
import { openLocalLake, quarantine } from '@carelake/pipeline';
import { listQuarantine, showQuarantineItem } from './quarantine';

const CONTENT = 'PID|1||MRN-QUARANTINE-5501^^^NORTH^MR||Sample^Quill';

describe('carelake quarantine', () => {
  let folder: string;
  let config: LoadedConfig;
  let output: string[];
  const write = (text: string): void => {
    output.push(text);
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-quarantine-'));
    await mkdir(join(folder, 'scratch'));
    await writeFile(
      join(folder, 'carelake.yaml'),
      'lake: { root: ./lake, scratchDir: ./scratch }\nkeys: { provider: file, path: ./lake.key, createIfMissing: true }\n' +
        'principals:\n  admin: { role: admin }\n  analyst: { role: user }\ndefaults: { principal: admin }\n',
    );
    config = loadConfig({ cwd: folder, env: {} });
    const lake = await openLocalLake(config);
    try {
      await quarantine(lake.store, 'adt-feed', {
        landingKey: 'landing/adt-feed/ab/abc/adt.hl7',
        fileSha256: 'abc',
        position: { file: 'landing/adt-feed/ab/abc/adt.hl7', record: 2, segment: 'PID' },
        stage: 'map',
        reason: 'required-missing: PID-3 has no identifier',
        content: CONTENT,
      });
    } finally {
      await lake.close();
    }
    output = [];
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('lists items with position and reason, never content', async () => {
    const count = await listQuarantine(config, { format: 'text' }, write);

    expect(count).toBe(1);
    expect(output).toEqual([
      'quarantine/adt-feed/abc/map-record-2-segment-PID.json\n  map at landing/adt-feed/ab/abc/adt.hl7 record 2 segment PID: required-missing: PID-3 has no identifier',
      '1 quarantined item(s)',
    ]);
    expect(output.join('\n')).not.toContain('MRN-QUARANTINE-5501');
  });

  it('filters by pipeline', async () => {
    expect(await listQuarantine(config, { pipeline: 'other-feed', format: 'jsonl' }, write)).toBe(0);
    expect(output).toEqual([]);
  });

  it('shows content to an admin and audits it', async () => {
    await showQuarantineItem(config, 'quarantine/adt-feed/abc/map-record-2-segment-PID.json', resolvePrincipal(config, 'admin'), write);

    expect(JSON.parse(output[0] ?? '{}').content).toBe(CONTENT);
    expect(await showEvents()).toEqual([['admin', 'success']]);
  });

  it('refuses content to a non-admin and audits the denial', async () => {
    await expect(
      showQuarantineItem(config, 'quarantine/adt-feed/abc/map-record-2-segment-PID.json', resolvePrincipal(config, 'analyst'), write),
    ).rejects.toThrow('principal analyst may not read quarantined content: it is not an admin');

    expect(output).toEqual([]);
    expect(await showEvents()).toEqual([['analyst', 'denied']]);
  });

  async function showEvents(): Promise<string[][]> {
    const events: string[][] = [];
    for await (const event of readAuditEvents(join(folder, 'lake', '_audit'), { action: 'quarantine.show' })) {
      events.push([event.principal, event.outcome]);
    }
    return events;
  }
});
