import { randomBytes } from 'node:crypto';
import type { Clock, Principal, Row } from '@carelake/core';
import { deidentifyRows, type CrosswalkEntry, type DeidentifyResult } from '@carelake/deid';
import type { TableSnapshot } from '@carelake/tables';
import type { Lake } from '../lake';
import { registerTable } from '../register';
import { appendCrosswalk, CROSSWALK_TABLE, readCrosswalk } from './crosswalk-table';
import { DeidRunError } from './deid-errors';
import { loadDeidSecret } from './deid-secret';
import { DEID_CLASSIFICATIONS, outputDatasetOf, rowsSha256, sortRows } from './output-table';
import { loadDeidProfileFile, type DeidProfileFile, type DeidTablePlan } from './profile-file';
import { writeDeidReport, type DeidRunReport, type DeidTableRun } from './run-report';
import { readSnapshotRows } from './table-rows';

export interface RunDeidOptions {
  /** Principal the run acts as. It reads PHI and writes the crosswalk, so it must be an admin, as the runner is. */
  principal: Principal;
  /**
   * Secret of pseudonyms and date shifts. Left out, a limited profile takes the lake's secret,
   * which the lake's key provider wraps; Safe Harbor needs none.
   */
  secret?: string;
  /** Time of the run; ages (90 or older) are computed at it. The lake's clock by default. */
  clock?: Clock;
  /** Folder of `*.dataset.yaml` files; `datasets` beside the profile's folder by default. */
  datasetsFolder?: string;
  /** Source of new study ids; crypto.randomUUID by default. */
  randomStudyId?: () => string;
}

/**
 * Runs a de-identification profile file. It reads each source table through the table layer,
 * de-identifies its rows and stores new study ids in the crosswalk. Then it replaces each output
 * table, committing nothing when the rows did not change, and registers it in the catalog with the
 * method's classification. The report goes under `_state/deid/<profile>/reports/`. The profile
 * file and every source table are checked before anything is written.
 */
export async function runDeidProfile(lake: Lake, profileFile: string, options: RunDeidOptions): Promise<DeidRunReport> {
  const clock = options.clock ?? lake.clock;
  const startedAt = clock.now();
  const runId = randomBytes(6).toString('hex');
  const profile = loadDeidProfileFile(profileFile, options.datasetsFolder === undefined ? {} : { datasetsFolder: options.datasetsFolder });
  const resources = profile.tables.flatMap((table) => [table.source, table.output]);

  if (options.principal.role !== 'admin') {
    await lake.audit.append({ principal: options.principal.name, action: 'deid.run', resources, outcome: 'denied', details: { profile: profile.name } });
    throw new DeidRunError(`principal ${options.principal.name} may not run de-identification profile ${profile.name}: it is not an admin`, {
      hint: 'The run reads PHI and writes the study-id crosswalk. Run it --as an admin principal of carelake.yaml.',
    });
  }

  try {
    const report = await runChecked(lake, profile, options, { runId, startedAt });
    report.durationMs = clock.now().getTime() - startedAt.getTime();
    await writeDeidReport(lake.root, report);
    await lake.audit.append({
      principal: options.principal.name,
      action: 'deid.run',
      resources: report.crosswalk !== undefined && report.crosswalk.added > 0 ? [...resources, CROSSWALK_TABLE] : resources,
      outcome: 'success',
      details: auditDetails(report),
    });
    return report;
  } catch (error) {
    await lake.audit.append({
      principal: options.principal.name,
      action: 'deid.run',
      resources,
      outcome: 'failure',
      details: { profile: profile.name, runId, error: error instanceof Error ? error.constructor.name : 'unknown' },
    });
    throw error;
  }
}

interface RunIdentity {
  runId: string;
  startedAt: Date;
}

async function runChecked(lake: Lake, profile: DeidProfileFile, options: RunDeidOptions, run: RunIdentity): Promise<DeidRunReport> {
  const snapshots = await sourceSnapshots(lake, profile.tables);
  const secret = profile.method === 'limited' ? (options.secret ?? (await loadDeidSecret(lake))) : options.secret;

  const existing = profile.method === 'safe-harbor' ? await readCrosswalk(lake, profile.name) : [];
  const known: CrosswalkEntry[] = [...existing];
  const results: Array<{ plan: DeidTablePlan; snapshot: TableSnapshot; rowsIn: number; result: DeidentifyResult }> = [];
  for (const [index, plan] of profile.tables.entries()) {
    const snapshot = snapshots[index] as TableSnapshot;
    const rows = await readSnapshotRows(lake, snapshot);
    const result = deidentifyRows(plan.dataset, rows, plan.profile, {
      ...(secret !== undefined ? { secret } : {}),
      ...(options.randomStudyId !== undefined ? { randomStudyId: options.randomStudyId } : {}),
      // Every table of the run shares the crosswalk, so one patient has one study id in all of them.
      crosswalk: known,
      referenceDate: run.startedAt,
    });
    known.push(...result.crosswalk);
    results.push({ plan, snapshot, rowsIn: rows.length, result });
  }

  // The crosswalk is written before the tables that use its ids, so that no committed row carries
  // a study id the steward cannot trace.
  const added = known.slice(existing.length);
  if (profile.crosswalkDataset !== undefined) {
    await appendCrosswalk(lake, profile.crosswalkDataset, profile.name, added, options.principal, run.runId);
  }

  const tables: DeidTableRun[] = [];
  for (const { plan, snapshot, rowsIn, result } of results) {
    tables.push(await writeOutputTable(lake, profile, plan, snapshot, rowsIn, result, options.principal));
  }
  return {
    formatVersion: 1,
    runId: run.runId,
    profile: profile.name,
    profileSha256: profile.sha256,
    method: profile.method,
    classification: DEID_CLASSIFICATIONS[profile.method],
    principal: options.principal.name,
    startedAt: run.startedAt.toISOString(),
    durationMs: 0,
    tables,
    ...(profile.method === 'safe-harbor' ? { crosswalk: { table: CROSSWALK_TABLE, existing: existing.length, added: added.length } } : {}),
  };
}

/** Finds the newest snapshot of every source table, failing before any write when one was never written. */
async function sourceSnapshots(lake: Lake, plans: readonly DeidTablePlan[]): Promise<TableSnapshot[]> {
  const snapshots: TableSnapshot[] = [];
  const missing: string[] = [];
  for (const plan of plans) {
    const snapshot = await lake.tables.snapshot(plan.source);
    if (snapshot === undefined) missing.push(plan.source);
    else snapshots.push(snapshot);
  }
  if (missing.length > 0) {
    throw new DeidRunError(`source table(s) ${missing.join(', ')} have no committed rows in this lake`, {
      hint: 'Run the pipelines that write them first, such as carelake pipeline run pipelines/demo.pipeline.yaml.',
    });
  }
  return snapshots;
}

async function writeOutputTable(
  lake: Lake,
  profile: DeidProfileFile,
  plan: DeidTablePlan,
  source: TableSnapshot,
  rowsIn: number,
  result: DeidentifyResult,
  principal: Principal,
): Promise<DeidTableRun> {
  const dataset = outputDatasetOf(profile.name, plan, result.columns, result.report);
  const rows: Row[] = sortRows(result.rows, result.columns);
  const inputs = [`source:${plan.source}@${source.version}`, `profile:${profile.sha256}`, `rows:${rowsSha256(rows, result.columns)}`];
  const commit = await lake.tables.replace(dataset, rows, { principal: principal.name, inputs });
  const snapshot = commit.snapshot ?? (await lake.tables.snapshot(plan.output));
  await registerTable(lake.catalog, dataset, snapshot, { audit: lake.audit, principal });

  const removed = result.report.columns.filter((column) => column.outputColumns.length === 0).map((column) => column.column);
  return {
    source: plan.source,
    sourceVersion: source.version,
    output: plan.output,
    outputVersion: snapshot?.version ?? 0,
    committed: commit.snapshot !== undefined,
    rowsIn,
    rowsOut: rows.length,
    columnsRemoved: [...plan.drop, ...removed],
    deid: result.report,
  };
}

function auditDetails(report: DeidRunReport): Record<string, string | number | boolean> {
  const sum = (pick: (table: DeidTableRun) => number): number => report.tables.reduce((total, table) => total + pick(table), 0);
  return {
    profile: report.profile,
    runId: report.runId,
    method: report.method,
    tables: report.tables.length,
    tablesCommitted: report.tables.filter((table) => table.committed).length,
    rowsIn: sum((table) => table.rowsIn),
    rowsOut: sum((table) => table.rowsOut),
    rowsBelowK: sum((table) => table.deid.residualRisk.rowsBelowK),
    ...(report.crosswalk !== undefined ? { studyIdsAdded: report.crosswalk.added } : {}),
    durationMs: report.durationMs,
  };
}
