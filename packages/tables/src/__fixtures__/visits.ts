import { datasetSchema, type DatasetDefinition, type Row } from '@carelake/core';

/** A small history table with a partition column, a dedupe column and a delete flag. */
export const visitsDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.visits',
  description: 'Synthetic visits for table layer tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'public',
  retention: 'none',
  kind: 'history',
  key: ['visit_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['event_time'],
  deletedFlag: 'is_deleted',
  partitionBy: ['site'],
  columns: {
    visit_key: { type: 'string', nullable: false },
    site: { type: 'string' },
    score: { type: 'double' },
    visit_date: { type: 'date' },
    event_time: { type: 'timestamp' },
    is_deleted: { type: 'boolean', nullable: false },
    record_hash: { type: 'string', nullable: false },
    ingested_at: { type: 'timestamp', nullable: false },
    source_position: { type: 'bigint' },
  },
});

/** Build a visit row. Each `version` gets its own score and event time, so versions differ. */
export function visitRow(key: string, site: string | null, version: number, overrides: Partial<Row> = {}): Row {
  return {
    visit_key: key,
    site,
    score: version * 1.5,
    visit_date: new Date(Date.UTC(2024, 0, version)),
    event_time: new Date(Date.UTC(2024, 0, 1, version)),
    is_deleted: false,
    record_hash: `${key}-v${version}`,
    ingested_at: new Date(Date.UTC(2024, 5, 1)),
    source_position: version,
    ...overrides,
  };
}
