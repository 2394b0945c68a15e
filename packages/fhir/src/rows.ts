/**
 * One table row. Column types follow the dataset files: string, boolean,
 * number (bigint, int and double), Date at UTC midnight (date) and Date (timestamp).
 */
export type Row = Record<string, string | number | boolean | Date | null>;

/** A row with exactly the given columns, so the compiler catches a missing or misspelled one. */
export type RowOf<Column extends string> = Record<Column, string | number | boolean | Date | null>;

/** Source file and ingestion time of an entry, copied into the lineage columns. */
export interface FhirMappingContext {
  /** Landing key of the file. */
  sourceFile: string;
  ingestedAt: Date;
}

/** Columns of raw.fhir_resources, in the dataset file's order. */
export const FHIR_RESOURCES_COLUMNS = [
  'resource_type',
  'resource_id',
  'version_id',
  'last_updated',
  'full_url',
  'request_method',
  'content_hash',
  'resource_json',
  'record_hash',
  'source_file',
  'source_position',
  'ingested_at',
] as const;

export type FhirResourcesRow = RowOf<(typeof FHIR_RESOURCES_COLUMNS)[number]>;
