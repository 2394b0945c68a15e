// Real: the built carelake command on a temp lake with the repository's dataset files. Nothing is faked.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { REPO_ROOT, runCli } from './helpers';

const DATASETS = join(REPO_ROOT, 'pipelines', 'datasets');
const datasetFiles = readdirSync(DATASETS)
  .filter((name) => name.endsWith('.dataset.yaml'))
  .map((name) => join(DATASETS, name));
const historyFiles = datasetFiles.filter((file) => /^kind: history$/m.test(readFileSync(file, 'utf8')));

describe('carelake catalog', () => {
  let root: string;
  let lake: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'carelake-catalog-cli-'));
    lake = join(root, 'lake');
    const registered = runCli(['catalog', 'register', ...datasetFiles], lake);
    expect(registered.stderr).toBe('');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('lists each table and companion', () => {
    const listed = runCli(['catalog', 'list'], lake);

    expect(listed.stdout).toContain(`(${datasetFiles.length + historyFiles.length} tables)`);
    expect(listed.stdout).toMatch(/^clinical\.patients_current {2}phi {2}Latest version per patient_key/m);
  });

  it('registers an unchanged file as unchanged', () => {
    const again = runCli(['catalog', 'register', join(DATASETS, 'clinical.patients.dataset.yaml')], lake);
    const history = runCli(['catalog', 'history', 'clinical.patients'], lake);

    expect(again.stdout).toContain('clinical.patients: unchanged (version 1)');
    expect(history.stdout).toContain('(1 change)');
  });

  it('searches column names', () => {
    const found = runCli(['catalog', 'search', 'postal_code'], lake);

    expect(found.stdout.split('\n')[0]).toMatch(/^clinical\.patients {2}\(column postal_code\)$/);
  });

  it('describes a table with its columns', () => {
    const described = runCli(['catalog', 'describe', 'clinical.patients'], lake);

    expect(described.stdout).toContain('Steward: clinical-steward');
    expect(described.stdout).toMatch(/^sex +string +limited +administrative-gender +PID-8/m);
  });

  it('diffs an edited file with exit code 1', () => {
    const edited = join(root, 'clinical.patients.dataset.yaml');
    const text = readFileSync(join(DATASETS, 'clinical.patients.dataset.yaml'), 'utf8');
    writeFileSync(edited, text.replace('retention: phi-standard', 'retention: phi-extended'));

    const diff = runCli(['catalog', 'diff', edited], lake);

    expect(diff.status).toBe(1);
    expect(diff.stdout).toContain('  parameters.carelake.retention: file phi-extended, catalog phi-standard');
  });

  it('rejects a broken file and registers nothing', () => {
    const broken = join(root, 'registry.visits.dataset.yaml');
    writeFileSync(broken, 'table: registry.visits\ndescription: Visits.\nclassification: phi\ncolumns:\n  visit_id: { type: strin }\n');

    const result = runCli(['catalog', 'register', broken], lake);
    const listed = runCli(['catalog', 'list', 'registry'], lake);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('  - owner: is required because the table is classified phi');
    expect(result.stderr).toContain('  - columns.visit_id.type:');
    expect(listed.status).toBe(1);
    expect(listed.stderr).toContain('database "registry" not found');
  });

  it('lets only stewards and admins register', () => {
    const result = runCli(['catalog', 'register', join(DATASETS, 'clinical.patients.dataset.yaml'), '--as', 'analyst'], lake);

    expect(result.status).toBe(1);
    expect(result.stderr).toBe(
      'carelake: principal analyst may not register tables: only stewards and admins describe datasets\n' +
        '  Run it --as a principal whose role in carelake.yaml is steward or admin.\n',
    );
    expect(runCli(['catalog', 'register', join(DATASETS, 'clinical.patients.dataset.yaml'), '--as', 'steward'], lake).status).toBe(0);
  });

  it('exports an html data dictionary', () => {
    const out = join(root, 'dictionary.html');

    const exported = runCli(['catalog', 'export', '--format', 'html', '--out', out], lake);
    const page = readFileSync(out, 'utf8');

    expect(exported.stdout).toContain(`wrote ${datasetFiles.length + historyFiles.length} table(s)`);
    expect(page).toContain('<section id="clinical.patients">');
    expect(page).toContain('<span class="classification phi">phi</span>');
  });

  it('saves, lists and deletes a query', () => {
    const sql = 'SELECT 42 AS answer';

    const saved = runCli(['catalog', 'save-query', 'patient-count', sql, '--description', 'Patients now.'], lake);
    const again = runCli(['catalog', 'save-query', 'patient-count', sql, '--description', 'Patients now.'], lake);
    const listed = runCli(['catalog', 'queries'], lake);
    const ran = runCli(['query', '--saved', 'patient-count', '--format', 'csv'], lake);
    const deleted = runCli(['catalog', 'delete-query', 'patient-count'], lake);
    const missing = runCli(['catalog', 'delete-query', 'patient-count'], lake);

    expect(saved.stdout).toBe('query patient-count: saved\n');
    expect(again.stdout).toBe('query patient-count: unchanged\n');
    expect(listed.stdout).toMatch(/^patient-count {2}admin {2}\S+ {2}Patients now\.$/m);
    expect(ran.stdout).toBe('answer\n42\n');
    expect(deleted.stdout).toBe('query patient-count: deleted\n');
    expect(missing.status).toBe(1);
  });

  it('drafts a dataset file from a Hive folder', async () => {
    const folder = join(root, 'visits');
    const instance = await DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '256MB' });
    const connection = await instance.connect();
    await connection.run(
      `COPY (SELECT range AS visit_id, 'clinic' || (range % 3) AS site, (range * 1.5)::DOUBLE AS cost FROM range(10))
       TO '${folder}' (FORMAT parquet, PARTITION_BY (site))`,
    );
    connection.closeSync();
    instance.closeSync();
    const draft = join(root, 'registry.visits.draft.yaml');

    const inferred = runCli(['catalog', 'infer', folder, '--table', 'registry.visits', '--out', draft], lake);
    const completed = readFileSync(draft, 'utf8')
      .replace('description: ""\nclassification: phi', 'description: Visits per site.\nclassification: deidentified')
      .replace('owner:\nsteward:\nretention:\n', '');
    writeFileSync(draft, completed);
    const registered = runCli(['catalog', 'register', draft], lake);

    expect(inferred.stdout).toContain('from 3 file(s) and 3 partition(s)');
    expect(completed).toContain('partitionBy: [site]\ncolumns:\n  visit_id: { type: bigint, description: "" }\n  cost: { type: double, description: "" }\n  site: { type: string, description: "" }\n');
    expect(registered.stdout).toBe('registry.visits: created (version 1)\n');
  });

  it('queries the audit log by table and action', () => {
    const created = runCli(['audit', 'query', '--table', 'clinical.patients', '--action', 'catalog.table.create'], lake);
    const asJson = runCli(['audit', 'query', '--table', 'clinical.patients', '--action', 'catalog.table.create', '--format', 'jsonl'], lake);
    const none = runCli(['audit', 'query', '--principal', 'nobody'], lake);
    const badTime = runCli(['audit', 'query', '--since', 'yesterday'], lake);

    expect(created.stdout).toMatch(/^\S+ {2}admin {2}catalog\.table\.create {2}success {2}clinical\.patients {2}version=1\n\(1 event\)\n$/);
    expect(JSON.parse(asJson.stdout)).toMatchObject({ principal: 'admin', action: 'catalog.table.create', resources: ['clinical.patients'] });
    expect(none.stdout).toBe('(0 events)\n');
    expect(badTime.status).toBe(1);
  });
});
