// Real: key files, an encrypted local lake in a temp folder and its audit log. Nothing is faked.
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type LoadedConfig } from '@carelake/core';
import { readAuditEvents } from '@carelake/audit';
import { openLocalLake } from '@carelake/pipeline';
import { createKeyFile, rotateLakeKey } from './keys';

const CONFIG = `lake: { root: ./lake, scratchDir: ./scratch }
keys: { provider: file, path: ./lake.key, createIfMissing: true }
principals:
  admin: { role: admin }
  analyst: { role: user }
defaults: { principal: admin }
`;

describe('carelake keys', () => {
  let folder: string;
  let output: string[];
  const write = (text: string): void => {
    output.push(text);
  };

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-keys-'));
    output = [];
    await writeFile(join(folder, 'carelake.yaml'), CONFIG);
    await mkdir(join(folder, 'scratch'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  const configWith = (env: NodeJS.ProcessEnv = {}): LoadedConfig => loadConfig({ cwd: folder, env });

  async function seedLake(config: LoadedConfig): Promise<void> {
    const lake = await openLocalLake(config);
    try {
      await lake.store.put('quarantine/feed/item.json', '{"reason":"truncated bundle"}');
    } finally {
      await lake.close();
    }
  }

  it('creates an owner-only key file once', async () => {
    await createKeyFile(configWith(), write);

    expect((await stat(join(folder, 'lake.key'))).mode & 0o777).toBe(0o600);
    expect(output[0]).toMatch(/^created key local:[0-9a-f]{16} in .*lake\.key \(mode 600\)/);
    await expect(createKeyFile(configWith(), write)).rejects.toThrow(/lake\.key exists already/);
  });

  it('rotates the lake to a new key that alone opens it', async () => {
    await seedLake(configWith());

    await rotateLakeKey(configWith(), join(folder, 'next.key'), write);

    expect(output[0]).toMatch(/^rewrapped 1 object\(s\) from local:[0-9a-f]{16} to local:[0-9a-f]{16}; 0 were done by an earlier run\.$/);
    await expect(openLocalLake(configWith())).rejects.toThrow(/is encrypted under key local:[0-9a-f]{16}, and keys.path gives key/);
    const rotated = { ...configWith(), keys: { provider: 'file' as const, path: join(folder, 'next.key'), createIfMissing: false } };
    const lake = await openLocalLake(rotated);
    try {
      expect(Buffer.from(await lake.store.get('quarantine/feed/item.json')).toString()).toBe('{"reason":"truncated bundle"}');
    } finally {
      await lake.close();
    }
    const events = [];
    for await (const event of readAuditEvents(join(folder, 'lake', '_audit'), { action: 'keys.rotate' })) events.push(event);
    expect(events.map((event) => [event.principal, event.details['rewrapped']])).toEqual([['admin', 1]]);
  });

  it.each([
    { case: 'a non-admin principal', env: { CARELAKE_PRINCIPAL: 'analyst' }, target: 'next.key', error: /principal analyst may not rotate/ },
    { case: 'the key in use', env: {}, target: 'lake.key', error: /lake\.key contains the key the lake already uses/ },
  ])('rejects $case', async ({ env, target, error }) => {
    await seedLake(configWith());

    await expect(rotateLakeKey(configWith(env), join(folder, target), write)).rejects.toThrow(error);
  });
});
