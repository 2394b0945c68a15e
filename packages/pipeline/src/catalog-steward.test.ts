// Real: dataset files in a temp folder, a local lake (SQLite catalog, audit log, tables). Faked: the clock.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, loadConfig, ManualClock, type Principal } from '@carelake/core';
import { SchemaEvolutionError } from '@carelake/catalog';
import { catalogHistory, diffDataset, readDatasetForCatalog, registerDataset } from './catalog-steward';
import { openLocalLake, type Lake } from './lake';

const STEWARD: Principal = { name: 'his-steward', role: 'steward', groups: ['stewards'] };
const PATIENTS_FILE = resolve(__dirname, '../../../pipelines/datasets/clinical.patients.dataset.yaml');

function errorOf(work: () => unknown): unknown {
  try {
    work();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('catalog steward workflow', () => {
  let root: string;
  let lake: Lake;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-steward-test-'));
    const config = loadConfig({ cwd: root, env: { CARELAKE_LAKE_ROOT: join(root, 'lake'), CARELAKE_QUERY_THREADS: '1' } });
    lake = await openLocalLake(config, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
  });

  afterEach(async () => {
    await lake.close();
    await rm(root, { recursive: true, force: true });
  });

  async function historyOf(table: string): Promise<string[]> {
    const actions: string[] = [];
    for await (const event of catalogHistory(join(root, 'lake'), table)) actions.push(`${event.action} ${event.principal}`);
    return actions;
  }

  it('registers a history table and its companion once', async () => {
    const dataset = readDatasetForCatalog(PATIENTS_FILE);

    const first = await registerDataset(lake, dataset, STEWARD);
    const second = await registerDataset(lake, dataset, STEWARD);

    expect(first.map(({ table, tableCreated }) => [table, tableCreated])).toEqual([
      ['clinical.patients', true],
      ['clinical.patients_current', true],
    ]);
    expect(second.map(({ tableChanged }) => tableChanged)).toEqual([false, false]);
    expect(await historyOf('clinical.patients')).toEqual(['catalog.table.create his-steward']);
    expect(await historyOf('clinical.patients_current')).toEqual(['catalog.table.create his-steward']);
  });

  /** Returns the key paths of the problems in a visits dataset file with one extra column. */
  async function problemPathsWith(column: string): Promise<string[]> {
    const file = join(root, 'visits.dataset.yaml');
    const lines = ['table: registry.visits', 'description: Visits.', 'classification: public', 'columns:', '  visit_id: { type: string }', column];
    await writeFile(file, lines.join('\n'));

    const error = errorOf(() => readDatasetForCatalog(file));
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues.map((issue) => issue.keyPath);
  }

  it.each([
    { case: 'a PHI column without stewards', column: '  birth_date: { type: date, classification: phi }', expected: ['owner', 'steward', 'retention'] },
    { case: 'a column past a Glue limit', column: `  age_band: { type: string, description: ${'x'.repeat(300)} }`, expected: ['columns.age_band.description'] },
  ])('reports $case by key path', async ({ column, expected }) => {
    expect(await problemPathsWith(column)).toEqual(expected);
  });

  it('diffs an edited file and records the update', async () => {
    await registerDataset(lake, readDatasetForCatalog(PATIENTS_FILE), STEWARD);
    const edited = join(root, 'clinical.patients.dataset.yaml');
    const text = await readFile(PATIENTS_FILE, 'utf8');
    await writeFile(edited, text.replace('steward: clinical-steward', 'steward: registry-steward'));
    const dataset = readDatasetForCatalog(edited);

    const differences = await diffDataset(lake, dataset);
    await registerDataset(lake, dataset, STEWARD);

    expect(differences[0]?.differences).toEqual([
      { path: 'parameters.carelake.steward', declared: 'registry-steward', stored: 'clinical-steward' },
    ]);
    expect((await diffDataset(lake, dataset)).flatMap((table) => table.differences)).toEqual([]);
    expect(await historyOf('clinical.patients')).toEqual(['catalog.table.create his-steward', 'catalog.table.update his-steward']);
  });

  it('rejects a changed column type', async () => {
    await registerDataset(lake, readDatasetForCatalog(PATIENTS_FILE), STEWARD);
    const edited = join(root, 'clinical.patients.dataset.yaml');
    const text = await readFile(PATIENTS_FILE, 'utf8');
    await writeFile(edited, text.replace('birth_date: { type: date,', 'birth_date: { type: timestamp,'));

    const error = await registerDataset(lake, readDatasetForCatalog(edited), STEWARD).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(SchemaEvolutionError);
    expect((error as SchemaEvolutionError).message).toContain('birth_date');
    expect((error as SchemaEvolutionError).describe()).toContain('date');
    expect((error as SchemaEvolutionError).describe()).toContain('timestamp');
    expect(await historyOf('clinical.patients')).toEqual(['catalog.table.create his-steward']);
  });
});
