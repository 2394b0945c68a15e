// Real: the view compiler, its FHIRPath compiler and the FHIR R4 model, on views and resources written here; nothing is faked.
import { ViewDefinitionError, ViewEvaluationError } from './errors';
import { compileViewDefinition } from './view-compiler';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  birthDate: '1974-12-25',
  name: [
    { use: 'official', family: 'Chalmers', given: ['Peter', 'James'] },
    { use: 'maiden', family: 'Windsor' },
  ],
};

function errorOf(view: unknown, options: { name?: string } = {}): ViewDefinitionError {
  try {
    compileViewDefinition(view, options);
  } catch (error) {
    if (error instanceof ViewDefinitionError) return error;
    throw error;
  }
  throw new Error('expected the view not to compile');
}

function evaluationErrorOf(view: unknown, resource: Record<string, unknown>): ViewEvaluationError {
  const compiled = compileViewDefinition(view, { name: 'test_view' });
  try {
    compiled.evaluate(resource);
  } catch (error) {
    if (error instanceof ViewEvaluationError) return error;
    throw error;
  }
  throw new Error('expected the evaluation to fail');
}

/** Build a Patient view with the given select list. */
function patientView(
  select: unknown[],
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return { resource: 'Patient', select, ...extra };
}

const idColumn = { name: 'id', path: 'id' };

describe('compileViewDefinition', () => {
  it('describes its columns with declared and inferred types', () => {
    const view = compileViewDefinition(
      patientView([
        {
          column: [
            { name: 'id', path: 'getResourceKey()', description: 'Patient/<id>' },
            { name: 'birth_date', path: 'birthDate' },
            { name: 'family', path: 'name.family', collection: true },
            { name: 'deceased', path: 'deceased' },
            { name: 'age_text', path: 'birthDate', type: 'string' },
          ],
        },
      ]),
      { name: 'patient' },
    );
    expect(view.name).toBe('patient');
    expect(view.resource).toBe('Patient');
    expect(view.columns).toEqual([
      { name: 'id', type: 'string', collection: false, description: 'Patient/<id>' },
      { name: 'birth_date', type: 'date', collection: false },
      { name: 'family', type: 'string', collection: true },
      { name: 'deceased', type: undefined, collection: false },
      { name: 'age_text', type: 'string', collection: false },
    ]);
    expect(view.warnings).toEqual([]);
  });

  it('returns rows with null for absent values and lists for collections', () => {
    const view = compileViewDefinition(
      patientView([
        {
          column: [
            { name: 'id', path: 'id' },
            { name: 'gender', path: 'gender' },
            { name: 'given', path: 'name.given', collection: true },
            { name: 'photo', path: 'photo.title', collection: true },
          ],
        },
      ]),
    );
    expect(view.evaluate(patient)).toEqual([
      { id: 'p1', gender: null, given: ['Peter', 'James'], photo: [] },
    ]);
  });

  it('returns no rows for another resource type', () => {
    const view = compileViewDefinition(patientView([{ column: [idColumn] }]));
    expect(view.evaluate({ resourceType: 'Observation', id: 'o1' })).toEqual([]);
  });

  it('keeps the same rows when evaluated again', () => {
    const view = compileViewDefinition(
      patientView([{ forEach: 'name', column: [{ name: 'family', path: 'family' }] }]),
    );
    const first = view.evaluate(patient);
    expect(view.evaluate(patient)).toEqual(first);
    expect(first).toEqual([{ family: 'Chalmers' }, { family: 'Windsor' }]);
  });

  it('takes the name from the view when the options give none', () => {
    expect(
      compileViewDefinition(patientView([{ column: [idColumn] }], { name: 'patient_demographics' }))
        .name,
    ).toBe('patient_demographics');
    expect(compileViewDefinition(patientView([{ column: [idColumn] }])).name).toBe('');
  });

  it('warns about an element that R4 does not define and reads it anyway', () => {
    const view = compileViewDefinition(
      patientView([{ column: [{ name: 'pronoun', path: 'pronouns.first()' }] }]),
    );
    expect(view.warnings).toEqual([
      {
        keyPath: 'select[0].column[0].path',
        message:
          'unknown element "pronouns" on Patient in FHIR R4; it is read from the JSON without type checks',
        expression: 'pronouns.first()',
        character: 1,
      },
    ]);
    expect(view.evaluate({ resourceType: 'Patient', pronouns: ['she'] })).toEqual([
      { pronoun: 'she' },
    ]);
  });

  it('follows repeat through elements that only nested items have', () => {
    const view = compileViewDefinition({
      resource: 'QuestionnaireResponse',
      select: [{ repeat: ['item', 'answer.item'], column: [{ name: 'link_id', path: 'linkId' }] }],
    });
    const response = {
      resourceType: 'QuestionnaireResponse',
      item: [{ linkId: '1', answer: [{ item: [{ linkId: '1.1', item: [{ linkId: '1.1.1' }] }] }] }],
    };
    expect(view.columns[0]?.type).toBe('string');
    expect(view.warnings).toEqual([]);
    expect(view.evaluate(response)).toEqual([
      { link_id: '1' },
      { link_id: '1.1' },
      { link_id: '1.1.1' },
    ]);
  });
});

describe('ViewDefinitionError', () => {
  it('names the view, the key path and the character in the expression', () => {
    const error = errorOf(
      patientView([{ column: [idColumn] }, { column: [{ name: 'family', path: 'name.fisrt()' }] }]),
      {
        name: 'patient',
      },
    );
    expect(error.viewName).toBe('patient');
    expect(error.message).toBe(
      'View "patient" is invalid: select[1].column[0].path: unknown function "fisrt" (at character 6 of "name.fisrt()")',
    );
    expect(error.position).toEqual({ keyPath: 'select[1].column[0].path' });
    expect(error.issues).toEqual([
      {
        keyPath: 'select[1].column[0].path',
        message: 'unknown function "fisrt"',
        expression: 'name.fisrt()',
        character: 6,
      },
    ]);
  });

  it('reports every problem of a view at once', () => {
    const error = errorOf({
      resource: 'Patient',
      constant: [{ name: 'since', valueDate: '2024-13-01' }],
      select: [
        {
          column: [
            { name: 'id', path: 'id' },
            { name: 'id', path: 'name.(' },
          ],
        },
      ],
      where: [{ path: 'birthDate' }],
    });
    expect(error.issues.map((issue) => issue.keyPath)).toEqual([
      'constant[0].valueDate',
      'where[0].path',
      'select[0].column[1].path',
      'select[0].column[1].name',
    ]);
    expect(error.message).toContain('(and 3 more)');
    expect(error.describe()).toBe(
      [
        'Unnamed view is invalid:',
        '  - constant[0].valueDate: must be a FHIR date (YYYY, YYYY-MM or YYYY-MM-DD)',
        '  - where[0].path: must return a boolean but returns date ("birthDate")',
        '  - select[0].column[1].path: expected an element or function name after "." but found "(" (at character 6 of "name.(")',
        '  - select[0].column[1].name: column "id" is already defined at select[0].column[0]; column names must be unique',
        'Fix the ViewDefinition and compile it again.',
      ].join('\n'),
    );
  });

  it.each([
    {
      case: 'a view that is not an object',
      view: [],
      keyPath: '',
      message: 'a ViewDefinition must be a JSON object',
    },
    {
      case: 'an unknown top-level key',
      view: patientView([{ column: [idColumn] }], { wher: [] }),
      keyPath: 'wher',
      message: 'unknown key',
    },
    {
      case: 'a wrong resourceType',
      view: patientView([{ column: [idColumn] }], { resourceType: 'View' }),
      keyPath: 'resourceType',
      message: 'must be "ViewDefinition"',
    },
    {
      case: 'a resource R4 does not define',
      view: { resource: 'Patinet', select: [{ column: [idColumn] }] },
      keyPath: 'resource',
      message: '"Patinet" is not a FHIR R4 resource type',
    },
    {
      case: 'an abstract resource type',
      view: { resource: 'DomainResource', select: [{ column: [idColumn] }] },
      keyPath: 'resource',
      message: '"DomainResource" is not a FHIR R4 resource type',
    },
    {
      case: 'a view name unusable in SQL',
      view: patientView([{ column: [idColumn] }], { name: 'patient-view' }),
      keyPath: 'name',
      message: 'must start with a letter',
    },
    {
      case: 'an unknown status',
      view: patientView([{ column: [idColumn] }], { status: 'live' }),
      keyPath: 'status',
      message: 'must be one of draft, active, retired, unknown',
    },
    {
      case: 'an empty select list',
      view: patientView([]),
      keyPath: 'select',
      message: 'is missing',
    },
    {
      case: 'a select that is not an object',
      view: patientView(['id']),
      keyPath: 'select[0]',
      message: 'must be an object',
    },
    {
      case: 'a misspelled select key',
      view: patientView([{ columns: [idColumn] }]),
      keyPath: 'select[0].columns',
      message: 'unknown key',
    },
    {
      case: 'two iterations in one select',
      view: patientView([{ forEach: 'name', forEachOrNull: 'name', column: [idColumn] }]),
      keyPath: 'select[0]',
      message: 'only one of forEach, forEachOrNull and repeat',
    },
    {
      case: 'a forEach that is not text',
      view: patientView([{ forEach: 1 }]),
      keyPath: 'select[0].forEach',
      message: 'must be a FHIRPath expression string',
    },
    {
      case: 'a repeat that is not a list',
      view: patientView([{ repeat: 'item' }]),
      keyPath: 'select[0].repeat',
      message: 'must be a non-empty list',
    },
    {
      case: 'an empty unionAll',
      view: patientView([{ unionAll: [] }]),
      keyPath: 'select[0].unionAll',
      message: 'at least one branch',
    },
    {
      case: 'a column without a path',
      view: patientView([{ column: [{ name: 'id' }] }]),
      keyPath: 'select[0].column[0].path',
      message: 'is missing',
    },
    {
      case: 'a column name unusable in SQL',
      view: patientView([{ column: [{ name: '1st', path: 'id' }] }]),
      keyPath: 'select[0].column[0].name',
      message: 'must start with a letter',
    },
    {
      case: 'a non-boolean collection flag',
      view: patientView([{ column: [{ ...idColumn, collection: 'yes' }] }]),
      keyPath: 'select[0].column[0].collection',
      message: 'must be true or false',
    },
    {
      case: 'an unknown column type',
      view: patientView([{ column: [{ ...idColumn, type: 'strng' }] }]),
      keyPath: 'select[0].column[0].type',
      message: '"strng" is not a FHIR type',
    },
    {
      case: 'a duplicate column across selects',
      view: patientView([{ column: [idColumn] }, { forEach: 'name', column: [idColumn] }]),
      keyPath: 'select[1].column[0].name',
      message: 'column "id" is already defined at select[0].column[0]',
    },
    {
      case: 'a constant without a value',
      view: patientView([{ column: [idColumn] }], { constant: [{ name: 'x' }] }),
      keyPath: 'constant[0]',
      message: 'needs exactly one value[x]',
    },
    {
      case: 'a constant with two values',
      view: patientView([{ column: [idColumn] }], {
        constant: [{ name: 'x', valueString: 'a', valueCode: 'b' }],
      }),
      keyPath: 'constant[0]',
      message: 'but has valueString, valueCode',
    },
    {
      case: 'a constant of an unsupported type',
      view: patientView([{ column: [idColumn] }], {
        constant: [{ name: 'x', valueQuantity: { value: 1 } }],
      }),
      keyPath: 'constant[0].valueQuantity',
      message: 'is not a constant type',
    },
    {
      case: 'a constant of the wrong JSON type',
      view: patientView([{ column: [idColumn] }], { constant: [{ name: 'x', valueInteger: '1' }] }),
      keyPath: 'constant[0].valueInteger',
      message: 'must be a 32-bit integer',
    },
    {
      case: 'a built-in constant name',
      view: patientView([{ column: [idColumn] }], {
        constant: [{ name: 'rowIndex', valueInteger: 1 }],
      }),
      keyPath: 'constant[0].name',
      message: '%rowIndex is built in',
    },
    {
      case: 'a constant defined twice',
      view: patientView([{ column: [idColumn] }], {
        constant: [
          { name: 'x', valueInteger: 1 },
          { name: 'x', valueInteger: 2 },
        ],
      }),
      keyPath: 'constant[1].name',
      message: 'constant "x" is defined twice',
    },
    {
      case: 'a where path that is not text',
      view: patientView([{ column: [idColumn] }], { where: [{ path: true }] }),
      keyPath: 'where[0].path',
      message: 'must be a non-empty string',
    },
    {
      case: 'unionAll branches with other columns',
      view: patientView([
        { unionAll: [{ column: [idColumn] }, { column: [{ name: 'key', path: 'id' }] }] },
      ]),
      keyPath: 'select[0].unionAll[1]',
      message: 'has columns (key) but unionAll[0] has (id)',
    },
  ])('rejects $case', ({ view, keyPath, message }) => {
    const error = errorOf(view);
    expect(error.issues[0]?.keyPath).toBe(keyPath);
    expect(error.issues[0]?.message).toContain(message);
  });
});

describe('ViewEvaluationError', () => {
  it('names the view, the column, the resource type and id, and no values', () => {
    const error = evaluationErrorOf(
      patientView([{ column: [idColumn, { name: 'family', path: 'name.family' }] }]),
      patient,
    );
    expect(error).toBeInstanceOf(ViewDefinitionError);
    expect(error.viewName).toBe('test_view');
    expect(error.keyPath).toBe('select[0].column[1]');
    expect(error.resourceType).toBe('Patient');
    expect(error.resourceId).toBe('p1');
    expect(error.message).toBe(
      'View "test_view" is invalid: select[0].column[1]: column "family" returned 2 values but is not declared with collection: true for Patient/p1',
    );
    expect(error.message).not.toContain('Chalmers');
    expect(error.hint).toContain('collection: true');
  });

  it('reports a where path that returns something other than a boolean', () => {
    const view = patientView([{ column: [idColumn] }], { where: [{ path: 'contained.status' }] });
    const error = evaluationErrorOf(view, {
      resourceType: 'Patient',
      contained: [{ resourceType: 'Observation', status: 'final' }],
    });
    expect(error.keyPath).toBe('where[0].path');
    expect(error.resourceId).toBeUndefined();
    expect(error.message).toBe(
      'View "test_view" is invalid: where[0].path: the where path returned a value that is not a boolean for a Patient without an id',
    );
    expect(error.message).not.toContain('final');
  });

  it('wraps a FHIRPath evaluation error with the key path of its expression', () => {
    const view = patientView([
      { forEach: 'name', column: [{ name: 'flag', path: 'given and true' }] },
    ]);
    const error = evaluationErrorOf(view, patient);
    expect(error.keyPath).toBe('select[0].column[0].path');
    expect(error.message).toContain('and needs at most one item but got 2 for Patient/p1');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
