// Real: the built carelake CLI in a child process, a local lake in a temp folder, DuckDB,
// SQLite, Parquet files and the audit log. Nothing is faked.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteCatalog } from '@carelake/catalog';
import { fingerprintFolder, readLakeObject, REPO_ROOT, runCli } from './helpers';

async function catalogContents(lakeRoot: string): Promise<unknown> {
  const catalog = await SqliteCatalog.open({ path: join(lakeRoot, '_state', 'catalog.sqlite') });
  try {
    const tables = await catalog.listTables();
    const partitions = await Promise.all(
      tables.map(async (table) => [table.database, table.name, await catalog.listPartitions(table.database, table.name)]),
    );
    return { tables, partitions };
  } finally {
    await catalog.close();
  }
}

describe('carelake demo', () => {
  let lakeRoot: string;
  let first: ReturnType<typeof runCli>;

  beforeAll(async () => {
    lakeRoot = await mkdtemp(join(tmpdir(), 'carelake-demo-'));
    first = runCli(['demo'], lakeRoot);
  });

  afterAll(async () => {
    await rm(lakeRoot, { recursive: true, force: true });
  });

  it('builds tables and prints a query result', () => {
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('4 file(s) seen, 4 ingested, 0 already ingested');
    expect(first.stdout).toContain('quarantined: 1');
    expect(first.stdout).toMatch(/clinical\.observations: 6\b/);
    expect(first.stdout).toMatch(/clinical\.patients: 4\b/);
    // One line per code: 3 HL7 results, 3 FHIR rows (two blood-pressure components and a weight).
    expect(first.stdout).toMatch(/hl7v2\s+NORTH_CLINIC\s+2093-3\s+/);
    expect(first.stdout).toMatch(/fhir\s+EAST_CLINIC\s+8480-6\s+/);
    expect(first.stdout).toContain('(6 rows)');
  });

  it('quarantines the truncated bundle with its position', async () => {
    const quarantine = fingerprintFolder(join(lakeRoot, 'quarantine'));
    const keys = Object.keys(quarantine);
    expect(keys).toHaveLength(1);

    const item = JSON.parse((await readLakeObject(lakeRoot, `quarantine/${keys[0]}`)).toString('utf8'));
    expect(item.landingKey).toMatch(/fhir_bundle_truncated\.json$/);
    expect(item.stage).toBe('decode');
    expect(item.where).toMatch(/:\d+/);
  });

  it('encrypts every object that can contain field values', () => {
    // The demo inputs' record numbers, names and street, read from the inputs themselves.
    const inputs = join(REPO_ROOT, 'pipelines', 'demo', 'inputs');
    const values = new Set<string>();
    for (const name of readdirSync(inputs)) {
      const text = readFileSync(join(inputs, name), 'utf8');
      for (const match of text.matchAll(/^PID\|[^|]*\|[^|]*\|([^^|]+)[^|]*\|[^|]*\|([^^|]+)\^([^^|]+)[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|[^|]*\|([^^|]+)/gm)) {
        for (const value of match.slice(1)) values.add(value as string);
      }
      for (const match of text.matchAll(/"family":\s*"([^"]+)"/g)) values.add(match[1] as string);
    }
    expect(values.size).toBeGreaterThanOrEqual(5);

    const files = Object.keys(fingerprintFolder(lakeRoot)).filter((path) => /^(landing|raw|curated|quarantine|_state\/(tables|ingest))\//.test(path));
    expect(files.length).toBeGreaterThan(20);
    for (const path of files) {
      const bytes = readFileSync(join(lakeRoot, path));
      expect(`${path}: ${bytes.subarray(0, 4).toString('latin1')}`).toBe(`${path}: CLE1`);
      for (const value of values) expect(`${path}: ${bytes.includes(Buffer.from(value))}`).toBe(`${path}: false`);
    }
  });

  it('changes no table, catalog, quarantine or ledger on a second run', async () => {
    const zones = ['raw', 'curated', 'quarantine', 'landing', '_state/tables', '_state/ingest'];
    const before = Object.fromEntries(zones.map((zone) => [zone, fingerprintFolder(join(lakeRoot, zone))]));
    const catalogBefore = await catalogContents(lakeRoot);

    const second = runCli(['demo'], lakeRoot);

    expect(second.status).toBe(0);
    expect(second.stdout).toContain('4 file(s) seen, 0 ingested, 4 already ingested');
    expect(second.stdout).toContain('rows out: 0');
    expect(second.stdout).toContain('(6 rows)');
    for (const zone of zones) {
      expect({ zone, files: fingerprintFolder(join(lakeRoot, zone)) }).toEqual({ zone, files: before[zone] });
    }
    expect(await catalogContents(lakeRoot)).toEqual(catalogBefore);
  });

  it('verifies the audit log, then reports an edited event', async () => {
    const ok = runCli(['audit', 'verify'], lakeRoot);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^audit log ok: \d+ event\(s\)/);

    const segments = join(lakeRoot, '_audit', 'segments');
    const [segment] = (await readdir(segments)).sort();
    const path = join(segments, segment as string);
    const lines = (await readFile(path, 'utf8')).split('\n');
    lines[1] = (lines[1] as string).replace('"outcome":"success"', '"outcome":"failure"');
    await writeFile(path, lines.join('\n'));

    const broken = runCli(['audit', 'verify'], lakeRoot);
    expect(broken.status).toBe(1);
    expect(broken.stdout).toContain(`audit log broken: segments/${segment as string}:2 seq 1: hash-mismatch`);
  });
});
