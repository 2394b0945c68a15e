import { addDays, compactDateToIso } from './calendar-dates';
import type { CodeRecord, CodeStatus, CodeSystem, KnownCodeSystem } from './code-record';
import type { CvxRecord, CvxStatus } from './cvx';
import type { Icd10CodesRecord, Icd10OrderRecord } from './icd10';
import type { LoincRecord, LoincStatus } from './loinc';
import type { OmopConceptRecord } from './omop';
import type { RxnConsoRecord, RxnCuiRecord } from './rxnorm';
import type { SnomedConceptRecord } from './snomed';

/** Release facts that a release file does not contain, given by the caller. */
export interface ReleaseValidity {
  /** First day the release's codes apply, as `YYYY-MM-DD`, such as `icd10FiscalYearStart(2025)`. */
  validFrom?: string;
}

/**
 * Maps a line of an ICD-10 order or codes file. Every code the release lists is active; codes
 * dropped by a later release are found by comparing releases, which the versioned tables do.
 * Headers (billable false) are active too: they are valid codes, though not for claims.
 */
export function codeRecordFromIcd10(
  record: Icd10OrderRecord | Icd10CodesRecord,
  release: ReleaseValidity = {},
): CodeRecord {
  const display = 'longDescription' in record ? record.longDescription : record.description;
  return {
    system: record.system,
    code: record.displayCode,
    display,
    status: 'active',
    ...withValidFrom(release),
  };
}

const LOINC_STATUS: Record<LoincStatus, CodeStatus> = {
  ACTIVE: 'active',
  TRIAL: 'trial',
  DISCOURAGED: 'discouraged',
  DEPRECATED: 'deprecated',
};

/**
 * Maps a Loinc.csv term. The display is LONG_COMMON_NAME. Replacements come from the term's
 * MAP_TO and, for newer releases, from `replacements` built from MapTo.csv with
 * `groupLoincReplacements`. Loinc.csv has no dates, so a DEPRECATED term is not valid on any date.
 */
export function codeRecordFromLoinc(
  record: LoincRecord,
  replacements?: ReadonlyMap<string, readonly string[]>,
): CodeRecord {
  const replacedBy = [
    ...(record.MAP_TO ? [record.MAP_TO] : []),
    ...(replacements?.get(record.LOINC_NUM) ?? []),
  ];
  return {
    system: 'loinc',
    code: record.LOINC_NUM,
    display: record.LONG_COMMON_NAME,
    status: LOINC_STATUS[record.STATUS],
    ...(replacedBy.length > 0 ? { replacedBy: [...new Set(replacedBy)] } : {}),
  };
}

/**
 * Term types of RxNorm synonyms. Besides these, an RxNorm concept (SAB RXNORM) has one atom of
 * another term type (IN, SCD, SBD, BN, ...), whose STR is the concept's normalized name.
 */
const RXNORM_SYNONYM_TTYS: ReadonlySet<string> = new Set(['SY', 'TMSY', 'PSN', 'ET']);

/**
 * Maps an RXNCONSO atom to its concept, or returns undefined for an atom that does not name an
 * RxNorm concept: another source (SAB other than RXNORM) or a synonym. An obsolete atom
 * (SUPPRESS O) gives a `deprecated` concept.
 */
export function codeRecordFromRxnConso(record: RxnConsoRecord): CodeRecord | undefined {
  if (record.SAB !== 'RXNORM' || RXNORM_SYNONYM_TTYS.has(record.TTY)) return undefined;
  return {
    system: 'rxnorm',
    code: record.RXCUI,
    display: record.STR,
    status: record.SUPPRESS === 'O' ? 'deprecated' : 'active',
  };
}

/**
 * Maps an RXNCUI line to a retired concept, replaced by CUI2 when CUI2 names another concept.
 * When VER_START and VER_END are dates written YYYYMMDD, the code is valid from VER_START
 * through VER_END.
 * NOTE: VER_END is read as the date of the last release that contained CUI1; the code may in
 * fact have stayed valid until the next release, which the file does not name.
 */
export function codeRecordFromRxnCui(record: RxnCuiRecord): CodeRecord {
  const validFrom = compactDateToIso(record.VER_START);
  const lastDay = compactDateToIso(record.VER_END);
  const replaced = record.CUI2 !== '' && record.CUI2 !== record.CUI1;
  return {
    system: 'rxnorm',
    code: record.CUI1,
    display: '',
    status: 'retired',
    ...(validFrom === undefined ? {} : { validFrom }),
    ...(lastDay === undefined ? {} : { validTo: addDays(lastDay, 1) }),
    ...(replaced ? { replacedBy: [record.CUI2] } : {}),
  };
}

/**
 * Maps a concept of an RF2 Snapshot, with its display (usually its fully specified name, from
 * the description file). An inactive concept is `retired` from its effectiveTime, the date of
 * its inactivation in a Snapshot. An active concept gets no validFrom, because effectiveTime is
 * the date of its last change, not of its creation.
 */
export function codeRecordFromSnomedConcept(
  record: SnomedConceptRecord,
  display: string,
): CodeRecord {
  if (record.active) return { system: 'snomedct', code: record.id, display, status: 'active' };
  return {
    system: 'snomedct',
    code: record.id,
    display,
    status: 'retired',
    validTo: record.effectiveTime,
  };
}

/** OMOP vocabulary_id values of the systems that have their own loaders. */
const OMOP_VOCABULARIES: Readonly<Record<string, KnownCodeSystem>> = {
  ICD10CM: 'icd10cm',
  ICD10PCS: 'icd10pcs',
  LOINC: 'loinc',
  RxNorm: 'rxnorm',
  SNOMED: 'snomedct',
  CVX: 'cvx',
};

/** OMOP writes this end date for a concept that is still valid. */
const OMOP_OPEN_END_DATE = '2099-12-31';
/**
 * OMOP writes this start date when a vocabulary gives none.
 * NOTE: a concept that truly starts on 1970-01-01 is read as having no start date.
 */
const OMOP_UNKNOWN_START_DATE = '1970-01-01';

/** Returns the code system name of an OMOP vocabulary_id, such as `icd10cm` for ICD10CM or `ndc` for NDC. */
export function systemOfOmopVocabulary(vocabularyId: string): CodeSystem {
  return (
    OMOP_VOCABULARIES[vocabularyId] ??
    vocabularyId
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_|_$/g, '')
  );
}

/**
 * Maps an OMOP CONCEPT row. invalid_reason D (deleted) gives `retired`, U (upgraded) `deprecated`;
 * the validity dates become validFrom and an exclusive validTo. Replacements of upgraded concepts
 * are CONCEPT_RELATIONSHIP rows with relationship_id `Concept replaced by`, passed as
 * `replacements` from concept_code to replacement codes.
 */
export function codeRecordFromOmopConcept(
  record: OmopConceptRecord,
  replacements?: ReadonlyMap<string, readonly string[]>,
): CodeRecord {
  let status: CodeStatus = 'active';
  if (record.invalid_reason === 'D') status = 'retired';
  else if (record.invalid_reason === 'U') status = 'deprecated';
  const replacedBy = replacements?.get(record.concept_code);
  return {
    system: systemOfOmopVocabulary(record.vocabulary_id),
    code: record.concept_code,
    display: record.concept_name,
    status,
    ...(record.valid_start_date === OMOP_UNKNOWN_START_DATE
      ? {}
      : { validFrom: record.valid_start_date }),
    ...(record.valid_end_date === OMOP_OPEN_END_DATE
      ? {}
      : { validTo: addDays(record.valid_end_date, 1) }),
    ...(replacedBy && replacedBy.length > 0 ? { replacedBy: [...replacedBy] } : {}),
  };
}

const CVX_STATUS: Record<CvxStatus, CodeStatus> = {
  Active: 'active',
  Inactive: 'inactive',
  Pending: 'pending',
  'Never Active': 'retired',
  'Non-US': 'active',
};

/** Maps a CVX table row. The display is the short description. */
export function codeRecordFromCvx(record: CvxRecord): CodeRecord {
  return {
    system: 'cvx',
    code: record.cvxCode,
    display: record.shortDescription,
    status: CVX_STATUS[record.vaccineStatus],
  };
}

function withValidFrom(release: ReleaseValidity): { validFrom?: string } {
  return release.validFrom === undefined ? {} : { validFrom: release.validFrom };
}
