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

/** The rows one entry maps to, by table. */
export interface FhirMappedRows {
  /** raw.fhir_resources: one row for every entry. */
  resources: Row[];
  /** clinical.patients: one row for a Patient entry. */
  patients: Row[];
  /** clinical.observations: one row for an Observation, or one per component. */
  observations: Row[];
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

/** Columns of clinical.patients, in the dataset file's order. */
export const PATIENTS_COLUMNS = [
  'patient_key',
  'patient_id',
  'assigning_authority',
  'family_name',
  'given_name',
  'birth_date',
  'sex',
  'city',
  'state',
  'postal_code',
  'country',
  'primary_facility',
  'primary_care_provider_id',
  'merged_into_key',
  'event_type',
  'is_deleted',
  'event_time',
  'record_hash',
  'source_format',
  'source_system',
  'source_id',
  'source_file',
  'source_position',
  'ingested_at',
  'facility',
] as const;

/** Columns of clinical.observations, in the dataset file's order. */
export const OBSERVATIONS_COLUMNS = [
  'observation_key',
  'patient_key',
  'order_key',
  'observation_sub_id',
  'code',
  'code_system',
  'code_display',
  'value_type',
  'value_text',
  'value_number',
  'value_number_high',
  'value_comparator',
  'value_code',
  'value_code_system',
  'value_time',
  'value_ref',
  'value_size',
  'value_media_type',
  'unit',
  'reference_range',
  'interpretation',
  'status',
  'effective_time',
  'effective_month',
  'is_deleted',
  'event_time',
  'record_hash',
  'source_format',
  'source_system',
  'source_id',
  'source_file',
  'source_position',
  'ingested_at',
  'facility',
] as const;

export type FhirResourcesRow = RowOf<(typeof FHIR_RESOURCES_COLUMNS)[number]>;
export type PatientsRow = RowOf<(typeof PATIENTS_COLUMNS)[number]>;
export type ObservationsRow = RowOf<(typeof OBSERVATIONS_COLUMNS)[number]>;
