import type { TableLayout } from './delimited-table';
import { VocabFileError } from './errors';
import type { FieldChecks } from './field-checks';
import { baseNameOf, type ReadOptions, type VocabInput } from './input';
import type { VocabItem } from './problems';
import { readTableRecords } from './table-records';
import { detectReleaseFile, type SnomedContentType } from './release-files';
import { checkSctid, type SctidPartition } from './sctid';

/**
 * Loaders for SNOMED CT RF2 Snapshot files: tab-delimited, no quoting, UTF-8, a header row.
 * Columns are found by header name. Ids are strings, because SCTIDs can exceed 2^53.
 */

/** typeId that marks a fully specified name in the description file, the usual display of a concept. */
export const SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID = '900000000000003001';

/** One row of sct2_Concept_Snapshot. */
export interface SnomedConceptRecord {
  id: string;
  /** The date of the row's version, as `YYYY-MM-DD` (the file writes YYYYMMDD). */
  effectiveTime: string;
  active: boolean;
  moduleId: string;
  /** Whether the concept is primitive or fully defined, as a concept id. */
  definitionStatusId: string;
}

/** One row of sct2_Description_Snapshot or sct2_TextDefinition_Snapshot. */
export interface SnomedDescriptionRecord {
  id: string;
  /** See `SnomedConceptRecord.effectiveTime`. */
  effectiveTime: string;
  active: boolean;
  moduleId: string;
  conceptId: string;
  /** ISO 639-1 language code, such as `en`. */
  languageCode: string;
  /** Fully specified name, synonym or definition, as a concept id. */
  typeId: string;
  term: string;
  caseSignificanceId: string;
}

/** One row of sct2_Relationship_Snapshot or sct2_StatedRelationship_Snapshot. */
export interface SnomedRelationshipRecord {
  id: string;
  /** See `SnomedConceptRecord.effectiveTime`. */
  effectiveTime: string;
  active: boolean;
  moduleId: string;
  sourceId: string;
  destinationId: string;
  /** 0 for an ungrouped relationship; rows with the same number belong to one role group. */
  relationshipGroup: number;
  typeId: string;
  characteristicTypeId: string;
  modifierId: string;
}

const CONCEPT_COLUMNS = [
  'id',
  'effectiveTime',
  'active',
  'moduleId',
  'definitionStatusId',
] as const;
// prettier-ignore
const DESCRIPTION_COLUMNS = [
  'id', 'effectiveTime', 'active', 'moduleId', 'conceptId', 'languageCode', 'typeId', 'term', 'caseSignificanceId',
] as const;
// prettier-ignore
const RELATIONSHIP_COLUMNS = [
  'id', 'effectiveTime', 'active', 'moduleId', 'sourceId', 'destinationId', 'relationshipGroup', 'typeId',
  'characteristicTypeId', 'modifierId',
] as const;

interface Rf2File {
  layout: TableLayout;
  /** Content types whose files have this layout. */
  contentTypes: readonly SnomedContentType[];
  /** The function that reads this layout, named in messages. */
  loader: string;
}

const CONCEPT_FILE: Rf2File = {
  layout: {
    title: 'SNOMED CT concept',
    delimiter: '\t',
    columns: CONCEPT_COLUMNS,
    header: 'by-name',
    trailingDelimiter: 'none',
  },
  contentTypes: ['Concept'],
  loader: 'readSnomedConcepts',
};
const DESCRIPTION_FILE: Rf2File = {
  layout: {
    title: 'SNOMED CT description',
    delimiter: '\t',
    columns: DESCRIPTION_COLUMNS,
    header: 'by-name',
    trailingDelimiter: 'none',
  },
  contentTypes: ['Description', 'TextDefinition'],
  loader: 'readSnomedDescriptions',
};
const RELATIONSHIP_FILE: Rf2File = {
  layout: {
    title: 'SNOMED CT relationship',
    delimiter: '\t',
    columns: RELATIONSHIP_COLUMNS,
    header: 'by-name',
    trailingDelimiter: 'none',
  },
  contentTypes: ['Relationship', 'StatedRelationship'],
  loader: 'readSnomedRelationships',
};
const RF2_FILES = [CONCEPT_FILE, DESCRIPTION_FILE, RELATIONSHIP_FILE];

/**
 * Reads an RF2 concept Snapshot file. Throws `VocabFileError` when the file name shows a Full or
 * Delta file, or another content type, and when the header lacks a column.
 */
export async function* readSnomedConcepts(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<SnomedConceptRecord>> {
  checkSnapshotFileName(options.file, CONCEPT_FILE);
  yield* readTableRecords(input, CONCEPT_FILE.layout, options, (fields, checks) => {
    const [id, effectiveTime, active, moduleId, definitionStatusId] = fields as [
      string,
      string,
      string,
      string,
      string,
    ];
    const record: SnomedConceptRecord = {
      id: sctid(checks, 'id', id, 'concept'),
      effectiveTime: checks.compactDate('effectiveTime', effectiveTime),
      active: activeFlag(checks, active),
      moduleId: sctid(checks, 'moduleId', moduleId, 'concept'),
      definitionStatusId: sctid(checks, 'definitionStatusId', definitionStatusId, 'concept'),
    };
    return record;
  });
}

/** Reads an RF2 description or text definition Snapshot file; see `readSnomedConcepts` for what it rejects. */
export async function* readSnomedDescriptions(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<SnomedDescriptionRecord>> {
  checkSnapshotFileName(options.file, DESCRIPTION_FILE);
  yield* readTableRecords(input, DESCRIPTION_FILE.layout, options, (fields, checks) => {
    const [
      id,
      effectiveTime,
      active,
      moduleId,
      conceptId,
      languageCode,
      typeId,
      term,
      caseSignificanceId,
    ] = fields as [string, string, string, string, string, string, string, string, string];
    const record: SnomedDescriptionRecord = {
      id: sctid(checks, 'id', id, 'description'),
      effectiveTime: checks.compactDate('effectiveTime', effectiveTime),
      active: activeFlag(checks, active),
      moduleId: sctid(checks, 'moduleId', moduleId, 'concept'),
      conceptId: sctid(checks, 'conceptId', conceptId, 'concept'),
      languageCode: checks.required('languageCode', languageCode),
      typeId: sctid(checks, 'typeId', typeId, 'concept'),
      term: checks.required('term', term),
      caseSignificanceId: sctid(checks, 'caseSignificanceId', caseSignificanceId, 'concept'),
    };
    return record;
  });
}

/** Reads an RF2 relationship or stated relationship Snapshot file; see `readSnomedConcepts` for what it rejects. */
export async function* readSnomedRelationships(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<SnomedRelationshipRecord>> {
  checkSnapshotFileName(options.file, RELATIONSHIP_FILE);
  yield* readTableRecords(input, RELATIONSHIP_FILE.layout, options, (fields, checks) => {
    const [
      id,
      effectiveTime,
      active,
      moduleId,
      sourceId,
      destinationId,
      group,
      typeId,
      characteristicTypeId,
      modifierId,
    ] = fields as [string, string, string, string, string, string, string, string, string, string];
    const record: SnomedRelationshipRecord = {
      id: sctid(checks, 'id', id, 'relationship'),
      effectiveTime: checks.compactDate('effectiveTime', effectiveTime),
      active: activeFlag(checks, active),
      moduleId: sctid(checks, 'moduleId', moduleId, 'concept'),
      sourceId: sctid(checks, 'sourceId', sourceId, 'concept'),
      destinationId: sctid(checks, 'destinationId', destinationId, 'concept'),
      relationshipGroup: checks.integer('relationshipGroup', group),
      typeId: sctid(checks, 'typeId', typeId, 'concept'),
      characteristicTypeId: sctid(checks, 'characteristicTypeId', characteristicTypeId, 'concept'),
      modifierId: sctid(checks, 'modifierId', modifierId, 'concept'),
    };
    return record;
  });
}

/**
 * Rejects a file whose RF2 name shows a Full or Delta release, or a content type this loader
 * does not read. A name outside the RF2 pattern is accepted, and only its header is checked.
 */
function checkSnapshotFileName(file: string, expected: Rf2File): void {
  const info = detectReleaseFile(file);
  if (info?.system !== 'snomedct') return;
  const name = baseNameOf(file);

  if (info.releaseType !== 'Snapshot') {
    const meaning =
      info.releaseType === 'Full'
        ? 'it contains every version of every component since the first release, so a component appears once per change'
        : 'it contains only the components that changed since the previous release';
    throw new VocabFileError(
      `${name} is a SNOMED CT ${info.releaseType} file, but the loader reads Snapshot files only: ${meaning}`,
      {
        position: { file },
        hint: `Pass ${name.replace(`_${info.releaseType}`, '_Snapshot')} from the Snapshot folder of the same release.`,
      },
    );
  }

  if (!expected.contentTypes.includes(info.kind)) {
    const reader = RF2_FILES.find((candidate) => candidate.contentTypes.includes(info.kind));
    throw new VocabFileError(
      `${name} is a SNOMED CT ${info.kind} file, but ${expected.loader} reads ${expected.contentTypes.join(' and ')} files`,
      {
        position: { file },
        ...(reader ? { hint: `Read it with ${reader.loader}.` } : {}),
      },
    );
  }
}

function sctid(
  checks: FieldChecks,
  field: string,
  value: string,
  partition: SctidPartition,
): string {
  if (value === '') {
    checks.report('missing-value', field, `${field} is empty`);
    return value;
  }
  const reason = checkSctid(value, partition);
  if (reason !== undefined) checks.report('invalid-code', field, `${field} ${reason}`);
  return value;
}

function activeFlag(checks: FieldChecks, value: string): boolean {
  return checks.oneOf('active', value, ['0', '1'] as const) === '1';
}
