import type { DatasetDefinition, Principal, Row } from '@carelake/core';
import type { CrosswalkEntry } from '@carelake/deid';
import { quoteLiteral, type TableSnapshot } from '@carelake/tables';
import type { Lake } from '../lake';
import { registerTable } from '../register';
import { readSnapshotRows } from './table-rows';

/**
 * Table of the study-id crosswalk: study id to patient, per profile. It sits in a database of its
 * own, `restricted`, whose only select grant goes to the steward, so the governed engine keeps
 * every other principal from tracing a study id back to its patient.
 */
export const CROSSWALK_TABLE = 'restricted.deid_crosswalk';

/** Reads the profile's stored crosswalk. When two runs drew ids for one patient at once, the earliest wins. */
export async function readCrosswalk(lake: Lake, profile: string): Promise<CrosswalkEntry[]> {
  const snapshot = await lake.tables.snapshot(CROSSWALK_TABLE);
  if (snapshot === undefined) return [];
  const rows = await readSnapshotRows(lake, snapshot, `profile = ${quoteLiteral(profile)}`);
  rows.sort((a, b) => (a['assigned_at'] as Date).getTime() - (b['assigned_at'] as Date).getTime() || String(a['study_id']).localeCompare(String(b['study_id'])));

  const byPatient = new Map<string, CrosswalkEntry>();
  for (const row of rows) {
    const patientKey = String(row['patient_key']);
    if (!byPatient.has(patientKey)) byPatient.set(patientKey, { studyId: String(row['study_id']), patientKey });
  }
  return [...byPatient.values()];
}

/**
 * Appends the study ids a run drew, and registers the table. Entries are only ever added, so runs
 * of different profiles never overwrite each other's. Returns the new snapshot, or undefined when
 * there was nothing to add.
 */
export async function appendCrosswalk(
  lake: Lake,
  dataset: DatasetDefinition,
  profile: string,
  entries: readonly CrosswalkEntry[],
  principal: Principal,
  runId: string,
): Promise<TableSnapshot | undefined> {
  if (entries.length === 0) return undefined;
  const assignedAt = lake.clock.now();
  const rows: Row[] = entries.map((entry) => ({ profile, study_id: entry.studyId, patient_key: entry.patientKey, assigned_at: assignedAt }));
  const result = await lake.tables.append(dataset, rows, { principal: principal.name, inputs: [`deid-run:${runId}`] });
  if (result.snapshot !== undefined) await registerTable(lake.catalog, dataset, result.snapshot, { audit: lake.audit, principal });
  return result.snapshot;
}
