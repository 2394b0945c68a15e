// Real: compileFhirViews and the view compiler on view texts written in the test; nothing is faked.
import { ConfigError, type DatasetDefinition } from '@carelake/core';
import { deriveViewDataset } from './view-dataset';
import { compileFhirViews, type FhirViewSource } from './view-set';
import { compileViewDefinition } from './views';

function source(file: string, view: unknown): FhirViewSource {
  return { file, text: typeof view === 'string' ? view : JSON.stringify(view, null, 2) };
}

const patientView = {
  resourceType: 'ViewDefinition',
  name: 'people',
  resource: 'Patient',
  select: [{ column: [{ name: 'id', path: 'id' }] }],
};
const encounterView = { ...patientView, name: 'visits', resource: 'Encounter' };
const secondPatientView = { ...patientView, name: 'people_gender', select: [{ column: [{ name: 'gender', path: 'gender' }] }] };

/** Returns the ConfigError that `compileFhirViews` throws for the sources. */
function compileError(sources: FhirViewSource[], tables?: string[], datasets?: Map<string, DatasetDefinition>): ConfigError {
  try {
    compileFhirViews(sources, { ...(tables ? { tables } : {}), ...(datasets ? { datasets } : {}) });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('compileFhirViews', () => {
  it('groups view tables by the resource type they read', () => {
    const views = compileFhirViews([
      source('/views/people.view.json', patientView),
      source('/views/visits.view.json', encounterView),
      source('/views/people_gender.view.json', secondPatientView),
    ]);

    expect(views.tablesOf('Patient').map((table) => table.table)).toEqual(['fhir.people', 'fhir.people_gender']);
    expect(views.tablesOf('Encounter').map((table) => table.table)).toEqual(['fhir.visits']);
    expect(views.tablesOf('Observation')).toEqual([]);
    expect(views.find('fhir.visits')?.view.resource).toBe('Encounter');
  });

  it('compiles only the views of the given tables', () => {
    const broken = { ...encounterView, select: [{ column: [{ name: 'x', path: 'nosuchelement' }] }] };
    const views = compileFhirViews(
      [source('/views/people.view.json', patientView), source('/views/visits.view.json', broken)],
      { tables: ['raw.fhir_resources', 'fhir.people'] },
    );
    expect(views.tables.map((table) => table.table)).toEqual(['fhir.people']);
  });

  it('names the file and key path of a view mistake', () => {
    const broken = { ...patientView, select: [{ column: [{ name: 'id', path: 'id' }, { name: 'born', path: 'birthDate.nosuch(' }] }] };
    const error = compileError([source('/work/views/people.view.json', broken)]);

    expect(error.message).toBe('FHIR view file /work/views/people.view.json is invalid');
    expect(error.position?.file).toBe('/work/views/people.view.json');
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['/work/views/people.view.json: select[0].column[1].path']);
  });

  it('rejects a path to an element FHIR R4 does not define', () => {
    const typo = { ...patientView, select: [{ column: [{ name: 'born', path: 'birthDat' }] }] };
    const error = compileError([source('/work/views/people.view.json', typo)]);

    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['/work/views/people.view.json: select[0].column[0].path']);
    expect(error.issues[0]?.message).toMatch(/fix the path to an element FHIR R4 defines/);
  });

  it.each([
    {
      case: 'invalid JSON',
      sources: [source('/v/a.view.json', '{\n  "name": "a",\n  "resource": }')],
      keyPaths: ['/v/a.view.json: (root)'],
      message: /^is not valid JSON at line 3, column 15/,
    },
    {
      case: 'a view without a name',
      sources: [source('/v/a.view.json', { ...patientView, name: undefined })],
      keyPaths: ['/v/a.view.json: name'],
      message: /^is missing/,
    },
    {
      case: 'two views with one name',
      sources: [source('/v/a.view.json', patientView), source('/v/b.view.json', patientView)],
      keyPaths: ['/v/b.view.json: name'],
      message: /also the name of the view in \/v\/a\.view\.json/,
    },
  ])('reports $case', ({ sources, keyPaths, message }) => {
    const error = compileError(sources);
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(keyPaths);
    expect(error.issues[0]?.message).toMatch(message);
  });

  it('reports an output table without a view', () => {
    const error = compileError([source('/v/people.view.json', patientView)], ['fhir.people', 'fhir.persons']);

    expect(error.message).toBe('fhir.persons has no view');
    expect(error.issues).toEqual([
      { keyPath: 'outputs', message: 'fhir.persons has no view: no view file has the name "persons" (views found: people)' },
    ]);
  });

  it('names the table of a dataset file that does not match', () => {
    const dataset = deriveViewDataset(compileViewDefinition(patientView));
    dataset.columns['id'] = { type: 'int', nullable: true };
    const error = compileError([source('/v/people.view.json', patientView)], undefined, new Map([['fhir.people', dataset]]));

    expect(error.message).toBe('view "people" and the dataset file of fhir.people do not match');
    expect(error.issues).toEqual([
      { keyPath: 'fhir.people: columns.id.type', message: "is int, but the view column's FHIR type gives string" },
    ]);
  });

  it('lists the problems of several files at once', () => {
    const error = compileError([
      source('/v/a.view.json', { ...patientView, resource: 'Patients' }),
      source('/v/b.view.json', { ...encounterView, select: [] }),
    ]);

    expect(error.message).toBe('the FHIR views of the pipeline have 2 problems');
    expect(error.issues.map((issue) => issue.keyPath)).toEqual(['/v/a.view.json: resource', '/v/b.view.json: select']);
  });
});
