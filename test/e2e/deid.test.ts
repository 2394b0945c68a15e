// Real: the built carelake CLI in child processes and the demo pipeline into a local lake in a temp
// folder. The repository's profiles, dataset files, policies and key file are used as they are.
// DuckDB, Parquet and the catalog are read back in-process through the table layer. Nothing is faked.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Row, type RowValue } from '@carelake/core';
import { DEID_SECRET_KEY, loadDatasets, openLocalLake, readSnapshotRows, type Lake } from '@carelake/pipeline';
import { fingerprintFolder, REPO_ROOT, runCli } from './helpers';

const DATASETS = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
const SOURCE_TABLES = ['clinical.patients', 'clinical.encounters', 'clinical.observations'];
const SAFE_HARBOR_TABLES = ['deid.patients', 'deid.encounters', 'deid.observations'];
const SAFE_HARBOR = 'pipelines/policies/research.deid.yaml';
const LIMITED = 'pipelines/policies/research-limited.deid.yaml';

/** A date written as text: 2024-01-06, 2024-01, 1/6/2024. */
const DATE_TEXT = /\b\d{4}-\d{2}\b|\b\d{1,2}\/\d{1,2}\/\d{2,4}\b/;

/** Returns the forms an identifier value could take in an output cell. */
function searchForms(value: RowValue): string[] {
  if (value === null) return [];
  if (value instanceof Date) return [value.toISOString(), value.toISOString().slice(0, 10)];
  return [String(value)];
}

/** Returns whether a cell contains the value: equal to it, or containing it when it is a string of 4 or more characters. */
function cellHolds(cell: RowValue, form: string): boolean {
  if (cell === null) return false;
  const text = cell instanceof Date ? cell.toISOString() : String(cell);
  return text === form || (form.length >= 4 && text.includes(form));
}

describe('carelake deid over the demo lake', () => {
  let work: string;
  let lakeRoot: string;
  let firstRun: ReturnType<typeof runCli>;

  /** Opens the lake in-process with the repository's configuration and key, as the CLI does. */
  const withLake = async <T>(work: (lake: Lake) => Promise<T>): Promise<T> => {
    const lake = await openLocalLake(loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: lakeRoot, CARELAKE_QUERY_THREADS: '1' } }));
    try {
      return await work(lake);
    } finally {
      await lake.close();
    }
  };
  const rowsOf = (lake: Lake, table: string): Promise<Row[]> =>
    lake.tables.snapshot(table).then((snapshot) => (snapshot === undefined ? Promise.reject(new Error(`${table} was not written`)) : readSnapshotRows(lake, snapshot)));
  const tableRows = (table: string): Promise<Row[]> => withLake((lake) => rowsOf(lake, table));
  const query = (principal: string, sql: string) => runCli(['query', sql, '--as', principal, '--format', 'csv'], lakeRoot);

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'carelake-deid-'));
    lakeRoot = join(work, 'lake');
    expect(runCli(['pipeline', 'run', 'pipelines/demo.pipeline.yaml'], lakeRoot).status).toBe(0);
    firstRun = runCli(['deid', 'run', SAFE_HARBOR], lakeRoot);
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('prints the run summary', () => {
    expect(firstRun.stderr).toBe('');
    expect(firstRun.status).toBe(0);
    expect(firstRun.stdout).toContain('deid research: safe-harbor, output classified deidentified');
    expect(firstRun.stdout).toContain('clinical.patients_current -> deid.patients: 3 row(s) in, 3 out, committed as version 0');
    expect(firstRun.stdout).toContain('clinical.observations_current -> deid.observations: 6 row(s) in, 6 out, committed as version 0');
    expect(firstRun.stdout).toMatch(/columns removed \(10\): record_hash, source_file, patient_id, assigning_authority, family_name, given_name, city,/);
    expect(firstRun.stdout).toContain('residual risk: 3 of 3 row(s) in 3 group(s) of fewer than 5 rows over birth_date_year, sex, state, postal_code_zip3');
    expect(firstRun.stdout).toContain('study ids: 3 drawn, 0 already in restricted.deid_crosswalk');
  });

  it('leaves no identifier value in any cell', async () => {
    const { identifierValues, outputCells } = await withLake(async (lake) => {
      const values = new Set<string>();
      for (const table of SOURCE_TABLES) {
        const dataset = DATASETS.get(table);
        const columns = Object.entries(dataset?.columns ?? {})
          .filter(([, column]) => column.identifier !== undefined && column.identifier !== 'quasi')
          .map(([name]) => name);
        // The history tables hold every version, a superset of the _current rows the profile reads.
        for (const row of await rowsOf(lake, table)) {
          for (const column of columns) for (const form of searchForms(row[column] ?? null)) values.add(form);
        }
      }
      const cells: Array<{ table: string; column: string; cell: RowValue }> = [];
      for (const table of SAFE_HARBOR_TABLES) {
        for (const row of await rowsOf(lake, table)) for (const [column, cell] of Object.entries(row)) cells.push({ table, column, cell });
      }
      return { identifierValues: [...values], outputCells: cells };
    });

    // Names, record numbers, keys, city, ZIP code and dates of the three demo patients at least.
    expect(identifierValues).toEqual(expect.arrayContaining(['Example', 'Alice', 'DEMO1001', 'hl7v2:NORTH_CLINIC:DEMO1001', 'Riverton', '82501', '1980-02-14']));
    expect(outputCells.length).toBeGreaterThan(100);
    const found = identifierValues.flatMap((form) =>
      outputCells.filter(({ cell }) => cellHolds(cell, form)).map(({ table, column }) => `${table}.${column} holds an identifier of ${form.length} characters`),
    );
    expect(found).toEqual([]);
  });

  it('keeps no date finer than a year', async () => {
    const cells = await withLake(async (lake) => {
      const found: string[] = [];
      for (const table of SAFE_HARBOR_TABLES) {
        const [database, name] = table.split('.') as [string, string];
        const registered = await lake.catalog.getTable(database, name);
        for (const column of registered?.columns ?? []) {
          if (column.type === 'date' || column.type === 'timestamp') found.push(`${table}.${column.name} is a ${column.type} column`);
        }
        for (const row of await rowsOf(lake, table)) {
          for (const [column, cell] of Object.entries(row)) {
            if (cell instanceof Date) found.push(`${table}.${column} holds a Date`);
            if (typeof cell === 'string' && DATE_TEXT.test(cell)) found.push(`${table}.${column} holds a date as text`);
            if (column.endsWith('_year') && cell !== null && !(Number.isInteger(cell) && (cell as number) > 1800 && (cell as number) < 2200)) {
              found.push(`${table}.${column} holds something other than a year`);
            }
          }
        }
      }
      return found;
    });

    expect(cells).toEqual([]);
  });

  it('changes nothing on a second run', async () => {
    const folders = ['deidentified', 'curated/restricted', '_state/tables/deid', '_state/tables/restricted'];
    const before = folders.map((folder) => fingerprintFolder(join(lakeRoot, folder)));
    const crosswalkBefore = await tableRows('restricted.deid_crosswalk');

    const second = runCli(['deid', 'run', SAFE_HARBOR], lakeRoot);

    expect(second.status).toBe(0);
    expect(second.stdout).toContain('clinical.patients_current -> deid.patients: 3 row(s) in, 3 out, unchanged at version 0');
    expect(second.stdout).toContain('study ids: 0 drawn, 3 already in restricted.deid_crosswalk');
    expect(folders.map((folder) => fingerprintFolder(join(lakeRoot, folder)))).toEqual(before);
    expect(await tableRows('restricted.deid_crosswalk')).toEqual(crosswalkBefore);
  });

  it('prints the newest report', () => {
    const report = runCli(['deid', 'report', 'research'], lakeRoot);

    expect(report.status).toBe(0);
    expect(report.stdout).toContain('deid.patients (from clinical.patients_current version 0):');
    expect(report.stdout).toContain('family_name [name]: redact removed; 3 changed, 0 nulled (Safe Harbor identifier (name))');
    expect(report.stdout).not.toContain('Example');
  });

  describe('limited data set', () => {
    let first: Row[];

    beforeAll(async () => {
      expect(runCli(['deid', 'run', LIMITED], lakeRoot).status).toBe(0);
      first = await tableRows('deid_limited.observations');
    });

    it('keeps pseudonyms and shifts across runs', async () => {
      const again = runCli(['deid', 'run', LIMITED], lakeRoot);

      expect(again.stdout).toContain('-> deid_limited.observations: 6 row(s) in, 6 out, unchanged at version 0');
      expect(await tableRows('deid_limited.observations')).toEqual(first);
    });

    it('joins pseudonyms across tables', async () => {
      const patients = new Set((await tableRows('deid_limited.patients')).map((row) => row['patient_key']));

      expect(first.every((row) => patients.has(row['patient_key']))).toBe(true);
      expect(patients.size).toBe(3);
    });

    it('differs under another secret', async () => {
      await rm(join(lakeRoot, DEID_SECRET_KEY));
      const run = runCli(['deid', 'run', LIMITED], lakeRoot);
      const other = await tableRows('deid_limited.observations');

      expect(run.status).toBe(0);
      const pick = (rows: Row[], column: string): string[] => rows.map((row) => String(row[column])).sort();
      expect(pick(other, 'patient_key')).not.toEqual(pick(first, 'patient_key'));
      expect(pick(other, 'effective_time')).not.toEqual(pick(first, 'effective_time'));
      expect(pick(other, 'code')).toEqual(pick(first, 'code'));
    });
  });

  describe('governed reads', () => {
    beforeAll(() => {
      expect(runCli(['grants', 'apply', '--as', 'admin'], lakeRoot).status).toBe(0);
    });

    it.each([
      { case: 'analyst: the crosswalk', principal: 'analyst', table: 'restricted.deid_crosswalk' },
      { case: 'researcher: the crosswalk', principal: 'researcher', table: 'restricted.deid_crosswalk' },
      { case: 'researcher: a limited data set', principal: 'researcher', table: 'deid_limited.patients' },
      { case: 'analyst: a deid table', principal: 'analyst', table: 'deid.patients' },
      { case: 'steward: a deid table', principal: 'steward', table: 'deid.patients' },
    ])('hides $case', ({ principal, table }) => {
      const run = query(principal, `SELECT count(*) AS n FROM ${table}`);

      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toContain(`table ${table} is not granted to you`);
    });

    it.each([
      { case: 'steward: the crosswalk', principal: 'steward', table: 'restricted.deid_crosswalk' },
      { case: 'researcher: deid.patients', principal: 'researcher', table: 'deid.patients' },
      { case: 'researcher: deid.observations', principal: 'researcher', table: 'deid.observations' },
    ])('reads $case', ({ principal, table }) => {
      const run = query(principal, `SELECT count(*) AS n FROM ${table}`);

      expect(run.stderr).toBe('');
      expect(run.stdout.trimEnd().split('\n')).toEqual(['n', table === 'deid.observations' ? '6' : '3']);
    });
  });
});
