import { compactDateToIso } from './calendar-dates';
import { baseNameOf } from './input';

/** The RxNorm RRF files the loaders read. */
export type RxNormFileKind = 'RXNCONSO' | 'RXNREL' | 'RXNSAT' | 'RXNCUI' | 'RXNCUICHANGES';

/** RF2 content types, as the second part of an RF2 file name spells them. */
export type SnomedContentType =
  'Concept' | 'Description' | 'TextDefinition' | 'Relationship' | 'StatedRelationship';

/** RF2 release types: the latest version of each component, every version, or the changes since the last release. */
export type SnomedReleaseType = 'Snapshot' | 'Full' | 'Delta';

/** Code system and kind of a release file, as its name shows them. `year` is the fiscal year for ICD-10, the release year for SNOMED CT. */
export type ReleaseFileInfo =
  | { system: 'icd10cm' | 'icd10pcs'; kind: 'order' | 'codes'; year?: number }
  | { system: 'loinc'; kind: 'Loinc' | 'MapTo' }
  | { system: 'rxnorm'; kind: RxNormFileKind }
  | {
      system: 'snomedct';
      kind: SnomedContentType;
      releaseType: SnomedReleaseType;
      year: number;
      /** The release date from the name, as `YYYY-MM-DD`. */
      effectiveTime: string;
      /** The namespace or country part, such as `INT` or `US1000124`. */
      namespace: string;
      /** The language code of a description file, such as `en` or `en-GB`. */
      languageCode?: string;
    }
  | { system: 'omop'; kind: 'CONCEPT' | 'CONCEPT_RELATIONSHIP' | 'CONCEPT_ANCESTOR' }
  | { system: 'cvx'; kind: 'cvx' };

/**
 * CMS names: icd10cm_order_2025.txt, icd10cm-order-2026.txt, icd10pcs_codes_2025.txt, and for
 * mid-year updates names such as icd10cm-order-April-1-2023.txt. The year is the fiscal year.
 */
const ICD10_FILE = /^icd10(cm|pcs)[-_ ](order|codes)(?:[-_ ](.*))?\.txt$/i;
const YEAR = /(?:19|20)\d\d/;

/** RF2 names: `sct2_<ContentType>_<ReleaseType>[-<language>]_<namespace>_<YYYYMMDD>.txt`, `x` first for a pre-release. */
const RF2_FILE =
  /^x?sct2_([A-Za-z]+)_(Snapshot|Full|Delta)(?:-([A-Za-z]{2,3}(?:-[A-Za-z]{2,})?))?_([A-Za-z0-9]+)_(\d{8})\.txt$/;
const SNOMED_CONTENT_TYPES: readonly string[] = [
  'Concept',
  'Description',
  'TextDefinition',
  'Relationship',
  'StatedRelationship',
];

const RXNORM_FILE = /^(RXNCONSO|RXNREL|RXNSAT|RXNCUI|RXNCUICHANGES)\.RRF$/i;
const LOINC_FILE = /^(Loinc|MapTo)\.csv$/i;
const OMOP_FILE = /^(CONCEPT|CONCEPT_RELATIONSHIP|CONCEPT_ANCESTOR)\.csv$/i;
/** The CDC serves the table as cvx.txt. A copy saved with a date, such as cvx_2025-01-15.txt, is recognized too. */
const CVX_FILE = /^(?:web_)?cvx(?:[-_ ][-\w ]*)?\.txt$/i;

/**
 * Recognizes a release file by its name, and returns its code system and kind, or undefined for a
 * name no pattern matches. A path or lake key is reduced to its last part. Only the name is read,
 * so a renamed file is not recognized, and the loaders then check its header row alone.
 */
export function detectReleaseFile(name: string): ReleaseFileInfo | undefined {
  const base = baseNameOf(name);

  const icd10 = ICD10_FILE.exec(base);
  if (icd10) {
    const year = YEAR.exec(icd10[3] ?? '');
    return {
      system: (icd10[1] as string).toLowerCase() === 'cm' ? 'icd10cm' : 'icd10pcs',
      kind: (icd10[2] as string).toLowerCase() === 'order' ? 'order' : 'codes',
      ...(year ? { year: Number(year[0]) } : {}),
    };
  }

  const rf2 = RF2_FILE.exec(base);
  if (rf2) return snomedFileInfo(rf2);

  const rxnorm = RXNORM_FILE.exec(base);
  if (rxnorm)
    return { system: 'rxnorm', kind: (rxnorm[1] as string).toUpperCase() as RxNormFileKind };

  const loinc = LOINC_FILE.exec(base);
  if (loinc)
    return {
      system: 'loinc',
      kind: (loinc[1] as string).toLowerCase() === 'loinc' ? 'Loinc' : 'MapTo',
    };

  const omop = OMOP_FILE.exec(base);
  if (omop)
    return {
      system: 'omop',
      kind: (omop[1] as string).toUpperCase() as
        'CONCEPT' | 'CONCEPT_RELATIONSHIP' | 'CONCEPT_ANCESTOR',
    };

  if (CVX_FILE.test(base)) return { system: 'cvx', kind: 'cvx' };
  return undefined;
}

function snomedFileInfo(match: RegExpExecArray): ReleaseFileInfo | undefined {
  const [, contentType, releaseType, languageCode, namespace, versionDate] =
    match as unknown as string[];
  const effectiveTime = compactDateToIso(versionDate as string);
  if (!SNOMED_CONTENT_TYPES.includes(contentType as string) || effectiveTime === undefined)
    return undefined;
  return {
    system: 'snomedct',
    kind: contentType as SnomedContentType,
    releaseType: releaseType as SnomedReleaseType,
    year: Number(effectiveTime.slice(0, 4)),
    effectiveTime,
    namespace: namespace as string,
    ...(languageCode ? { languageCode } : {}),
  };
}
