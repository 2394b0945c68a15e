import { datasetSchema, type DatasetDefinition, type Row } from '@carelake/core';

const lineage = {
  event_time: { type: 'timestamp' },
  is_deleted: { type: 'boolean', nullable: false },
  record_hash: { type: 'string', nullable: false },
  ingested_at: { type: 'timestamp', nullable: false },
} as const;

/** Synthetic people whose versions may name the person they were merged into. */
export const peopleDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.people',
  description: 'Synthetic people for merge tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'history',
  key: ['person_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['event_time'],
  deletedFlag: 'is_deleted',
  columns: { person_key: { type: 'string', nullable: false }, merged_into_key: { type: 'string' }, ...lineage },
});

/** Synthetic stays that point at a person and follow the people table's merges. */
export const staysDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.stays',
  description: 'Synthetic stays for merge tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'history',
  key: ['stay_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['event_time'],
  deletedFlag: 'is_deleted',
  followMerges: { column: 'person_key', table: 'clinical.people', key: 'person_key', mergedInto: 'merged_into_key' },
  columns: { stay_key: { type: 'string', nullable: false }, person_key: { type: 'string' }, ...lineage },
});

/** Build a person version at hour `hour`. A non-null `mergedInto` marks it as merged away. */
export function personRow(key: string, hour: number, mergedInto: string | null = null): Row {
  return {
    person_key: key,
    merged_into_key: mergedInto,
    event_time: new Date(Date.UTC(2024, 0, 1, hour)),
    is_deleted: mergedInto !== null,
    record_hash: `${key}-${hour}-${mergedInto ?? 'none'}`,
    ingested_at: new Date(Date.UTC(2024, 5, 1)),
  };
}

/** Build a stay of `person`. */
export function stayRow(key: string, person: string): Row {
  return {
    stay_key: key,
    person_key: person,
    event_time: new Date(Date.UTC(2024, 0, 1)),
    is_deleted: false,
    record_hash: `${key}-${person}`,
    ingested_at: new Date(Date.UTC(2024, 5, 1)),
  };
}
