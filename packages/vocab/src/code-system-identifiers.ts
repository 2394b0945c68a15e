import type { CodeSystem, KnownCodeSystem } from './code-record';

/**
 * The ways messages name each known code system: the HL7 v2 coding system mnemonic (HL7 table
 * 0396, in CWE-3 and OBX-3.3), the FHIR system URI, and the HL7 OID, which CDA and some v2
 * senders use. FHIR also writes an OID as `urn:oid:<oid>`.
 */
export const CODE_SYSTEM_IDENTIFIERS: Readonly<Record<KnownCodeSystem, readonly string[]>> = {
  icd10cm: ['I10C', 'http://hl7.org/fhir/sid/icd-10-cm', '2.16.840.1.113883.6.90'],
  icd10pcs: ['I10P', 'http://www.cms.gov/Medicare/Coding/ICD10', '2.16.840.1.113883.6.4'],
  loinc: ['LN', 'http://loinc.org', '2.16.840.1.113883.6.1'],
  rxnorm: ['RXNORM', 'http://www.nlm.nih.gov/research/umls/rxnorm', '2.16.840.1.113883.6.88'],
  snomedct: ['SCT', 'http://snomed.info/sct', '2.16.840.1.113883.6.96'],
  cvx: ['CVX', 'http://hl7.org/fhir/sid/cvx', '2.16.840.1.113883.12.292'],
};

const SYSTEM_BY_IDENTIFIER = new Map<string, CodeSystem>(
  Object.entries(CODE_SYSTEM_IDENTIFIERS).flatMap(([system, identifiers]) =>
    identifiers.map((identifier) => [identifier.toUpperCase(), system] as const),
  ),
);

/**
 * Returns the code system a message's coding system value names, such as `loinc` for `LN` or
 * `http://loinc.org`, or undefined for a value that names none of the known systems. Case and
 * surrounding spaces are ignored, and `urn:oid:` is removed.
 */
export function codeSystemOfIdentifier(identifier: string): CodeSystem | undefined {
  const trimmed = identifier.trim().replace(/^urn:oid:/i, '');
  return SYSTEM_BY_IDENTIFIER.get(trimmed.toUpperCase());
}

/**
 * Returns whether a coding system value names `system`. For a system without known identifiers,
 * such as an OMOP vocabulary, only its own name matches (`ndc` for `NDC`).
 */
export function isIdentifierOf(system: CodeSystem, identifier: string): boolean {
  const named = codeSystemOfIdentifier(identifier);
  if (named !== undefined) return named === system;
  return identifier.trim().toLowerCase() === system.toLowerCase();
}
