// Real: the mapping of each loader's record type to a CodeRecord. Faked: the records are
// synthetic values in the shapes the loaders yield.
import { syntheticLoincNumber, syntheticSctid } from './__fixtures__/input';
import {
  codeRecordFromCvx,
  codeRecordFromIcd10,
  codeRecordFromLoinc,
  codeRecordFromOmopConcept,
  codeRecordFromRxnConso,
  codeRecordFromRxnCui,
  codeRecordFromSnomedConcept,
  systemOfOmopVocabulary,
} from './code-record-mapping';
import type { CvxRecord } from './cvx';
import { icd10FiscalYearStart } from './icd10';
import type { LoincRecord } from './loinc';
import type { OmopConceptRecord } from './omop';
import type { RxnConsoRecord } from './rxnorm';

const LOINC_1 = syntheticLoincNumber(900001);
const LOINC_2 = syntheticLoincNumber(900002);
const LOINC_3 = syntheticLoincNumber(900003);

describe('codeRecordFromIcd10', () => {
  it('maps an order-file line with the fiscal year start', () => {
    const record = {
      system: 'icd10cm' as const,
      orderNumber: 2,
      code: 'Z991',
      displayCode: 'Z99.1',
      billable: true,
      shortDescription: 'Synthetic short',
      longDescription: 'Synthetic test code 1',
    };
    expect(codeRecordFromIcd10(record, { validFrom: icd10FiscalYearStart(2025) })).toEqual({
      system: 'icd10cm',
      code: 'Z99.1',
      display: 'Synthetic test code 1',
      status: 'active',
      validFrom: '2024-10-01',
    });
  });

  it('maps a codes-file line without dates', () => {
    const record = {
      system: 'icd10pcs' as const,
      code: '0SR9019',
      displayCode: '0SR9019',
      description: 'Synthetic test procedure 1',
    };
    expect(codeRecordFromIcd10(record)).toEqual({
      system: 'icd10pcs',
      code: '0SR9019',
      display: 'Synthetic test procedure 1',
      status: 'active',
    });
  });
});

describe('codeRecordFromLoinc', () => {
  const term: LoincRecord = {
    LOINC_NUM: LOINC_2,
    COMPONENT: 'Synthetic component',
    LONG_COMMON_NAME: 'Synthetic test code 2',
    SHORTNAME: 'Synth 2',
    CLASS: 'CHEM',
    STATUS: 'DEPRECATED',
    VersionLastChanged: '2.78',
  };

  it.each([
    { case: 'ACTIVE', status: 'ACTIVE', expected: 'active' },
    { case: 'TRIAL', status: 'TRIAL', expected: 'trial' },
    { case: 'DISCOURAGED', status: 'DISCOURAGED', expected: 'discouraged' },
    { case: 'DEPRECATED', status: 'DEPRECATED', expected: 'deprecated' },
  ] as const)('maps status $case', ({ status, expected }) => {
    expect(codeRecordFromLoinc({ ...term, STATUS: status }).status).toBe(expected);
  });

  it('joins MAP_TO and MapTo.csv replacements without repeats', () => {
    const replacements = new Map([[LOINC_2, [LOINC_1, LOINC_3]]]);
    expect(codeRecordFromLoinc({ ...term, MAP_TO: LOINC_1 }, replacements)).toEqual({
      system: 'loinc',
      code: LOINC_2,
      display: 'Synthetic test code 2',
      status: 'deprecated',
      replacedBy: [LOINC_1, LOINC_3],
    });
  });
});

describe('codeRecordFromRxnConso', () => {
  const atom: RxnConsoRecord = {
    RXCUI: '9000002',
    LAT: 'ENG',
    TS: '',
    LUI: '',
    STT: '',
    SUI: '',
    ISPREF: '',
    RXAUI: '90000021',
    SAUI: '',
    SCUI: '',
    SDUI: '',
    SAB: 'RXNORM',
    TTY: 'SCD',
    CODE: '9000002',
    STR: 'Synthetic test drug 1',
    SRL: '',
    SUPPRESS: 'N',
    CVF: '',
  };

  it.each([
    {
      case: 'a normalized name',
      change: {},
      expected: {
        system: 'rxnorm',
        code: '9000002',
        display: 'Synthetic test drug 1',
        status: 'active',
      },
    },
    {
      case: 'an obsolete name',
      change: { SUPPRESS: 'O' },
      expected: {
        system: 'rxnorm',
        code: '9000002',
        display: 'Synthetic test drug 1',
        status: 'deprecated',
      },
    },
    { case: 'a synonym', change: { TTY: 'SY' }, expected: undefined },
    { case: 'a prescribable name', change: { TTY: 'PSN' }, expected: undefined },
    { case: 'another source', change: { SAB: 'MTHSPL' }, expected: undefined },
  ])('maps $case', ({ change, expected }) => {
    expect(codeRecordFromRxnConso({ ...atom, ...change })).toEqual(expected);
  });
});

describe('codeRecordFromRxnCui', () => {
  it.each([
    {
      case: 'a replaced concept',
      record: {
        CUI1: '9000009',
        VER_START: '20150105',
        VER_END: '20190107',
        CARDINALITY: 1,
        CUI2: '9000001',
      },
      expected: {
        system: 'rxnorm',
        code: '9000009',
        display: '',
        status: 'retired',
        validFrom: '2015-01-05',
        validTo: '2019-01-08',
        replacedBy: ['9000001'],
      },
    },
    {
      case: 'a concept retired without replacement',
      record: {
        CUI1: '9000008',
        VER_START: '20150105',
        VER_END: '20160104',
        CARDINALITY: 0,
        CUI2: '9000008',
      },
      expected: {
        system: 'rxnorm',
        code: '9000008',
        display: '',
        status: 'retired',
        validFrom: '2015-01-05',
        validTo: '2016-01-05',
      },
    },
    {
      case: 'versions that are not dates',
      record: { CUI1: '9000007', VER_START: '2005AA', VER_END: '2006AB', CARDINALITY: 0, CUI2: '' },
      expected: { system: 'rxnorm', code: '9000007', display: '', status: 'retired' },
    },
  ])('maps $case', ({ record, expected }) => {
    expect(codeRecordFromRxnCui(record)).toEqual(expected);
  });
});

describe('codeRecordFromSnomedConcept', () => {
  const id = syntheticSctid(99001, 'concept');
  const concept = {
    id,
    effectiveTime: '2024-09-01',
    moduleId: '900000000000207008',
    definitionStatusId: '900000000000074008',
  };

  it('maps an active concept without a start date', () => {
    expect(
      codeRecordFromSnomedConcept({ ...concept, active: true }, 'Synthetic concept (finding)'),
    ).toEqual({
      system: 'snomedct',
      code: id,
      display: 'Synthetic concept (finding)',
      status: 'active',
    });
  });

  it('retires an inactive concept from its effectiveTime', () => {
    expect(
      codeRecordFromSnomedConcept({ ...concept, active: false }, 'Synthetic concept (finding)'),
    ).toMatchObject({
      status: 'retired',
      validTo: '2024-09-01',
    });
  });
});

describe('codeRecordFromOmopConcept', () => {
  const concept: OmopConceptRecord = {
    concept_id: 2000000003,
    concept_name: 'Synthetic test drug 1',
    domain_id: 'Drug',
    vocabulary_id: 'RxNorm',
    concept_class_id: 'Clinical Drug',
    standard_concept: null,
    concept_code: '9000009',
    valid_start_date: '2015-01-05',
    valid_end_date: '2019-01-06',
    invalid_reason: 'U',
  };

  it('maps an upgraded concept with an exclusive end and its replacement', () => {
    expect(codeRecordFromOmopConcept(concept, new Map([['9000009', ['9000001']]]))).toEqual({
      system: 'rxnorm',
      code: '9000009',
      display: 'Synthetic test drug 1',
      status: 'deprecated',
      validFrom: '2015-01-05',
      validTo: '2019-01-07',
      replacedBy: ['9000001'],
    });
  });

  it('leaves out the placeholder start and open end dates', () => {
    const valid = {
      ...concept,
      valid_start_date: '1970-01-01',
      valid_end_date: '2099-12-31',
      invalid_reason: null,
    };
    expect(codeRecordFromOmopConcept(valid)).toEqual({
      system: 'rxnorm',
      code: '9000009',
      display: 'Synthetic test drug 1',
      status: 'active',
    });
  });

  it('retires a deleted concept', () => {
    expect(codeRecordFromOmopConcept({ ...concept, invalid_reason: 'D' }).status).toBe('retired');
  });

  it.each([
    { case: 'ICD10CM', vocabularyId: 'ICD10CM', expected: 'icd10cm' },
    { case: 'SNOMED', vocabularyId: 'SNOMED', expected: 'snomedct' },
    { case: 'NDC', vocabularyId: 'NDC', expected: 'ndc' },
    { case: 'RxNorm Extension', vocabularyId: 'RxNorm Extension', expected: 'rxnorm_extension' },
  ])('names the system of $case', ({ vocabularyId, expected }) => {
    expect(systemOfOmopVocabulary(vocabularyId)).toBe(expected);
  });
});

describe('codeRecordFromCvx', () => {
  const row: CvxRecord = {
    cvxCode: '701',
    shortDescription: 'Synthetic test vaccine 1',
    fullVaccineName: 'Synthetic test vaccine 1, full name',
    note: '',
    vaccineStatus: 'Active',
    nonvaccine: false,
  };

  it.each([
    { case: 'Active', status: 'Active', expected: 'active' },
    { case: 'Inactive', status: 'Inactive', expected: 'inactive' },
    { case: 'Pending', status: 'Pending', expected: 'pending' },
    { case: 'Never Active', status: 'Never Active', expected: 'retired' },
    { case: 'Non-US', status: 'Non-US', expected: 'active' },
  ] as const)('maps status $case', ({ status, expected }) => {
    expect(codeRecordFromCvx({ ...row, vaccineStatus: status })).toEqual({
      system: 'cvx',
      code: '701',
      display: 'Synthetic test vaccine 1',
      status: expected,
    });
  });
});
