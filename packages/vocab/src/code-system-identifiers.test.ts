// Real: the identifier table against the values HL7 v2 and FHIR senders write. Nothing is faked.
import { codeSystemOfIdentifier, isIdentifierOf } from './code-system-identifiers';

describe('codeSystemOfIdentifier', () => {
  it.each([
    { case: 'HL7 v2 mnemonic', identifier: 'LN', system: 'loinc' },
    { case: 'lower-case mnemonic', identifier: ' cvx ', system: 'cvx' },
    { case: 'FHIR URI', identifier: 'http://snomed.info/sct', system: 'snomedct' },
    { case: 'FHIR OID URN', identifier: 'urn:oid:2.16.840.1.113883.6.90', system: 'icd10cm' },
    { case: 'bare OID', identifier: '2.16.840.1.113883.6.88', system: 'rxnorm' },
    { case: 'local system', identifier: '99ZZZ', system: undefined },
  ])('reads a $case', ({ identifier, system }) => {
    expect(codeSystemOfIdentifier(identifier)).toBe(system);
  });
});

describe('isIdentifierOf', () => {
  it.each([
    { case: 'same system', system: 'loinc', identifier: 'http://loinc.org', expected: true },
    { case: 'another known system', system: 'loinc', identifier: 'SCT', expected: false },
    { case: 'OMOP vocabulary by name', system: 'ndc', identifier: 'NDC', expected: true },
    { case: 'OMOP vocabulary, other name', system: 'ndc', identifier: 'CVX', expected: false },
  ])('matches a $case', ({ system, identifier, expected }) => {
    expect(isIdentifierOf(system, identifier)).toBe(expected);
  });
});
