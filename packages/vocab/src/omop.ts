import type { TableLayout } from './delimited-table';
import type { ReadOptions, VocabInput } from './input';
import type { VocabItem } from './problems';
import { readTableRecords } from './table-records';

/**
 * Loaders for the OMOP standardized vocabulary files that Athena delivers. They are named .csv
 * but are tab-delimited without quoting, with a header row; dates are written YYYYMMDD. Columns
 * are found by header name, and records use the OMOP CDM column names.
 */

/** One row of CONCEPT. */
export interface OmopConceptRecord {
  concept_id: number;
  /** May be empty: Athena delivers CPT4 concepts without names until its CPT4 tool adds them, because CPT is licensed. */
  concept_name: string;
  domain_id: string;
  vocabulary_id: string;
  concept_class_id: string;
  /** `S` standard, `C` classification, or null for a non-standard concept. */
  standard_concept: 'S' | 'C' | null;
  concept_code: string;
  /** First day the concept is valid, as `YYYY-MM-DD`. */
  valid_start_date: string;
  /** Last day the concept is valid, as `YYYY-MM-DD`; 2099-12-31 for a concept still valid. */
  valid_end_date: string;
  /** `D` deleted, `U` upgraded (replaced by another concept), or null for a valid concept. */
  invalid_reason: 'D' | 'U' | null;
}

/** One row of CONCEPT_RELATIONSHIP. */
export interface OmopConceptRelationshipRecord {
  concept_id_1: number;
  concept_id_2: number;
  /** Such as `Maps to` or `Concept replaced by`. */
  relationship_id: string;
  valid_start_date: string;
  valid_end_date: string;
  invalid_reason: 'D' | 'U' | null;
}

/** One row of CONCEPT_ANCESTOR. */
export interface OmopConceptAncestorRecord {
  ancestor_concept_id: number;
  descendant_concept_id: number;
  min_levels_of_separation: number;
  max_levels_of_separation: number;
}

const CONCEPT_LAYOUT: TableLayout = {
  title: 'OMOP CONCEPT',
  delimiter: '\t',
  columns: [
    'concept_id',
    'concept_name',
    'domain_id',
    'vocabulary_id',
    'concept_class_id',
    'standard_concept',
    'concept_code',
    'valid_start_date',
    'valid_end_date',
    'invalid_reason',
  ],
  header: 'by-name',
  trailingDelimiter: 'none',
};
const CONCEPT_RELATIONSHIP_LAYOUT: TableLayout = {
  title: 'OMOP CONCEPT_RELATIONSHIP',
  delimiter: '\t',
  columns: [
    'concept_id_1',
    'concept_id_2',
    'relationship_id',
    'valid_start_date',
    'valid_end_date',
    'invalid_reason',
  ],
  header: 'by-name',
  trailingDelimiter: 'none',
};
const CONCEPT_ANCESTOR_LAYOUT: TableLayout = {
  title: 'OMOP CONCEPT_ANCESTOR',
  delimiter: '\t',
  columns: [
    'ancestor_concept_id',
    'descendant_concept_id',
    'min_levels_of_separation',
    'max_levels_of_separation',
  ],
  header: 'by-name',
  trailingDelimiter: 'none',
};

const STANDARD_CONCEPT_VALUES = ['', 'S', 'C'] as const;
const INVALID_REASON_VALUES = ['', 'D', 'U'] as const;

/** Reads CONCEPT.csv. Throws `VocabFileError` when the header lacks a column. */
export async function* readOmopConcepts(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<OmopConceptRecord>> {
  yield* readTableRecords(input, CONCEPT_LAYOUT, options, (fields, checks) => {
    const [id, name, domain, vocabulary, conceptClass, standard, code, start, end, invalidReason] =
      fields as [string, string, string, string, string, string, string, string, string, string];
    const record: OmopConceptRecord = {
      concept_id: checks.integer('concept_id', id),
      concept_name: name,
      domain_id: checks.required('domain_id', domain),
      vocabulary_id: checks.required('vocabulary_id', vocabulary),
      concept_class_id: checks.required('concept_class_id', conceptClass),
      standard_concept: nullIfEmpty(
        checks.oneOf('standard_concept', standard, STANDARD_CONCEPT_VALUES),
      ),
      concept_code: checks.required('concept_code', code),
      valid_start_date: checks.compactDate('valid_start_date', start),
      valid_end_date: checks.compactDate('valid_end_date', end),
      invalid_reason: nullIfEmpty(
        checks.oneOf('invalid_reason', invalidReason, INVALID_REASON_VALUES),
      ),
    };
    return record;
  });
}

/** Reads CONCEPT_RELATIONSHIP.csv. Throws `VocabFileError` when the header lacks a column. */
export async function* readOmopConceptRelationships(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<OmopConceptRelationshipRecord>> {
  yield* readTableRecords(input, CONCEPT_RELATIONSHIP_LAYOUT, options, (fields, checks) => {
    const [id1, id2, relationship, start, end, invalidReason] = fields as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const record: OmopConceptRelationshipRecord = {
      concept_id_1: checks.integer('concept_id_1', id1),
      concept_id_2: checks.integer('concept_id_2', id2),
      relationship_id: checks.required('relationship_id', relationship),
      valid_start_date: checks.compactDate('valid_start_date', start),
      valid_end_date: checks.compactDate('valid_end_date', end),
      invalid_reason: nullIfEmpty(
        checks.oneOf('invalid_reason', invalidReason, INVALID_REASON_VALUES),
      ),
    };
    return record;
  });
}

/** Reads CONCEPT_ANCESTOR.csv. Throws `VocabFileError` when the header lacks a column. */
export async function* readOmopConceptAncestors(
  input: VocabInput,
  options: ReadOptions,
): AsyncGenerator<VocabItem<OmopConceptAncestorRecord>> {
  yield* readTableRecords(input, CONCEPT_ANCESTOR_LAYOUT, options, (fields, checks) => {
    const [ancestor, descendant, minLevels, maxLevels] = fields as [string, string, string, string];
    const record: OmopConceptAncestorRecord = {
      ancestor_concept_id: checks.integer('ancestor_concept_id', ancestor),
      descendant_concept_id: checks.integer('descendant_concept_id', descendant),
      min_levels_of_separation: checks.integer('min_levels_of_separation', minLevels),
      max_levels_of_separation: checks.integer('max_levels_of_separation', maxLevels),
    };
    return record;
  });
}

function nullIfEmpty<T extends string>(value: T | ''): T | null {
  return value === '' ? null : value;
}
