// Real: the built carelake command refreshing the synthetic CVX, LOINC and SNOMED CT releases of
// vocabularies/samples into a temp lake. Then the same refreshes in process, the pipeline runner
// over the shared HL7 v2 and Synthea samples, and the code check against the loaded tables. Faked: the "today" of
// `vocab status`, and the release contents, which are synthetic.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, ManualClock, type DatasetDefinition, type Row } from '@carelake/core';
import { loadDatasets, loadPipelineFile, openLocalLake, runPipeline, type CodeCheckSummary, type Lake } from '@carelake/pipeline';
import {
  checkCodes,
  loadVocabIndexes,
  loadVocabSources,
  refreshVocabulary,
  type CodeCheckOutcome,
} from '@carelake/pipeline';
import { closeDuckDb, openDuckDb, snapshotSourceSql } from '@carelake/tables';
import { REPO_ROOT, runCli, SHARED_TESTDATA } from './helpers';

const SAMPLES = join(REPO_ROOT, 'vocabularies', 'samples');

describe('carelake vocab', () => {
  let root: string;
  let lake: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'carelake-vocab-cli-'));
    lake = join(root, 'lake');
  });

  afterAll(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('loads the CVX sample once', () => {
    const first = runCli(['vocab', 'refresh', 'cvx', '--release', join(SAMPLES, 'cvx')], lake);
    const again = runCli(['vocab', 'refresh', 'cvx', '--release', join(SAMPLES, 'cvx')], lake);

    expect(first.stderr).toBe('');
    expect(first.stdout.split('\n').slice(0, 3)).toEqual([
      'vocab.cvx: loaded release 2025-01-15 (effective 2025-01-15, sequence 1) as the first release',
      '  added 12, retired 0, description changed 0, status changed 0, unchanged 0',
      '  rows appended: 12',
    ]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^vocab\.cvx: release 2025-01-15 is already loaded \(sequence 1, loaded .+\); nothing changed$/m);
  });

  it('asks for the LOINC version and date', () => {
    const result = runCli(['vocab', 'refresh', 'loinc', '--release', join(SAMPLES, 'loinc')], lake);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the version and effective date of this loinc release cannot be read from its files');
    expect(result.stderr).toContain('Pass --version and --effective YYYY-MM-DD');
  });

  it('loads the LOINC and SNOMED CT samples', () => {
    const loinc = runCli(
      ['vocab', 'refresh', 'loinc', '--release', join(SAMPLES, 'loinc'), '--version', '2.80', '--effective', '2025-02-24'],
      lake,
    );
    const snomed = runCli(['vocab', 'refresh', 'snomedct', '--release', join(SAMPLES, 'snomedct')], lake);

    expect(loinc.stdout).toContain('vocab.loinc: loaded release 2.80 (effective 2025-02-24, sequence 1)');
    expect(loinc.stdout).toContain('  added 99, retired 0');
    expect(snomed.stdout).toContain('vocab.snomedct: loaded release US1000124_20250301 (effective 2025-03-01, sequence 1)');
    expect(snomed.stdout).toContain('  added 15, retired 0');
  });

  it('reports the changes of a second CVX release', () => {
    // The next release drops 62 and renames 03.
    const lines = readFileSync(join(SAMPLES, 'cvx', 'cvx.txt'), 'utf8').split('\r\n').filter(Boolean);
    const next = lines
      .filter((line) => !line.startsWith('62|'))
      .map((line) => (line.startsWith('03|') ? line.replace('Synthetic CVX 03|', 'Synthetic CVX 03, renamed|').replace(/\|[^|]*$/, '|3/1/2025') : line));
    const folder = join(root, 'cvx-2025-03');
    mkdirSync(folder);
    writeFileSync(join(folder, 'cvx.txt'), `${next.join('\r\n')}\r\n`);

    const result = runCli(['vocab', 'refresh', 'cvx', '--release', folder], lake);

    expect(result.stdout.split('\n')).toEqual([
      'vocab.cvx: loaded release 2025-03-01 (effective 2025-03-01, sequence 2)',
      '  added 0, retired 1, description changed 1, status changed 0, unchanged 10',
      '  retired: 62',
      '  description changed: 03',
      '  rows appended: 3',
      '  report: _state/vocab/reports/cvx/000002-2025-03-01.json',
      '',
    ]);
  });

  it.each([
    { case: 'before the next LOINC release is due', today: '2025-09-15', status: 0, loinc: /^loinc +2\.80 +2025-02-24 +\S+ +2025-08-01 +2025-09-15 +current$/m },
    { case: 'once the next LOINC release is overdue', today: '2025-09-16', status: 1, loinc: /^loinc .* OVERDUE \(released yearly on 02-01, 08-01\)$/m },
  ])('shows status $case', ({ today, status, loinc }) => {
    const result = runCli(['vocab', 'status', '--today', today], lake);

    expect(result.status).toBe(status);
    expect(result.stdout).toMatch(loinc);
    expect(result.stdout).toMatch(/^cvx +2025-03-01 +2025-03-01 .* current \(released when needed\)$/m);
    expect(result.stdout).toMatch(/^rxnorm +- +- .* not loaded$/m);
  });
});

describe('code check of the shared samples', () => {
  let root: string;
  let lake: Lake;
  const counts = new Map<string, Partial<Record<CodeCheckOutcome, number>>>();
  const runCodes = new Map<string, CodeCheckSummary | undefined>();

  /** Moves a table's binding to `column`, as the counts in vocabularies/samples/README.md assume. */
  function bindOnly(dataset: DatasetDefinition | undefined, column: string, vocabulary: string): DatasetDefinition {
    if (!dataset) throw new Error('dataset file missing');
    const columns = Object.fromEntries(
      Object.entries(dataset.columns).map(([name, definition]) => {
        const { vocabulary: _bound, ...unbound } = definition;
        return [name, name === column ? { ...unbound, vocabulary } : unbound];
      }),
    );
    return { ...dataset, columns };
  }

  async function rowsOf(dataset: DatasetDefinition, columns: string[]): Promise<Row[]> {
    const snapshot = await lake.tables.snapshot(dataset.table);
    if (!snapshot) return [];
    const duck = await openDuckDb({ threads: 1 });
    try {
      return await lake.tables.withMaterialized(snapshot, async (pathOf) => {
        // Dates as text, `YYYY-MM-DD hh:mm:ss`, which the check reads by their first ten characters.
        const select = columns.map((name) => `CAST("${name}" AS VARCHAR) AS "${name}"`).join(', ');
        const reader = await duck.connection.runAndReadAll(`SELECT ${select} FROM (${snapshotSourceSql(snapshot, pathOf)})`);
        return reader.getRowObjectsJS() as Row[];
      });
    } finally {
      closeDuckDb(duck);
    }
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'carelake-vocab-samples-'));
    const config = loadConfig({ cwd: REPO_ROOT, env: { CARELAKE_LAKE_ROOT: join(root, 'lake') } });
    lake = await openLocalLake({ ...config, query: { threads: 1, memoryLimit: '512MB' } }, { clock: new ManualClock('2026-03-04T05:06:07.000Z') });
    const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
    const sources = loadVocabSources(join(REPO_ROOT, 'vocabularies'));
    for (const [system, release] of [
      ['cvx', {}],
      ['loinc', { version: '2.80', effective: '2025-02-24' }],
      ['snomedct', {}],
    ] as const) {
      const source = sources.get(system);
      const dataset = datasets.get(`vocab.${system}`);
      if (!source || !dataset) throw new Error(`the ${system} source or dataset file is missing`);
      await refreshVocabulary({ lake, source, dataset, release: join(SAMPLES, system), ...release });
    }

    const outputs = ['raw.hl7v2_segments', 'raw.fhir_resources', 'clinical.patients', 'clinical.encounters', 'clinical.observations', 'clinical.immunizations', 'clinical.conditions'];
    for (const [name, source] of [['samples-hl7v2', join(SHARED_TESTDATA, 'hl7v2')], ['samples-fhir', join(SHARED_TESTDATA, 'fhir', 'synthea')]] as const) {
      const file = join(root, `${name}.pipeline.yaml`);
      const dateColumns = '{ clinical.observations: effective_time, clinical.immunizations: administered_time, clinical.conditions: onset_time }';
      writeFileSync(
        file,
        `name: ${name}\nsource: { type: directory, path: ${source} }\noutputs: [${outputs.join(', ')}]\nvocabulary: { dateColumns: ${dateColumns} }\n`,
      );
      runCodes.set(name, (await runPipeline({ lake, pipeline: loadPipelineFile(file), datasets })).codes);
    }

    const checks = [
      { dataset: bindOnly(datasets.get('clinical.observations'), 'code', 'loinc'), column: 'code', dateColumn: 'effective_time' },
      { dataset: bindOnly(datasets.get('clinical.immunizations'), 'vaccine_code', 'cvx'), column: 'vaccine_code', dateColumn: 'administered_time' },
      { dataset: bindOnly(datasets.get('clinical.conditions'), 'code', 'snomedct'), column: 'code', dateColumn: 'onset_time' },
    ];
    const { index } = await loadVocabIndexes(lake, checks.map((check) => check.dataset));
    for (const { dataset, column, dateColumn } of checks) {
      const rows = await rowsOf(dataset, ['source_format', column, `${column}_system`, dateColumn]);
      for (const format of ['hl7v2', 'fhir']) {
        const result = checkCodes(dataset, rows.filter((row) => row['source_format'] === format), index, { dateColumn });
        counts.set(`${dataset.table} ${format}`, Object.fromEntries(result.counts.map((count) => [count.outcome, count.rows])));
      }
    }
  });

  afterAll(async () => {
    await lake.close();
    rmSync(root, { recursive: true, force: true });
  });

  it.each([
    { case: 'HL7 v2 observations', key: 'clinical.observations hl7v2', expected: { known: 92, unknown: 12, retired: 5, other_system: 19, empty: 7 } },
    { case: 'FHIR observations', key: 'clinical.observations fhir', expected: { known: 144, unknown: 9 } },
    { case: 'HL7 v2 immunizations', key: 'clinical.immunizations hl7v2', expected: { known: 3, unknown: 1, other_system: 1 } },
    { case: 'FHIR immunizations', key: 'clinical.immunizations fhir', expected: { known: 238, unknown: 4 } },
    { case: 'FHIR conditions', key: 'clinical.conditions fhir', expected: { known: 44, unknown: 9, retired: 1 } },
  ])('matches the README for $case', ({ key, expected }) => {
    expect(counts.get(key)).toEqual(expected);
  });

  it.each([
    { case: 'HL7 v2', pipeline: 'samples-hl7v2', expected: { checked: 113, unknown: 13, retired: 5, quarantined: 0 } },
    { case: 'FHIR', pipeline: 'samples-fhir', expected: { checked: 449, unknown: 22, retired: 1, quarantined: 0 } },
  ])('counts unknown codes in the $case run summary', ({ pipeline, expected }) => {
    expect(runCodes.get(pipeline)).toEqual(expected);
  });

  it('writes the flags to code_flags', async () => {
    const datasets = loadDatasets(join(REPO_ROOT, 'pipelines', 'datasets'));
    const immunizations = datasets.get('clinical.immunizations');
    if (!immunizations) throw new Error('dataset file missing');

    const flags = (await rowsOf(immunizations, ['code_flags'])).map((row) => row['code_flags']).filter((flag) => flag !== null);

    expect(flags).toEqual(Array(5).fill('unknown:vaccine_code'));
  });
});
