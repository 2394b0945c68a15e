// Real: the runner over a CSV extract into a local lake encrypted under a key file (object store,
// AES-256-GCM envelopes, DuckDB, Parquet, SQLite catalog, audit log). Faked: the clock.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { datasetSchema, loadConfig, ManualClock, type LoadedConfig } from '@carelake/core';
import { EnvelopeCodec, KeyFileProvider, LocalObjectStore } from '@carelake/storage';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { openLocalLake, type Lake } from './lake';
import { loadPipelineFile } from './pipeline-file';
import { runPipeline } from './runner';

const dataset = datasetSchema.parse({
  table: 'raw.members',
  description: 'Members of a payer extract.',
  classification: 'phi',
  owner: 'data-engineering',
  steward: 'payer-steward',
  retention: 'phi-standard',
  columns: {
    member_id: { type: 'string', nullable: false, classification: 'phi', identifier: 'health_plan_number' },
    family_name: { type: 'string', classification: 'phi', identifier: 'name' },
    source_file: { type: 'string' },
    source_position: { type: 'bigint' },
    ingested_at: { type: 'timestamp' },
  },
});

const PIPELINE = `name: members
source: { type: directory, path: inputs }
decode:
  format: csv
  schema:
    columns:
      - { name: member_id, header: Member, type: string, required: true }
      - { name: family_name, header: Family, type: string }
outputs: [raw.members]
`;

// Made-up values that are searched for in every byte the lake stores. The third row lacks its
// required member id, so it lands in quarantine with its line.
const SENTINELS = ['MBR-SENTINEL-7731', 'Quillfeather', 'Marrowdale'];
const EXTRACT = ['Member,Family', `${SENTINELS[0]},${SENTINELS[1]}`, `MBR-0002,Ashcombe`, `,${SENTINELS[2]}`].join('\n');

/** List every file under the lake that may contain field values. The catalog, audit log and key record contain none. */
function objectFiles(lakeRoot: string): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else files.push(path);
    }
  };
  walk(lakeRoot);
  return files.filter((path) => !/^(_audit|_state\/catalog\.sqlite|_state\/encryption\.json|\.carelake-tags)/.test(relative(lakeRoot, path)));
}

describe('an encrypted local lake', () => {
  let root: string;
  let config: LoadedConfig;
  let lake: Lake;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-encrypted-'));
    await writeFile(
      join(root, 'carelake.yaml'),
      'lake: { root: ./lake, scratchDir: ./scratch }\nkeys: { provider: file, path: ./lake.key, createIfMissing: true }\n',
    );
    await mkdir(join(root, 'scratch'));
    config = loadConfig({ cwd: root, env: { CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
    await mkdir(join(root, 'inputs'));
    await writeFile(join(root, 'inputs', 'members.csv'), EXTRACT);
    await writeFile(join(root, 'members.pipeline.yaml'), PIPELINE);
    await runPipeline({ lake, pipeline: loadPipelineFile(join(root, 'members.pipeline.yaml')), datasets: new Map([[dataset.table, dataset]]) });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  async function memberIds(opened: Lake): Promise<string[]> {
    const snapshot = await opened.tables.snapshot('raw.members');
    if (!snapshot) throw new Error('raw.members was not written');
    const duck = await openDuckDb({ threads: 1, memoryLimit: '256MB', scratchDir: opened.scratchDir });
    try {
      return await opened.tables.withMaterialized(snapshot, async (pathOf) =>
        (await duck.connection.runAndReadAll(`SELECT member_id FROM (${snapshotSourceSql(snapshot, pathOf)}) ORDER BY 1`))
          .getRowsJS()
          .map((row) => String(row[0])),
      );
    } finally {
      closeDuckDb(duck);
    }
  }

  it('creates an owner-only key file outside the lake', async () => {
    expect((await stat(join(root, 'lake.key'))).mode & 0o777).toBe(0o600);
    expect(lake.keys?.keyId).toMatch(/^local:[0-9a-f]{16}$/);
  });

  it('encrypts every object file', async () => {
    const files = objectFiles(config.lakeRoot);
    const kinds = new Set(files.map((path) => relative(config.lakeRoot, path).split('/')[0]));

    expect(kinds).toEqual(new Set(['landing', 'raw', 'quarantine', '_state']));
    for (const path of files) {
      const bytes = readFileSync(path);
      expect({ path: relative(config.lakeRoot, path), start: bytes.subarray(0, 4).toString('latin1') }).toEqual({
        path: relative(config.lakeRoot, path),
        start: 'CLE1',
      });
      for (const value of SENTINELS) expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
  });

  it('reads its rows back through the table layer', async () => {
    expect(await memberIds(lake)).toEqual(['MBR-0002', SENTINELS[0]]);
  });

  it.each([
    { case: 'another key file', keys: 'other', error: /encrypted under key local:[0-9a-f]{16}, and keys.path gives key local:/ },
    { case: 'no key at all', keys: 'none', error: /encrypted under key local:[0-9a-f]{16}, and carelake.yaml names no key provider/ },
  ])('refuses to open with $case', async ({ keys, error }) => {
    const other = keys === 'other' ? await KeyFileProvider.create(join(root, 'other.key')) : undefined;

    await expect(openLocalLake({ ...config, keys: { provider: 'none' } }, other ? { keys: other } : {})).rejects.toThrow(error);
  });

  it('has objects that do not open under another key', async () => {
    const other = await KeyFileProvider.create(join(root, 'other.key'));
    const store = new LocalObjectStore({ root: config.lakeRoot, codec: new EnvelopeCodec(other) });
    const dataKey = (await lake.tables.snapshot('raw.members'))!.files[0]!.key;

    await expect(store.get(dataKey)).rejects.toThrow(/encrypted under key local:[0-9a-f]{16}, not local:/);
  });

  it('keeps decrypted copies private to the process and removes them on close', async () => {
    const snapshot = await lake.tables.snapshot('raw.members');
    const opened = await lake.tables.materializeSnapshot(snapshot!);
    const [copy] = opened.paths();

    expect(relative(join(root, 'scratch'), copy!)).toMatch(/^carelake-session-\d+-\w+\/carelake-object-\w+\/part-/);
    expect((await stat(copy!)).mode & 0o777).toBe(0o600);
    expect((await stat(join(copy!, '..'))).mode & 0o777).toBe(0o700);
    expect((await stat(lake.scratchDir)).mode & 0o777).toBe(0o700);

    await opened.release();
    await lake.close();
    expect(await readdir(join(root, 'scratch'))).toEqual([]);
    lake = await openLocalLake(config);
  });

  it('removes the scratch folders of a process that ended without closing its lake', async () => {
    const abandoned = join(root, 'scratch', 'carelake-session-999999999-abc123');
    await mkdir(join(abandoned, 'carelake-object-x'), { recursive: true });
    await writeFile(join(abandoned, 'carelake-object-x', 'part-0.parquet'), 'plaintext left by a killed run');

    const next = await openLocalLake(config);
    try {
      expect((await readdir(join(root, 'scratch'))).filter((name) => name.includes('999999999'))).toEqual([]);
    } finally {
      await next.close();
    }
  });

  it('rejects a new key for a lake with data', async () => {
    await rm(join(root, 'lake.key'));

    await expect(openLocalLake(config)).rejects.toThrow(/key file .*lake\.key is missing and the lake at .* already contains data/);
  });
});
