// Real: detectReleaseFile over file names in the forms the publishers use. Faked: nothing.
import { detectReleaseFile } from './release-files';

describe('detectReleaseFile', () => {
  it.each([
    {
      case: 'ICD-10-CM order, underscores',
      name: 'icd10cm_order_2025.txt',
      expected: { system: 'icd10cm', kind: 'order', year: 2025 },
    },
    {
      case: 'ICD-10-CM order, hyphens',
      name: 'icd10cm-order-2026.txt',
      expected: { system: 'icd10cm', kind: 'order', year: 2026 },
    },
    {
      case: 'ICD-10-CM April update',
      name: 'icd10cm-order-April-1-2023.txt',
      expected: { system: 'icd10cm', kind: 'order', year: 2023 },
    },
    {
      case: 'ICD-10-CM codes',
      name: 'icd10cm_codes_2025.txt',
      expected: { system: 'icd10cm', kind: 'codes', year: 2025 },
    },
    {
      case: 'ICD-10-PCS order',
      name: 'icd10pcs_order_2025.txt',
      expected: { system: 'icd10pcs', kind: 'order', year: 2025 },
    },
    {
      case: 'ICD-10-PCS codes, capitalized',
      name: 'Icd10pcs_Codes_2024.TXT',
      expected: { system: 'icd10pcs', kind: 'codes', year: 2024 },
    },
    {
      case: 'ICD-10-CM without a year',
      name: 'icd10cm_order.txt',
      expected: { system: 'icd10cm', kind: 'order' },
    },
    {
      case: 'Loinc.csv in its folder',
      name: 'Loinc_2.78/LoincTable/Loinc.csv',
      expected: { system: 'loinc', kind: 'Loinc' },
    },
    { case: 'MapTo.csv', name: 'MapTo.csv', expected: { system: 'loinc', kind: 'MapTo' } },
    {
      case: 'RXNCONSO',
      name: 'rrf/RXNCONSO.RRF',
      expected: { system: 'rxnorm', kind: 'RXNCONSO' },
    },
    { case: 'RXNCUI', name: 'RXNCUI.RRF', expected: { system: 'rxnorm', kind: 'RXNCUI' } },
    {
      case: 'RXNCUICHANGES',
      name: 'RXNCUICHANGES.RRF',
      expected: { system: 'rxnorm', kind: 'RXNCUICHANGES' },
    },
    {
      case: 'SNOMED CT US concept Snapshot',
      name: 'landing/snomed/sct2_Concept_Snapshot_US1000124_20250301.txt',
      expected: {
        system: 'snomedct',
        kind: 'Concept',
        releaseType: 'Snapshot',
        year: 2025,
        effectiveTime: '2025-03-01',
        namespace: 'US1000124',
      },
    },
    {
      case: 'SNOMED CT description Full with language',
      name: 'sct2_Description_Full-en_INT_20250101.txt',
      expected: {
        system: 'snomedct',
        kind: 'Description',
        releaseType: 'Full',
        year: 2025,
        effectiveTime: '2025-01-01',
        namespace: 'INT',
        languageCode: 'en',
      },
    },
    {
      case: 'SNOMED CT relationship Delta',
      name: 'sct2_Relationship_Delta_INT_20240801.txt',
      expected: {
        system: 'snomedct',
        kind: 'Relationship',
        releaseType: 'Delta',
        year: 2024,
        effectiveTime: '2024-08-01',
        namespace: 'INT',
      },
    },
    {
      case: 'OMOP CONCEPT',
      name: 'athena/CONCEPT.csv',
      expected: { system: 'omop', kind: 'CONCEPT' },
    },
    {
      case: 'OMOP CONCEPT_ANCESTOR',
      name: 'CONCEPT_ANCESTOR.csv',
      expected: { system: 'omop', kind: 'CONCEPT_ANCESTOR' },
    },
    { case: 'CVX', name: 'cvx.txt', expected: { system: 'cvx', kind: 'cvx' } },
    {
      case: 'CVX saved with a date',
      name: 'cvx_2025-01-15.txt',
      expected: { system: 'cvx', kind: 'cvx' },
    },
  ])('recognizes $case', ({ name, expected }) => {
    expect(detectReleaseFile(name)).toEqual(expected);
  });

  it.each([
    { case: 'a CSV feed', name: 'eligibility-2024-05.csv' },
    { case: 'an ICD-10 tabular XML file', name: 'icd10cm_tabular_2025.xml' },
    { case: 'an RF2 refset', name: 'der2_cRefset_LanguageSnapshot-en_INT_20250101.txt' },
    { case: 'an RF2 name with an impossible date', name: 'sct2_Concept_Snapshot_INT_20251301.txt' },
    { case: 'an RRF file without a loader', name: 'RXNSTY.RRF' },
    { case: 'a concept class file', name: 'CONCEPT_CLASS.csv' },
  ])('returns undefined for $case', ({ name }) => {
    expect(detectReleaseFile(name)).toBeUndefined();
  });
});
