// Real: the FHIRPath compiler and evaluator with the FHIR R4 model, on resources written here; nothing is faked.
import { compileErrorOf, evaluateFhirPath, inferredTypes } from '../__fixtures__/fhirpath';
import { FhirPathEvaluationError } from './errors';

const patient = {
  resourceType: 'Patient',
  id: 'p1',
  active: true,
  gender: 'female',
  birthDate: '1974-12-25',
  _birthDate: {
    extension: [
      {
        url: 'http://hl7.org/fhir/StructureDefinition/patient-birthTime',
        valueDateTime: '1974-12-25T14:35:45-05:00',
      },
    ],
  },
  deceasedBoolean: false,
  name: [
    { use: 'official', family: 'Chalmers', given: ['Peter', 'James'] },
    { use: 'usual', given: ['Jim'] },
    {
      use: 'maiden',
      family: 'Windsor',
      given: ['Peter', null],
      _given: [null, { extension: [{ url: 'urn:x', valueString: 'x' }] }],
    },
  ],
  telecom: [
    { system: 'phone', value: '(03) 5555 6473', use: 'work', rank: 1 },
    { system: 'email', value: 'p@example.org' },
  ],
  managingOrganization: { reference: 'Organization/1' },
  contained: [
    { resourceType: 'Practitioner', id: 'pr1', name: [{ family: 'Careful' }], valueMadeUp: 5 },
    { resourceType: 'Observation', id: 'ob1', valueInteger: 7 },
  ],
};

const observation = {
  resourceType: 'Observation',
  id: 'o1',
  status: 'final',
  code: { coding: [{ system: 'http://loinc.org', code: '85354-9' }] },
  effectiveDateTime: '2020-03-06T20:20:23-08:00',
  valueQuantity: { value: 120.5, unit: 'mmHg', code: 'mm[Hg]' },
  component: [
    { code: { text: 'systolic' }, valueQuantity: { value: 120, code: 'mm[Hg]' } },
    { code: { text: 'diastolic' }, valueQuantity: { value: 80, code: 'mm[Hg]' } },
    { code: { text: 'comment' }, valueString: 'resting' },
  ],
};

describe('FHIRPath paths', () => {
  it.each([
    { case: 'single element', expression: 'gender', expected: ['female'] },
    {
      case: 'repeating element flattened',
      expression: 'name.given',
      expected: ['Peter', 'James', 'Jim', 'Peter'],
    },
    { case: 'nulls of primitive arrays dropped', expression: 'name[2].given', expected: ['Peter'] },
    {
      case: 'leading resource type',
      expression: 'Patient.name.family',
      expected: ['Chalmers', 'Windsor'],
    },
    { case: 'indexer past the end', expression: 'name[5].family', expected: [] },
    { case: 'first of a path', expression: 'name.family.first()', expected: ['Chalmers'] },
    { case: 'last of a path', expression: 'name.given.last()', expected: ['Peter'] },
    { case: '$this in where', expression: "name.given.where($this = 'Jim')", expected: ['Jim'] },
    {
      case: '$index in where',
      expression: 'telecom.where($index = 1).system',
      expected: ['email'],
    },
    { case: 'choice without ofType', expression: 'deceased', expected: [false] },
    {
      case: 'primitive extension',
      expression: 'birthDate.extension.value.ofType(dateTime)',
      expected: ['1974-12-25T14:35:45-05:00'],
    },
    {
      case: 'primitive extension function',
      expression:
        "birthDate.extension('http://hl7.org/fhir/StructureDefinition/patient-birthTime').exists()",
      expected: [true],
    },
    {
      case: 'extension of a primitive array item',
      expression: "name[2].given.extension('urn:x').value.ofType(string)",
      expected: ['x'],
    },
    { case: 'value of a primitive', expression: 'birthDate.value', expected: ['1974-12-25'] },
    {
      case: 'contained resource filtered by type',
      expression: 'contained.ofType(Practitioner).name.family',
      expected: ['Careful'],
    },
    { case: 'wrong leading type', expression: 'Observation.status', expected: [] },
    {
      case: '%resource',
      expression: "name.where(%resource.gender = 'female').count()",
      expected: [3],
    },
    { case: 'empty collection literal', expression: '{}.exists()', expected: [false] },
  ])('reads $case', ({ expression, expected }) => {
    expect(evaluateFhirPath(expression, patient)).toEqual(expected);
  });

  it.each([
    {
      case: 'bare choice element',
      expression: 'value',
      expected: [{ value: 120.5, unit: 'mmHg', code: 'mm[Hg]' }],
    },
    {
      case: 'choice narrowed to its type',
      expression: 'value.ofType(Quantity).value',
      expected: [120.5],
    },
    { case: 'choice narrowed to an absent type', expression: 'value.ofType(string)', expected: [] },
    {
      case: 'choice inside a repeating element',
      expression: 'component.value.ofType(Quantity).value',
      expected: [120, 80],
    },
    {
      case: 'as operator on a choice',
      expression: '(component.value as string)',
      expected: ['resting'],
    },
    {
      case: 'is on each item',
      expression: 'component.where(value is Quantity).code.text',
      expected: ['systolic', 'diastolic'],
    },
  ])('reads $case', ({ expression, expected }) => {
    expect(evaluateFhirPath(expression, observation)).toEqual(expected);
  });

  it('reads elements of contained resources without the model', () => {
    expect(evaluateFhirPath('contained.valueMadeUp', patient)).toEqual([5]);
    // Only a key whose rest is a type name (valueInteger, not valueMadeUp) is a choice.
    expect(evaluateFhirPath('contained.value', patient)).toEqual([7]);
  });

  it('reads an element unknown to R4 when warnings are collected', () => {
    const warnings: string[] = [];
    const resource = { resourceType: 'Patient', futureElement: 'x' };
    expect(evaluateFhirPath('futureElement', resource, { warnings })).toEqual(['x']);
    expect(warnings).toEqual([
      'unknown element "futureElement" on Patient in FHIR R4; it is read from the JSON without type checks',
    ]);
  });

  it('never reads inherited JavaScript properties', () => {
    expect(evaluateFhirPath('contained.constructor', patient)).toEqual([]);
    expect(evaluateFhirPath('gender.length()', patient)).toEqual([6]);
  });

  it.each([
    { case: 'element', expression: 'birthDate', resourceType: 'Patient', types: ['date'] },
    { case: 'resource id', expression: 'id', resourceType: 'Patient', types: ['id'] },
    {
      case: 'backbone element',
      expression: 'contact',
      resourceType: 'Patient',
      types: ['BackboneElement'],
    },
    {
      case: 'choice element',
      expression: 'deceased',
      resourceType: 'Patient',
      types: ['boolean', 'dateTime'],
    },
    {
      case: 'narrowed choice',
      expression: 'value.ofType(Quantity).value',
      resourceType: 'Observation',
      types: ['decimal'],
    },
    {
      case: 'content reference',
      expression: 'item.item.linkId',
      resourceType: 'Questionnaire',
      types: ['string'],
    },
    {
      case: 'function result',
      expression: 'name.exists()',
      resourceType: 'Patient',
      types: ['boolean'],
    },
    {
      case: 'resource key',
      expression: 'getResourceKey()',
      resourceType: 'Patient',
      types: ['string'],
    },
  ])('infers the type of $case', ({ expression, resourceType, types }) => {
    expect(inferredTypes(expression, resourceType)).toEqual(types);
  });
});

describe('FHIRPath operators', () => {
  it.each([
    { case: 'true and empty', expression: 'true and {}', expected: [] },
    { case: 'false and empty', expression: 'false and {}', expected: [false] },
    { case: 'true or empty', expression: '{} or true', expected: [true] },
    { case: 'false or empty', expression: 'false or {}', expected: [] },
    { case: 'xor', expression: 'true xor false', expected: [true] },
    { case: 'implies from false', expression: 'false implies {}', expected: [true] },
    { case: 'implies from empty', expression: '{} implies false', expected: [] },
    { case: 'equal strings', expression: "gender = 'female'", expected: [true] },
    { case: 'equal with empty side', expression: "{} = 'female'", expected: [] },
    { case: 'not equal', expression: "gender != 'male'", expected: [true] },
    {
      case: 'equal collections',
      expression: "name.given.first() | 'x' = 'Peter' | 'x'",
      expected: [true],
    },
    {
      case: 'equivalent ignores case and spaces',
      expression: "'Peter  James' ~ 'peter james'",
      expected: [true],
    },
    { case: 'equivalent of empties', expression: '{} ~ {}', expected: [true] },
    { case: 'date less than', expression: 'birthDate < @1980-01-01', expected: [true] },
    { case: 'date equal at different precision', expression: 'birthDate = @1974-12', expected: [] },
    {
      case: 'date ordered at different precision',
      expression: 'birthDate > @1973',
      expected: [true],
    },
    {
      case: 'dateTime equal across time zones',
      expression: '@2020-03-07T04:20:23Z = @2020-03-06T20:20:23-08:00',
      expected: [true],
    },
    {
      case: 'equal seconds with milliseconds',
      expression: '@T10:00:00 = @T10:00:00.000',
      expected: [true],
    },
    { case: 'string order', expression: "'abc' < 'abd'", expected: [true] },
    { case: 'quantity order', expression: "4 'mg' < 5 'mg'", expected: [true] },
    { case: 'decimal sum without float noise', expression: '0.1 + 0.2', expected: [0.3] },
    { case: 'division gives a decimal', expression: '7 / 2', expected: [3.5] },
    { case: 'division by zero is empty', expression: '1 / 0', expected: [] },
    { case: 'div and mod', expression: '(7 div 2) + (7 mod 4)', expected: [6] },
    { case: 'unary minus', expression: '-(2 * 3)', expected: [-6] },
    { case: 'string plus', expression: "'a' + 'b'", expected: ['ab'] },
    { case: 'ampersand treats empty as blank', expression: "'a' & {} & 'c'", expected: ['ac'] },
    {
      case: 'union removes duplicates',
      expression: 'name.given | name.given',
      expected: ['Peter', 'James', 'Jim'],
    },
    { case: 'in', expression: "'Jim' in name.given", expected: [true] },
    { case: 'contains', expression: "name.given contains 'Bob'", expected: [false] },
    { case: 'is on a primitive', expression: 'birthDate is date', expected: [true] },
    { case: 'is on a System type', expression: 'gender is String', expected: [true] },
  ])('evaluates $case', ({ expression, expected }) => {
    expect(evaluateFhirPath(expression, patient)).toEqual(expected);
  });

  it.each([
    {
      case: 'ordering a string with a number',
      expression: 'gender < 1',
      message: 'cannot compare a string with a number',
    },
    {
      case: 'and on several items',
      expression: 'name.given and true',
      message: 'and needs at most one item but got 4',
    },
    { case: 'arithmetic on strings', expression: "gender - 'x'", message: '- needs two numbers' },
  ])('raises on $case without quoting values', ({ expression, message }) => {
    const run = () => evaluateFhirPath(expression, patient);
    expect(run).toThrow(FhirPathEvaluationError);
    expect(run).toThrow(message);
  });
});

describe('FHIRPath functions', () => {
  it.each([
    { case: 'exists with criteria', expression: "name.exists(use = 'usual')", expected: [true] },
    { case: 'empty', expression: 'photo.empty()', expected: [true] },
    { case: 'all', expression: 'telecom.all(value.exists())', expected: [true] },
    { case: 'all on empty', expression: 'photo.all(false)', expected: [true] },
    { case: 'allTrue', expression: '(true | false).allTrue()', expected: [false] },
    { case: 'anyTrue', expression: '(true | false).anyTrue()', expected: [true] },
    { case: 'count', expression: 'name.given.count()', expected: [4] },
    { case: 'distinct', expression: 'name.given.distinct().count()', expected: [3] },
    { case: 'isDistinct', expression: 'name.given.isDistinct()', expected: [false] },
    { case: 'hasValue', expression: 'gender.hasValue()', expected: [true] },
    { case: 'not', expression: 'active.not()', expected: [false] },
    {
      case: 'select',
      expression: "name.select(given.first() + ' ' + family).first()",
      expected: ['Peter Chalmers'],
    },
    { case: 'tail', expression: 'name.given.tail()', expected: ['James', 'Jim', 'Peter'] },
    { case: 'skip and take', expression: 'name.given.skip(1).take(2)', expected: ['James', 'Jim'] },
    {
      case: 'single of one',
      expression: "name.where(use = 'usual').single().given",
      expected: ['Jim'],
    },
    {
      case: 'combine keeps duplicates',
      expression: "name.given.combine('Jim').count()",
      expected: [5],
    },
    { case: 'union function', expression: "name.given.union('Jim').count()", expected: [3] },
    { case: 'intersect', expression: "name.given.intersect('Jim' | 'Bob')", expected: ['Jim'] },
    { case: 'exclude', expression: "name.given.exclude('Peter')", expected: ['James', 'Jim'] },
    { case: 'iif true branch', expression: "iif(active, 'yes', 'no')", expected: ['yes'] },
    { case: 'iif without otherwise', expression: "iif(active.not(), 'yes')", expected: [] },
    {
      case: 'join with separator',
      expression: "name.first().given.join(', ')",
      expected: ['Peter, James'],
    },
    { case: 'join of nothing', expression: 'photo.title.join()', expected: [''] },
    { case: 'startsWith', expression: "gender.startsWith('fem')", expected: [true] },
    { case: 'endsWith', expression: "gender.endsWith('ale')", expected: [true] },
    { case: 'string contains', expression: "gender.contains('mal')", expected: [true] },
    { case: 'substring', expression: 'birthDate.substring(0, 4)', expected: ['1974'] },
    { case: 'substring past the end', expression: 'gender.substring(10)', expected: [] },
    { case: 'upper and lower', expression: 'gender.upper().lower()', expected: ['female'] },
    { case: 'replace', expression: "birthDate.replace('-', '/')", expected: ['1974/12/25'] },
    { case: 'matches', expression: "birthDate.matches('^\\\\d{4}-12')", expected: [true] },
    { case: 'indexOf', expression: "gender.indexOf('male')", expected: [2] },
    { case: 'split', expression: "birthDate.split('-').count()", expected: [3] },
    { case: 'trim', expression: "'  x '.trim()", expected: ['x'] },
    { case: 'toChars', expression: "'ab'.toChars()", expected: ['a', 'b'] },
    { case: 'toInteger', expression: "'42'.toInteger() + 1", expected: [43] },
    { case: 'toInteger of text', expression: "'4x'.toInteger()", expected: [] },
    { case: 'toDecimal', expression: "'2.5'.toDecimal()", expected: [2.5] },
    { case: 'toString', expression: '(1 + 1).toString()', expected: ['2'] },
    { case: 'quantity toString', expression: "(5 'mg').toString()", expected: ["5 'mg'"] },
    { case: 'toBoolean', expression: "'yes'.toBoolean()", expected: [true] },
    { case: 'round', expression: '3.14159.round(2)', expected: [3.14] },
    {
      case: 'abs, floor and ceiling',
      expression: '(-2.5).abs().floor() + 2.1.ceiling()',
      expected: [5],
    },
    { case: 'repeat', expression: '(%resource).repeat(name).count()', expected: [3] },
    { case: 'resource key', expression: 'getResourceKey()', expected: ['Patient/p1'] },
    {
      case: 'resource key of another type',
      expression: 'getResourceKey(Observation)',
      expected: [],
    },
    {
      case: 'reference key',
      expression: 'managingOrganization.getReferenceKey()',
      expected: ['Organization/1'],
    },
  ])('evaluates $case', ({ expression, expected }) => {
    expect(evaluateFhirPath(expression, patient)).toEqual(expected);
  });

  it.each([
    { case: 'relative', reference: 'Patient/123', type: '', expected: ['Patient/123'] },
    { case: 'versioned', reference: 'Patient/123/_history/2', type: '', expected: ['Patient/123'] },
    {
      case: 'absolute URL',
      reference: 'https://example.org/fhir/Patient/123',
      type: '',
      expected: ['Patient/123'],
    },
    { case: 'matching type', reference: 'Patient/123', type: 'Patient', expected: ['Patient/123'] },
    { case: 'other type', reference: 'Group/7', type: 'Patient', expected: [] },
    { case: 'contained', reference: '#pr1', type: '', expected: [] },
    {
      case: 'urn:uuid',
      reference: 'urn:uuid:9d0a6e7c-0000-4000-8000-000000000000',
      type: '',
      expected: [],
    },
    { case: 'conditional', reference: 'Patient?identifier=123', type: '', expected: [] },
  ])('keys a $case reference', ({ reference, type, expected }) => {
    const resource = { resourceType: 'Observation', subject: { reference } };
    expect(evaluateFhirPath(`subject.getReferenceKey(${type})`, resource)).toEqual(expected);
  });

  it.each([
    { case: 'decimal low', expression: '1.587.lowBoundary()', expected: [1.5865] },
    { case: 'decimal high', expression: '1.587.highBoundary()', expected: [1.5875] },
    { case: 'decimal low to 2 places', expression: '1.587.lowBoundary(2)', expected: [1.58] },
    { case: 'decimal high to 0 places', expression: '1.587.highBoundary(0)', expected: [2] },
    { case: 'negative decimal low', expression: '(-1.587).lowBoundary()', expected: [-1.5875] },
    { case: 'integer low', expression: '12.lowBoundary()', expected: [11.5] },
    { case: 'decimal out of range precision', expression: '1.5.lowBoundary(29)', expected: [] },
    {
      case: 'date of year precision',
      expression: '@2024.highBoundary()',
      expected: ['2024-12-31'],
    },
    {
      case: 'date in February of a leap year',
      expression: '@2024-02.highBoundary()',
      expected: ['2024-02-29'],
    },
    {
      case: 'date to month precision',
      expression: '@2024-02-10.lowBoundary(6)',
      expected: ['2024-02'],
    },
    {
      case: 'dateTime keeps its zone',
      expression: '@2014-01-01T08:05-05:00.lowBoundary()',
      expected: ['2014-01-01T08:05:00.000-05:00'],
    },
    {
      case: 'dateTime to hour precision',
      expression: '@2014-01-01T08:05:30Z.highBoundary(10)',
      expected: ['2014-01-01T08Z'],
    },
    {
      case: 'time of minute precision',
      expression: '@T10:30.highBoundary()',
      expected: ['10:30:59.999'],
    },
    {
      case: 'time with fraction',
      expression: '@T10:30:00.5.highBoundary()',
      expected: ['10:30:00.599'],
    },
  ])('computes the boundary of a $case', ({ expression, expected }) => {
    expect(evaluateFhirPath(expression, patient)).toEqual(expected);
  });

  it('reads view constants with their types', () => {
    const constants = {
      since: { value: '1970-01-01', type: 'date' },
      use: { value: 'official', type: 'code' },
    };
    expect(
      evaluateFhirPath('birthDate > %since and name.where(use = %use).exists()', patient, {
        constants,
      }),
    ).toEqual([true]);
  });
});

describe('FHIRPath compile errors', () => {
  it.each([
    {
      case: 'unknown function',
      expression: 'name.fisrt()',
      message: 'unknown function "fisrt"',
      offset: 5,
    },
    {
      case: 'resolve',
      expression: 'managingOrganization.resolve()',
      message: 'resolve() is not supported',
      offset: 21,
    },
    {
      case: 'too many arguments',
      expression: 'name.first(1)',
      message: 'first() takes 0 arguments but got 1',
      offset: 5,
    },
    {
      case: 'missing argument',
      expression: 'name.where()',
      message: 'where() takes 1 argument but got 0',
      offset: 5,
    },
    {
      case: 'unknown type',
      expression: 'link.other.ofType(Referance)',
      message: 'unknown type "Referance"',
      offset: 18,
    },
    {
      case: 'type outside a choice',
      expression: 'deceased.ofType(Quantity)',
      message: '"deceased" cannot be of type Quantity; its types are boolean, dateTime',
      offset: 16,
    },
    {
      case: 'undefined constant',
      expression: 'name.where(use = %official)',
      message: 'undefined constant %official',
      offset: 17,
    },
    {
      case: 'unknown element',
      expression: 'name.familly',
      message: 'unknown element "familly" on HumanName in FHIR R4',
      offset: 5,
    },
    {
      case: 'member of a primitive',
      expression: 'gender.code',
      message: 'unknown element "code" on code in FHIR R4',
      offset: 7,
    },
    {
      case: 'negative index',
      expression: 'name[-1]',
      message: 'an index must be a non-negative integer',
      offset: 5,
    },
    {
      case: 'date arithmetic',
      expression: 'birthDate + 1',
      message: 'arithmetic (+) on dates, times and quantities is not supported',
      offset: 10,
    },
    {
      case: 'constant comparison of kinds',
      expression: "1 < 'a'",
      message: 'cannot compare a number with a string',
      offset: 2,
    },
    {
      case: '$total',
      expression: 'name.where($total > 1)',
      message: '$total is only defined inside aggregate()',
      offset: 11,
    },
    {
      case: 'reference key of a data type',
      expression: 'link.other.getReferenceKey(string)',
      message: 'getReferenceKey() takes a resource type',
      offset: 27,
    },
  ])('reports $case at its offset', ({ expression, message, offset }) => {
    const error = compileErrorOf(expression);
    expect(error.message).toContain(message);
    expect(error.offset).toBe(offset);
  });
});
