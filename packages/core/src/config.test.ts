// Real: YAML files in a temp folder read by the config loader. Nothing is faked.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from './config';
import { ConfigError } from './errors';

describe('loadConfig', () => {
  let folder: string;

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'carelake-config-'));
  });

  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  async function load(yaml: string, env: NodeJS.ProcessEnv = {}) {
    await writeFile(join(folder, 'carelake.yaml'), yaml);
    return loadConfig({ cwd: folder, env });
  }

  async function issuesOf(yaml: string, env: NodeJS.ProcessEnv = {}) {
    try {
      await load(yaml, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.issues.map((issue) => issue.keyPath).sort();
      throw error;
    }
    throw new Error('expected a ConfigError');
  }

  it('applies defaults without a file', () => {
    const config = loadConfig({ cwd: folder, env: {} });
    expect(config.backend).toBe('local');
    expect(config.lakeRoot).toBe(join(folder, '.carelake'));
    expect(config.sourceFile).toBeUndefined();
  });

  it('resolves the lake root against the file', async () => {
    const config = await load('lake: { root: data/lake }\n');
    expect(config.lakeRoot).toBe(join(folder, 'data', 'lake'));
  });

  it('reports every invalid key at once', async () => {
    const yaml = [
      'backend: cloud',
      'principals:',
      '  Analyst: { role: user }',
      '  ana: { role: reader, groups: [missing] }',
      'query: { threads: 0 }',
    ].join('\n');
    expect(await issuesOf(yaml)).toEqual(['backend', 'principals.Analyst', 'principals.ana.role', 'query.threads']);
  });

  it('checks group and default principal references', async () => {
    const yaml = ['principals:', '  ana: { groups: [missing] }', 'defaults: { principal: bob }'].join('\n');
    expect(await issuesOf(yaml)).toEqual(['defaults.principal', 'principals.ana.groups[0]']);
  });

  it.each([
    { name: 'principal', env: { CARELAKE_PRINCIPAL: 'ana' }, read: (c: ReturnType<typeof loadConfig>) => c.defaults.principal, expected: 'ana' },
    { name: 'threads', env: { CARELAKE_QUERY_THREADS: '3' }, read: (c: ReturnType<typeof loadConfig>) => c.query.threads, expected: 3 },
    { name: 'lake root', env: { CARELAKE_LAKE_ROOT: '/srv/lake' }, read: (c: ReturnType<typeof loadConfig>) => c.lakeRoot, expected: '/srv/lake' },
  ])('overrides $name from the environment', async ({ env, read, expected }) => {
    const config = await load('principals: { ana: {} }\nquery: { threads: 1 }\n', env);
    expect(read(config)).toBe(expected);
  });

  it('reports an invalid environment value under its key', async () => {
    expect(await issuesOf('backend: local\n', { CARELAKE_BACKEND: 'gcp' })).toEqual(['backend']);
  });

  it('suggests the key for a typo', async () => {
    await writeFile(join(folder, 'carelake.yaml'), 'lake: { root: lake, scratchDr: /dev/shm }\n');

    const error = (() => {
      try {
        loadConfig({ cwd: folder, env: {} });
      } catch (caught) {
        return caught as ConfigError;
      }
      return undefined;
    })();

    expect(error?.issues).toEqual([{ keyPath: 'lake.scratchDr', message: 'unknown key "scratchDr"; did you mean "scratchDir"?' }]);
  });

  it('names the line of a YAML syntax error', async () => {
    await writeFile(join(folder, 'carelake.yaml'), 'backend: local\nlake: [unclosed\n');
    expect(() => loadConfig({ cwd: folder, env: {} })).toThrow(ConfigError);
  });
});
