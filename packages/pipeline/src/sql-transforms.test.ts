// Real: the shipped transform, view and dataset files, transform files written to a temp folder,
// and DuckDB, which parses and prepares every transform. Nothing is faked.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError, type DatasetDefinition } from '@carelake/core';
import { loadDatasets } from './datasets';
import { loadFhirViews } from './fhir-views';
import { loadPipelineFile, type LoadedPipeline } from './pipeline-file';
import { checkSqlTransforms, loadSqlTransforms } from './sql-transforms';
import { TransformEngine } from './transform-engine';
import { BUILT_IN_FHIR_TRANSFORMS_DIR, sqlTransformPathsOf } from './transform-files';

const LIMITS = { threads: 1, memoryLimit: '256MB' };
const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));
const SHIPPED = readdirSync(BUILT_IN_FHIR_TRANSFORMS_DIR)
  .filter((name) => name.endsWith('.sql'))
  .sort();
const CLINICAL_TABLES = SHIPPED.map((name) => `clinical.${name.slice(0, -'.sql'.length)}`);
const VIEW_TABLES = [
  'patient',
  'encounter',
  'condition',
  'observation',
  'observation_component',
  'procedure',
  'immunization',
  'medication_request',
].map((name) => `fhir.${name}`);
const views = loadFhirViews(
  { outputs: VIEW_TABLES, baseDir: resolve(__dirname, '../../../pipelines') } as LoadedPipeline,
  datasets,
);

function datasetOf(table: string): DatasetDefinition | undefined {
  return views.find(table)?.dataset ?? datasets.get(table);
}

/** Returns `text` with `from` replaced, and fails when `from` is not in it, so that a stale edit cannot pass. */
function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`the shipped transform no longer contains ${from}`);
  return text.replace(from, to);
}

async function issuesOf(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof ConfigError))
    throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error.issues.map((issue) => `${issue.keyPath.split('/').pop() ?? ''}: ${issue.message}`);
}

describe('shipped SQL transforms', () => {
  it('write every clinical table that FHIR resources reach', () => {
    expect(CLINICAL_TABLES).toEqual([
      'clinical.conditions',
      'clinical.encounters',
      'clinical.immunizations',
      'clinical.medications',
      'clinical.observations',
      'clinical.patients',
      'clinical.procedures',
    ]);
  });

  it.each(SHIPPED.map((name) => ({ case: name })))(
    'parses $case with EXPLAIN over empty views',
    async ({ case: name }) => {
      const engine = await TransformEngine.open(LIMITS);
      try {
        for (const table of VIEW_TABLES)
          await engine.defineEmptyTable(datasetOf(table) as DatasetDefinition);
        await engine.lockDown([]);
        const sql = await readFile(join(BUILT_IN_FHIR_TRANSFORMS_DIR, name), 'utf8');
        const plan = await engine.run(`EXPLAIN ${sql}`);
        expect(plan.length).toBeGreaterThan(0);
      } finally {
        await engine.close();
      }
    },
  );
});

describe('SQL transforms of a pipeline', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-transforms-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function pipelineWith(lines: string[]): Promise<LoadedPipeline> {
    const file = join(root, 'fhir.pipeline.yaml');
    await writeFile(file, ['name: fhir', ...lines, ''].join('\n'));
    return loadPipelineFile(file);
  }

  async function pipelineWithTransform(
    name: string,
    sql: string,
    outputs = ['clinical.patients'],
  ): Promise<LoadedPipeline> {
    await mkdir(join(root, 'mine'), { recursive: true });
    await writeFile(join(root, 'mine', name), sql);
    return pipelineWith([
      'source: { type: directory, path: inbox }',
      'transforms: [mine]',
      `outputs: [${outputs.join(', ')}]`,
    ]);
  }

  it.each([
    {
      case: 'transforms entries resolved against the pipeline file',
      lines: ['transforms: [mine, extra.sql]'],
      beside: true,
      expected: (dir: string) => [join(dir, 'mine'), join(dir, 'extra.sql')],
    },
    {
      case: 'transforms/fhir beside the pipeline file',
      lines: [],
      beside: true,
      expected: (dir: string) => [join(dir, 'transforms', 'fhir')],
    },
    {
      case: 'the built-in transforms',
      lines: [],
      beside: false,
      expected: () => [BUILT_IN_FHIR_TRANSFORMS_DIR],
    },
    {
      case: 'none for an explicit empty list',
      lines: ['transforms: []'],
      beside: true,
      expected: () => [],
    },
    {
      case: 'none for HL7 v2 only',
      lines: ['decode: { format: hl7v2 }'],
      beside: true,
      expected: () => [],
    },
  ])('reads $case', async ({ lines, beside, expected }) => {
    if (beside) await mkdir(join(root, 'transforms', 'fhir'), { recursive: true });
    const pipeline = await pipelineWith([
      'source: { type: directory, path: inbox }',
      ...lines,
      'outputs: [clinical.patients]',
    ]);
    expect(sqlTransformPathsOf(pipeline)).toEqual(expected(root));
  });

  it('reads no transforms for an MLLP source', async () => {
    const pipeline = await pipelineWith([
      'source: { type: mllp, port: 0 }',
      'outputs: [clinical.patients]',
    ]);
    expect(sqlTransformPathsOf(pipeline)).toEqual([]);
  });

  it('keeps the transforms of the outputs and lists the views each reads', async () => {
    const pipeline = await pipelineWith([
      'source: { type: directory, path: inbox }',
      'outputs: [raw.fhir_resources, clinical.patients, clinical.observations]',
    ]);
    const transforms = await loadSqlTransforms(pipeline, LIMITS);

    expect(transforms.map((transform) => [transform.table, transform.sources])).toEqual([
      ['clinical.observations', ['fhir.observation', 'fhir.observation_component']],
      ['clinical.patients', ['fhir.patient']],
    ]);
  });

  it('accepts every shipped transform against its dataset', async () => {
    const pipeline = await pipelineWith([
      'source: { type: directory, path: inbox }',
      `outputs: [${CLINICAL_TABLES.join(', ')}]`,
    ]);
    const transforms = await loadSqlTransforms(pipeline, LIMITS);

    expect(transforms).toHaveLength(SHIPPED.length);
    await expect(checkSqlTransforms(transforms, datasetOf, LIMITS)).resolves.toBeUndefined();
  });

  it.each([
    {
      case: 'a file name that is no table name',
      name: 'Patients.sql',
      sql: 'SELECT 1',
      message:
        'Patients.sql: the file name gives the table clinical.Patients, which breaks the Glue naming rule',
    },
    {
      case: 'an empty file',
      name: 'patients.sql',
      sql: '-- to do\n',
      message: 'patients.sql: contains no SQL statement; a transform is one SELECT',
    },
    {
      case: 'text that does not parse',
      name: 'patients.sql',
      sql: 'SELEC id FROM fhir.patient',
      message: 'patients.sql: is not valid SQL: syntax error at or near "SELEC"',
    },
    {
      case: 'a statement that is not a SELECT',
      name: 'patients.sql',
      sql: 'CREATE TABLE copy AS SELECT * FROM fhir.patient',
      message: 'patients.sql: is not a SELECT statement; a transform is one SELECT',
    },
    {
      case: 'a table function',
      name: 'patients.sql',
      sql: "SELECT * FROM fhir.patient, read_csv('inbox/extra.csv') AS extra",
      message:
        'patients.sql: reads read_csv(...); a transform reads only fhir.<view> tables, named with their database',
    },
    {
      case: 'two statements',
      name: 'patients.sql',
      sql: 'SELECT id FROM fhir.patient; SELECT id FROM fhir.patient',
      message: 'patients.sql: contains 2 statements; a transform is one SELECT',
    },
    {
      case: 'DuckDB-only SQL',
      name: 'patients.sql',
      sql: 'SELECT\n  id::VARCHAR AS id\nFROM fhir.patient',
      message:
        'patients.sql:2: :: cast is DuckDB-only SQL, which Athena rejects; write CAST(value AS type)',
    },
    {
      case: 'a clinical table',
      name: 'patients.sql',
      sql: 'SELECT * FROM clinical.patients',
      message:
        'patients.sql: reads clinical.patients; a transform reads only fhir.<view> tables, named with their database',
    },
    {
      case: 'a table without its database',
      name: 'patients.sql',
      sql: 'SELECT * FROM patient',
      message:
        'patients.sql: reads patient; a transform reads only fhir.<view> tables, named with their database',
    },
    {
      case: 'a table of another catalog',
      name: 'patients.sql',
      sql: 'SELECT * FROM memory.fhir.patient',
      message:
        'patients.sql: reads memory.fhir.patient; a transform reads only fhir.<view> tables, named with their database',
    },
    {
      case: 'no table',
      name: 'patients.sql',
      sql: 'SELECT 1 AS patient_key',
      message: 'patients.sql: reads no fhir.<view> table',
    },
  ])('rejects $case when loading', async ({ name, sql, message }) => {
    const pipeline = await pipelineWithTransform(name, sql);
    expect(await issuesOf(loadSqlTransforms(pipeline, LIMITS))).toEqual([
      expect.stringContaining(message),
    ]);
  });

  it('lists every problem of every file at once', async () => {
    await mkdir(join(root, 'mine'), { recursive: true });
    await writeFile(
      join(root, 'mine', 'patients.sql'),
      'SELECT id::VARCHAR AS id FROM fhir.patient GROUP BY ALL',
    );
    await writeFile(join(root, 'mine', 'encounters.sql'), 'SELECT * FROM clinical.encounters');
    const pipeline = await pipelineWith([
      'source: { type: directory, path: inbox }',
      'transforms: [mine]',
      'outputs: [clinical.patients, clinical.encounters]',
    ]);

    expect(await issuesOf(loadSqlTransforms(pipeline, LIMITS))).toEqual([
      expect.stringMatching(/^encounters\.sql: reads clinical\.encounters;/),
      expect.stringMatching(/^patients\.sql:1: :: cast/),
      expect.stringMatching(/^patients\.sql:1: GROUP BY ALL/),
    ]);
  });

  describe('checked against the dataset', () => {
    let shipped: string;

    beforeAll(async () => {
      shipped = await readFile(join(BUILT_IN_FHIR_TRANSFORMS_DIR, 'patients.sql'), 'utf8');
    });

    it.each([
      {
        case: 'a missing column',
        change: (sql: string) => edit(sql, '  p.gender AS sex,\n', ''),
        message:
          'patients.sql: returns no column sex of clinical.patients; return each, NULL cast to its type where there is no value',
      },
      {
        case: 'an extra column',
        change: (sql: string) =>
          edit(sql, '  p.gender AS sex,\n', '  p.gender AS sex,\n  p.active AS active,\n'),
        message:
          'patients.sql: returns the column active, which clinical.patients does not declare; remove it or declare it in the dataset file',
      },
      {
        case: 'a column of another type',
        change: (sql: string) =>
          edit(sql, '  CAST(NULL AS VARCHAR) AS merged_into_key,', '  NULL AS merged_into_key,'),
        message:
          'patients.sql: returns merged_into_key as INTEGER, but clinical.patients declares it string; write CAST(... AS VARCHAR)',
      },
      {
        case: 'a column twice',
        change: (sql: string) =>
          edit(sql, '  p.city AS city,\n', '  p.city AS city,\n  p.city AS city,\n'),
        message: 'patients.sql: returns the column city twice',
      },
      {
        case: 'a view column that does not exist',
        change: (sql: string) => edit(sql, 'p.gender AS sex', 'p.sex AS sex'),
        message:
          'patients.sql: DuckDB cannot prepare it: Binder Error: Values list "p" does not have a column named "sex"',
      },
    ])('rejects $case', async ({ change, message }) => {
      const pipeline = await pipelineWithTransform('patients.sql', change(shipped));
      const transforms = await loadSqlTransforms(pipeline, LIMITS);
      expect(await issuesOf(checkSqlTransforms(transforms, datasetOf, LIMITS))).toEqual([message]);
    });
  });
});
