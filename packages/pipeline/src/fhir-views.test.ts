// Real: view files in a temp folder, the shipped views and dataset files, the view compiler; nothing is faked.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ConfigError } from '@carelake/core';
import { loadDatasets } from './datasets';
import { PipelineError } from './errors';
import { BUILT_IN_FHIR_VIEWS_DIR, fhirViewPathsOf, loadFhirViews, readFhirViewSources, writesFhirViews } from './fhir-views';
import { loadPipelineFile } from './pipeline-file';

const datasets = loadDatasets(resolve(__dirname, '../../../pipelines/datasets'));

const pulseView = {
  resourceType: 'ViewDefinition',
  name: 'pulse',
  resource: 'Observation',
  where: [{ path: "code.coding.exists(system = 'http://loinc.org' and code = '8867-4')" }],
  select: [{ column: [{ name: 'id', path: 'id' }, { name: 'rate', path: 'value.ofType(Quantity).value' }] }],
};

describe('FHIR view files of a pipeline', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'carelake-fhir-views-test-'));
  });

  afterEach(async () => {
    await rm(root, { recursive: true, force: true });
  });

  async function pipelineWith(lines: string[]): Promise<ReturnType<typeof loadPipelineFile>> {
    const file = join(root, 'vitals.pipeline.yaml');
    await writeFile(file, ['name: vitals', 'source: { type: directory, path: inbox }', ...lines, ''].join('\n'));
    return loadPipelineFile(file);
  }

  it.each([
    { case: 'views entries resolved against the pipeline file', views: true, beside: true, expected: (dir: string) => [join(dir, 'mine'), join(dir, 'extra.view.json')] },
    { case: 'views/fhir beside the pipeline file', views: false, beside: true, expected: (dir: string) => [join(dir, 'views', 'fhir')] },
    { case: 'the built-in views', views: false, beside: false, expected: () => [BUILT_IN_FHIR_VIEWS_DIR] },
  ])('reads $case', async ({ views, beside, expected }) => {
    if (beside) await mkdir(join(root, 'views', 'fhir'), { recursive: true });
    const pipeline = await pipelineWith([
      ...(views ? ['views: [mine, extra.view.json]'] : []),
      'outputs: [fhir.patient]',
    ]);
    expect(fhirViewPathsOf(pipeline)).toEqual(expected(root));
  });

  it.each([
    { case: 'with a fhir table', outputs: '[raw.fhir_resources, fhir.patient]', expected: true },
    { case: 'without one', outputs: '[raw.fhir_resources, clinical.patients]', expected: false },
  ])('needs views for outputs $case', async ({ outputs, expected }) => {
    expect(writesFhirViews(await pipelineWith([`outputs: ${outputs}`]))).toBe(expected);
  });

  it('reads the view files of a folder in name order', async () => {
    await mkdir(join(root, 'mine'));
    await writeFile(join(root, 'mine', 'b.view.json'), '{}');
    await writeFile(join(root, 'mine', 'a.view.json'), '{}');
    await writeFile(join(root, 'mine', 'notes.md'), '# not a view');

    const sources = readFhirViewSources([join(root, 'mine')]);
    expect(sources.map((source) => source.file)).toEqual([join(root, 'mine', 'a.view.json'), join(root, 'mine', 'b.view.json')]);
  });

  it.each([
    { case: 'a missing path', make: async () => join(root, 'nowhere'), message: /^FHIR view path .*nowhere does not exist$/ },
    {
      case: 'a folder without view files',
      make: async () => {
        await mkdir(join(root, 'empty'));
        return join(root, 'empty');
      },
      message: /^FHIR view folder .*empty has no \*\.view\.json file$/,
    },
  ])('rejects $case', async ({ make, message }) => {
    const path = await make();
    expect(() => readFhirViewSources([path])).toThrow(PipelineError);
    expect(() => readFhirViewSources([path])).toThrow(message);
  });

  it('compiles the built-in views of the outputs with their dataset files', async () => {
    const pipeline = await pipelineWith(['outputs: [raw.fhir_resources, fhir.patient, fhir.observation_component]']);
    const views = loadFhirViews(pipeline, datasets);

    expect(views.tables.map((table) => table.table)).toEqual(['fhir.observation_component', 'fhir.patient']);
    expect(views.find('fhir.patient')?.dataset.description).toBe(datasets.get('fhir.patient')?.description);
  });

  it('compiles a view of its own beside the shipped ones', async () => {
    await mkdir(join(root, 'mine'));
    await writeFile(join(root, 'mine', 'pulse.view.json'), JSON.stringify(pulseView));
    const pipeline = await pipelineWith([`views: [${BUILT_IN_FHIR_VIEWS_DIR}, mine]`, 'outputs: [fhir.observation, fhir.pulse]']);
    const views = loadFhirViews(pipeline, datasets);

    expect(views.tablesOf('Observation').map((table) => table.table)).toEqual(['fhir.observation', 'fhir.pulse']);
    expect(views.find('fhir.pulse')?.dataset.classification).toBe('phi');
  });

  it('names the view file that has a mistake', async () => {
    await mkdir(join(root, 'mine'));
    const file = join(root, 'mine', 'pulse.view.json');
    const broken = { ...pulseView, select: [{ column: [{ name: 'rate', path: 'value.ofType(Quantity).value.nosuchfunction()' }] }] };
    await writeFile(file, JSON.stringify(broken));
    const pipeline = await pipelineWith(['views: [mine]', 'outputs: [fhir.pulse]']);

    const load = (): unknown => loadFhirViews(pipeline, datasets);
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(`FHIR view file ${file} is invalid`);
  });
});
