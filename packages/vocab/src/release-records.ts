import type { CodeRecord } from './code-record';
import {
  codeRecordFromCvx,
  codeRecordFromIcd10,
  codeRecordFromLoinc,
  codeRecordFromOmopConcept,
  codeRecordFromRxnConso,
  codeRecordFromRxnCui,
  codeRecordFromSnomedConcept,
} from './code-record-mapping';
import { readCvxTable } from './cvx';
import { VocabFileError } from './errors';
import { readIcd10CodesFile, readIcd10OrderFile, type Icd10System } from './icd10';
import type { VocabInput } from './input';
import {
  groupLoincReplacements,
  readLoincMapTo,
  readLoincTable,
  type LoincMapToRecord,
} from './loinc';
import { readOmopConceptRelationships, readOmopConcepts } from './omop';
import type { VocabItem, VocabProblem } from './problems';
import { detectReleaseFile, type ReleaseFileInfo } from './release-files';
import { readRxnConso, readRxnCui } from './rxnorm';
import {
  readSnomedConcepts,
  readSnomedDescriptions,
  SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID,
} from './snomed';

/** Loader families of whole releases, as source definitions name them. */
export const RELEASE_FORMATS = ['icd10', 'loinc', 'rxnorm', 'snomed-rf2', 'omop', 'cvx'] as const;
export type ReleaseFormat = (typeof RELEASE_FORMATS)[number];

/** One file of a release. */
export interface ReleaseFileInput {
  /** The file's path or lake key; its kind is recognized by its name, as `detectReleaseFile` does. */
  name: string;
  /** Opens the file's bytes, once for each pass over the file. */
  open(): VocabInput;
}

export interface ReadReleaseOptions {
  /** For `icd10`: the system, when the file names do not show it. */
  icd10System?: Icd10System;
}

/** Files each format reads; other files of a release, such as RXNREL.RRF, are left alone. */
const FILES_READ: Record<ReleaseFormat, string> = {
  icd10: 'an icd10cm or icd10pcs order file (else a codes file)',
  loinc: 'Loinc.csv, and MapTo.csv when present',
  rxnorm: 'RXNCONSO.RRF, and RXNCUI.RRF when present',
  'snomed-rf2': 'the sct2_Concept_Snapshot and sct2_Description_Snapshot files',
  omop: 'CONCEPT.csv, and CONCEPT_RELATIONSHIP.csv when present',
  cvx: 'cvx.txt',
};

/** OMOP relationship_id of a link from an upgraded concept to its replacement. */
const OMOP_REPLACED_BY = 'Concept replaced by';

/**
 * Reads the files of one release into `CodeRecord`s, with each loader's line problems. It does
 * no I/O of its own: each file is opened through `open`. Throws `VocabFileError` when a file the
 * format needs is missing, or a file it reads once appears twice.
 */
export async function* readReleaseRecords(
  format: ReleaseFormat,
  files: readonly ReleaseFileInput[],
  options: ReadReleaseOptions = {},
): AsyncGenerator<VocabItem<CodeRecord>> {
  const release = new ReleaseFiles(format, files);
  switch (format) {
    case 'icd10':
      yield* readIcd10Release(release, options);
      return;
    case 'loinc':
      yield* readLoincRelease(release);
      return;
    case 'rxnorm':
      yield* readRxNormRelease(release);
      return;
    case 'snomed-rf2':
      yield* readSnomedRelease(release);
      return;
    case 'omop':
      yield* readOmopRelease(release);
      return;
    case 'cvx':
      yield* mapRecords(readCvxTable, release.one('cvx', 'cvx.txt'), codeRecordFromCvx);
      return;
  }
}

/** The files of a release, looked up by what their names show. */
class ReleaseFiles {
  private readonly recognized: Array<{ file: ReleaseFileInput; info: ReleaseFileInfo }>;

  constructor(
    private readonly format: ReleaseFormat,
    files: readonly ReleaseFileInput[],
  ) {
    this.recognized = files.flatMap((file) => {
      const info = detectReleaseFile(file.name);
      return info ? [{ file, info }] : [];
    });
  }

  all(matches: (info: ReleaseFileInfo) => boolean): ReleaseFileInput[] {
    return this.recognized.filter((entry) => matches(entry.info)).map((entry) => entry.file);
  }

  /** Returns the one file of a kind, or undefined when there is none. */
  optional(kind: string, title: string): ReleaseFileInput | undefined {
    const found = this.all((info) => info.kind === kind);
    if (found.length > 1) {
      throw new VocabFileError(
        `the ${this.format} release has ${found.length} ${title} files (${found.map((file) => file.name).join(', ')}); a release has one`,
        { hint: 'Point the release location at the folder of one release.' },
      );
    }
    return found[0];
  }

  one(kind: string, title: string): ReleaseFileInput {
    const file = this.optional(kind, title);
    if (file === undefined) throw this.missing(title);
    return file;
  }

  missing(title: string): VocabFileError {
    return new VocabFileError(
      `the ${this.format} release has no ${title} file; this format reads ${FILES_READ[this.format]}`,
      {
        hint: "Check the release location, and the file patterns of the system's source definition.",
      },
    );
  }
}

async function* mapRecords<T>(
  loader: (input: VocabInput, options: { file: string }) => AsyncGenerator<VocabItem<T>>,
  file: ReleaseFileInput,
  map: (record: T) => CodeRecord | undefined,
): AsyncGenerator<VocabItem<CodeRecord>> {
  for await (const item of loader(file.open(), { file: file.name })) {
    if (item.kind === 'problem') {
      yield item;
      continue;
    }
    const record = map(item.record);
    if (record !== undefined) yield { kind: 'record', line: item.line, record };
  }
}

/** Reads all of a file's records before the main file, collecting its problems for the caller. */
async function collectRecords<T>(
  items: AsyncGenerator<VocabItem<T>>,
  problems: VocabProblem[],
  onRecord: (record: T) => void,
): Promise<void> {
  for await (const item of items) {
    if (item.kind === 'problem') problems.push(item);
    else onRecord(item.record);
  }
}

async function* readIcd10Release(
  release: ReleaseFiles,
  options: ReadReleaseOptions,
): AsyncGenerator<VocabItem<CodeRecord>> {
  const ofSystem = (info: ReleaseFileInfo): boolean =>
    (info.system === 'icd10cm' || info.system === 'icd10pcs') &&
    (options.icd10System === undefined || info.system === options.icd10System);
  const order = release.all((info) => ofSystem(info) && info.kind === 'order');
  const codes = release.all((info) => ofSystem(info) && info.kind === 'codes');
  const chosen = order.length > 0 ? order : codes;
  if (chosen.length === 0) throw release.missing('ICD-10 order or codes');
  if (chosen.length > 1) {
    throw new VocabFileError(
      `the icd10 release has ${chosen.length} ${order.length > 0 ? 'order' : 'codes'} files (${chosen.map((file) => file.name).join(', ')}); a release has one`,
      { hint: 'Point the release location at one fiscal year, or at one mid-year update.' },
    );
  }
  const file = chosen[0] as ReleaseFileInput;
  const readOptions = {
    file: file.name,
    ...(options.icd10System ? { system: options.icd10System } : {}),
  };
  const items =
    order.length > 0
      ? readIcd10OrderFile(file.open(), readOptions)
      : readIcd10CodesFile(file.open(), readOptions);
  for await (const item of items) {
    yield item.kind === 'problem'
      ? item
      : { kind: 'record', line: item.line, record: codeRecordFromIcd10(item.record) };
  }
}

async function* readLoincRelease(release: ReleaseFiles): AsyncGenerator<VocabItem<CodeRecord>> {
  const table = release.one('Loinc', 'Loinc.csv');
  const mapTo = release.optional('MapTo', 'MapTo.csv');
  const problems: VocabProblem[] = [];
  const rows: LoincMapToRecord[] = [];
  if (mapTo) {
    await collectRecords(readLoincMapTo(mapTo.open(), { file: mapTo.name }), problems, (row) =>
      rows.push(row),
    );
  }
  yield* problems;
  const replacements = groupLoincReplacements(rows);
  yield* mapRecords(readLoincTable, table, (record) => codeRecordFromLoinc(record, replacements));
}

async function* readRxNormRelease(release: ReleaseFiles): AsyncGenerator<VocabItem<CodeRecord>> {
  yield* mapRecords(readRxnConso, release.one('RXNCONSO', 'RXNCONSO.RRF'), codeRecordFromRxnConso);
  const retired = release.optional('RXNCUI', 'RXNCUI.RRF');
  if (retired) yield* mapRecords(readRxnCui, retired, codeRecordFromRxnCui);
}

/**
 * Reads the concepts with their display: the active fully specified name from the description
 * files, else the first active description, else an empty display.
 */
async function* readSnomedRelease(release: ReleaseFiles): AsyncGenerator<VocabItem<CodeRecord>> {
  const concepts = release.all(
    (info) =>
      info.system === 'snomedct' && info.kind === 'Concept' && info.releaseType === 'Snapshot',
  );
  const descriptions = release.all(
    (info) =>
      info.system === 'snomedct' && info.kind === 'Description' && info.releaseType === 'Snapshot',
  );
  if (concepts.length !== 1) {
    if (concepts.length === 0) throw release.missing('sct2_Concept_Snapshot');
    throw new VocabFileError(
      `the snomed-rf2 release has ${concepts.length} concept Snapshot files; a release has one`,
      { hint: 'Point the release location at the Snapshot folder of one release.' },
    );
  }
  if (descriptions.length === 0) throw release.missing('sct2_Description_Snapshot');

  const problems: VocabProblem[] = [];
  const names = new Map<string, { term: string; fullySpecified: boolean }>();
  for (const file of descriptions) {
    await collectRecords(
      readSnomedDescriptions(file.open(), { file: file.name }),
      problems,
      (description) => {
        if (!description.active) return;
        const fullySpecified = description.typeId === SNOMED_FULLY_SPECIFIED_NAME_TYPE_ID;
        const known = names.get(description.conceptId);
        if (known === undefined || (fullySpecified && !known.fullySpecified)) {
          names.set(description.conceptId, { term: description.term, fullySpecified });
        }
      },
    );
  }
  yield* problems;
  yield* mapRecords(readSnomedConcepts, concepts[0] as ReleaseFileInput, (concept) =>
    codeRecordFromSnomedConcept(concept, names.get(concept.id)?.term ?? ''),
  );
}

/**
 * Reads CONCEPT, with the replacements of upgraded concepts from CONCEPT_RELATIONSHIP. The
 * relationships name concept ids, so CONCEPT is read twice: once for the codes of the
 * replacements, then for the records.
 */
async function* readOmopRelease(release: ReleaseFiles): AsyncGenerator<VocabItem<CodeRecord>> {
  const concepts = release.one('CONCEPT', 'CONCEPT.csv');
  const relationships = release.optional('CONCEPT_RELATIONSHIP', 'CONCEPT_RELATIONSHIP.csv');
  const problems: VocabProblem[] = [];
  const replacementIds = new Map<number, number[]>();
  if (relationships) {
    await collectRecords(
      readOmopConceptRelationships(relationships.open(), { file: relationships.name }),
      problems,
      (row) => {
        if (row.relationship_id !== OMOP_REPLACED_BY || row.invalid_reason !== null) return;
        const list = replacementIds.get(row.concept_id_1) ?? [];
        list.push(row.concept_id_2);
        replacementIds.set(row.concept_id_1, list);
      },
    );
  }
  yield* problems;

  const codeOfId = new Map<number, string>();
  if (replacementIds.size > 0) {
    const targets = new Set([...replacementIds.values()].flat());
    // Problems of this first pass are yielded by the second, which reads the same lines.
    await collectRecords(readOmopConcepts(concepts.open(), { file: concepts.name }), [], (row) => {
      if (targets.has(row.concept_id)) codeOfId.set(row.concept_id, row.concept_code);
    });
  }
  yield* mapRecords(readOmopConcepts, concepts, (concept) => {
    const ids = replacementIds.get(concept.concept_id) ?? [];
    const codes = ids.flatMap((id) => {
      const code = codeOfId.get(id);
      return code === undefined ? [] : [code];
    });
    return codeRecordFromOmopConcept(
      concept,
      codes.length > 0 ? new Map([[concept.concept_code, codes]]) : undefined,
    );
  });
}
