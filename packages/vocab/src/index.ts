export { VocabError, VocabFileError } from './errors';
export {
  collectVocab,
  isVocabProblem,
  type VocabEntry,
  type VocabItem,
  type VocabProblem,
  type VocabProblemCode,
} from './problems';
export { DEFAULT_MAX_LINE_BYTES, type ReadOptions, type VocabInput } from './input';
export {
  detectReleaseFile,
  type ReleaseFileInfo,
  type RxNormFileKind,
  type SnomedContentType,
  type SnomedReleaseType,
} from './release-files';
export {
  icd10DisplayCode,
  icd10FiscalYearStart,
  readIcd10CodesFile,
  readIcd10OrderFile,
  type Icd10CodesRecord,
  type Icd10OrderRecord,
  type Icd10ReadOptions,
  type Icd10System,
} from './icd10';
export {
  groupLoincReplacements,
  LOINC_STATUSES,
  readLoincMapTo,
  readLoincTable,
  type LoincMapToRecord,
  type LoincRecord,
  type LoincStatus,
} from './loinc';
export { isValidLoincNumber, loincCheckDigit } from './loinc-number';
export {
  readRxnConso,
  readRxnCui,
  readRxnCuiChanges,
  readRxnRel,
  readRxnSat,
  RXNCONSO_COLUMNS,
  RXNCUI_COLUMNS,
  RXNCUICHANGES_COLUMNS,
  RXNREL_COLUMNS,
  RXNSAT_COLUMNS,
  type RxnConsoRecord,
  type RxnCuiChangesRecord,
  type RxnCuiRecord,
  type RxnRelRecord,
  type RxnSatRecord,
} from './rxnorm';
export {
  readSnomedConcepts,
  readSnomedDescriptions,
  readSnomedRelationships,
  SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID,
  type SnomedConceptRecord,
  type SnomedDescriptionRecord,
  type SnomedRelationshipRecord,
} from './snomed';
export { checkSctid, type SctidPartition } from './sctid';
export {
  readOmopConceptAncestors,
  readOmopConceptRelationships,
  readOmopConcepts,
  type OmopConceptAncestorRecord,
  type OmopConceptRecord,
  type OmopConceptRelationshipRecord,
} from './omop';
export { CVX_STATUSES, readCvxTable, type CvxRecord, type CvxStatus } from './cvx';
export {
  CODE_STATUSES,
  type CodeRecord,
  type CodeStatus,
  type CodeSystem,
  type KnownCodeSystem,
} from './code-record';
export {
  codeRecordFromCvx,
  codeRecordFromIcd10,
  codeRecordFromLoinc,
  codeRecordFromOmopConcept,
  codeRecordFromRxnConso,
  codeRecordFromRxnCui,
  codeRecordFromSnomedConcept,
  systemOfOmopVocabulary,
  type ReleaseValidity,
} from './code-record-mapping';
export { codeFoldingFor, normalizeCode, type CodeFolding } from './code-normalization';
export {
  buildCodeIndex,
  CodeIndex,
  CodeIndexBuilder,
  SystemCodeIndex,
  type CheckDate,
  type CodeCheck,
} from './code-index';
export { isOpenPeriod, isValidCodeStatus, type CodePeriod, type VocabRelease } from './code-period';
export {
  compareRelease,
  type CompareReleaseOptions,
  type ReleaseChangeCounts,
  type ReleaseChangeKind,
  type ReleaseChanges,
} from './release-changes';
export {
  isMonthDay,
  nextScheduledRelease,
  releaseDue,
  type ReleaseDue,
  type ReleaseSchedule,
} from './release-schedule';
export {
  readReleaseRecords,
  RELEASE_FORMATS,
  type ReadReleaseOptions,
  type ReleaseFileInput,
  type ReleaseFormat,
} from './release-records';
export {
  CODE_SYSTEM_IDENTIFIERS,
  codeSystemOfIdentifier,
  isIdentifierOf,
} from './code-system-identifiers';
