import { datasetSchema, type DatasetDefinition, type Row } from '@carelake/core';
import { parseLifecyclePolicyFile, type LifecyclePolicyFile } from '../policy-file';
import type { LocalTier } from '../local-tiers';

/** A small history table of synthetic visits, partitioned by month, with a patient key column. */
export const visitsDataset: DatasetDefinition = datasetSchema.parse({
  table: 'clinical.visits',
  description: 'Synthetic visits for lifecycle tests.',
  owner: 'tests',
  steward: 'tests',
  classification: 'phi',
  retention: 'visits-4y',
  kind: 'history',
  key: ['visit_key'],
  dedupeBy: 'record_hash',
  versionOrder: ['event_time'],
  deletedFlag: 'is_deleted',
  partitionBy: ['visit_month'],
  columns: {
    visit_key: { type: 'string', nullable: false },
    patient_key: { type: 'string' },
    visit_month: { type: 'string', nullable: false },
    is_deleted: { type: 'boolean', nullable: false },
    event_time: { type: 'timestamp' },
    record_hash: { type: 'string', nullable: false },
    ingested_at: { type: 'timestamp', nullable: false },
    source_position: { type: 'bigint' },
  },
});

/** Warm after 90 days, Glacier Instant Retrieval (also warm) after a year, Deep Archive (cold) after 3 years, expiry after 4. */
export const visitsPolicies: LifecyclePolicyFile = parseLifecyclePolicyFile(
  `
policies:
  visits-4y:
    description: Test policy with every tier and an expiry inside five years.
    transitions:
      - { days: 90, storageClass: STANDARD_IA }
      - { days: 365, storageClass: GLACIER_IR }
      - { days: 1095, storageClass: DEEP_ARCHIVE }
    retention:
      - { regulation: test-records-policy, jurisdiction: US, days: 1460 }
`,
  'visits.lifecycle.yaml',
);

export const testTiers: LocalTier[] = [
  { name: 'warm', storageClasses: ['STANDARD_IA', 'GLACIER_IR'], zstdLevel: 9 },
  { name: 'cold', storageClasses: ['DEEP_ARCHIVE'], zstdLevel: 19 },
];

/** Builds `count` visit rows of one month, for patients `patient-0` to `patient-<patients - 1>` in turn. */
export function visitRows(month: string, count: number, patients = 3, firstIndex = 0): Row[] {
  return Array.from({ length: count }, (_, offset) => {
    const index = firstIndex + offset;
    return {
      visit_key: `${month}-${index}`,
      patient_key: `patient-${index % patients}`,
      visit_month: month,
      is_deleted: false,
      event_time: new Date(`${month}-01T08:00:00Z`),
      record_hash: `${month}-${index}`,
      ingested_at: new Date(`${month}-01T09:00:00Z`),
      source_position: index,
    };
  });
}
