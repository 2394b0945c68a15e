import type { DatasetDefinition } from '@carelake/core';
import { datasetSchema } from '@carelake/core';

/**
 * Two small linked tables for focused tests: patients and their visits, joined by patient_key.
 * Synthetic definitions; no data.
 */
export const SMALL_DATASETS: DatasetDefinition[] = [
  datasetSchema.parse({
    table: 'clinical.patients',
    description: 'Patients.',
    owner: 'data-engineering',
    steward: 'clinical-steward',
    retention: 'phi-standard',
    classification: 'phi',
    partitionBy: ['source_format'],
    columns: {
      patient_key: { type: 'string', classification: 'limited', identifier: 'medical_record_number' },
      family_name: { type: 'string', identifier: 'name' },
      birth_date: { type: 'date', identifier: 'date' },
      sex: { type: 'string', classification: 'limited', identifier: 'quasi' },
      facility: { type: 'string', classification: 'public' },
      source_format: { type: 'string', classification: 'public' },
      visit_count: { type: 'int', classification: 'public' },
    },
  }),
  datasetSchema.parse({
    table: 'clinical.visits',
    description: 'Visits.',
    owner: 'data-engineering',
    steward: 'clinical-steward',
    retention: 'phi-standard',
    classification: 'limited',
    columns: {
      visit_key: { type: 'string', identifier: 'other_unique' },
      patient_key: { type: 'string', identifier: 'medical_record_number' },
      admit_date: { type: 'date', identifier: 'date' },
      postal_code: { type: 'string', classification: 'phi', identifier: 'geographic' },
      facility: { type: 'string', classification: 'public' },
    },
  }),
  datasetSchema.parse({
    table: 'deid.visits',
    description: 'De-identified visits.',
    classification: 'deidentified',
    columns: {
      visit_month: { type: 'string' },
      facility: { type: 'string' },
      age_band: { type: 'string', classification: 'limited' },
    },
  }),
];

/** Principals and groups of the small lake's carelake.yaml. */
export const SMALL_CONFIG = {
  principals: {
    admin: { role: 'admin' as const, groups: [] },
    ana: { role: 'user' as const, groups: ['analysts'] },
    rita: { role: 'user' as const, groups: [] },
    sam: { role: 'steward' as const, groups: [] },
  },
  groups: { analysts: {}, 'data-engineering': {} },
};
