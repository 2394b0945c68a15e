/**
 * The normalized form of a code from any release file, for the versioned vocabulary tables and
 * the code index. Each loader's records map to it with a `codeRecordFrom...` function.
 */

/** Code systems, named as dataset files bind columns to them (`vocabulary: loinc`). */
export type KnownCodeSystem = 'icd10cm' | 'icd10pcs' | 'loinc' | 'rxnorm' | 'snomedct' | 'cvx';

/**
 * A code system name: one of `KnownCodeSystem`, or for another OMOP vocabulary its
 * vocabulary_id in lower case with "_" for other characters, such as `ndc` or `rxnorm_extension`.
 */
export type CodeSystem = KnownCodeSystem | (string & {});

/**
 * The state of a code, from the release that lists it. The code index treats the first four as
 * valid for use and `deprecated` and `retired` as no longer valid.
 */
export const CODE_STATUSES = [
  /** Valid for use. */
  'active',
  /** LOINC TRIAL: valid, but its definition may still change. */
  'trial',
  /** LOINC DISCOURAGED: valid, but its use is not recommended. */
  'discouraged',
  /** CVX Inactive: no longer given, but valid for recording past vaccinations. */
  'inactive',
  /** CVX Pending: assigned before the product is available, so not yet valid; the code index leaves it out. */
  'pending',
  /** Still listed but not to be used: LOINC DEPRECATED, an obsolete RxNorm name, an upgraded OMOP concept. */
  'deprecated',
  /** Removed from the code system: RXNCUI.RRF, an inactive SNOMED CT concept, a deleted OMOP concept, CVX Never Active. */
  'retired',
] as const;
export type CodeStatus = (typeof CODE_STATUSES)[number];

export interface CodeRecord {
  system: CodeSystem;
  /** The code in its display form, such as `E11.65` for ICD-10-CM. */
  code: string;
  /** The name the release gives the code; empty when the file has none, as in RXNCUI.RRF. */
  display: string;
  status: CodeStatus;
  /** First day the code is valid, as `YYYY-MM-DD`; absent when the release gives none. */
  validFrom?: string;
  /**
   * First day the code is no longer valid, as `YYYY-MM-DD` (the end is exclusive); absent while
   * it stays valid. The code index treats a `deprecated` or `retired` code without one as not
   * valid on any date.
   */
  validTo?: string;
  /** Codes of the same system that replace this one, in the order the release lists them. */
  replacedBy?: string[];
}
