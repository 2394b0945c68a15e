import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Classification } from '@carelake/core';
import type { DeidReport } from '@carelake/deid';
import { DeidRunError } from './deid-errors';

/** Outcome of one run for one table. Names and counts only, never a field value. */
export interface DeidTableRun {
  source: string;
  sourceVersion: number;
  output: string;
  /** Version of the output table after the run: the new one, or the unchanged one. */
  outputVersion: number;
  /** False when the output already had these rows and nothing was committed. */
  committed: boolean;
  rowsIn: number;
  rowsOut: number;
  /** Input columns with no output column: those the profile file drops and those de-identification removes. */
  columnsRemoved: string[];
  /** Treatment of each column, free-text detections and the residual-risk check. */
  deid: DeidReport;
}

/** Report of one run of a de-identification profile, stored under `_state/deid/<profile>/reports/`. */
export interface DeidRunReport {
  formatVersion: 1;
  runId: string;
  profile: string;
  /** SHA-256 of the profile file's text. */
  profileSha256: string;
  method: DeidReport['method'];
  classification: Classification;
  principal: string;
  /** ISO 8601 time the run started; ages are computed at this time. */
  startedAt: string;
  durationMs: number;
  tables: DeidTableRun[];
  /** Safe Harbor only: the crosswalk table and how many study ids were reused and drawn. */
  crosswalk?: { table: string; existing: number; added: number };
}

/** Folder of the reports of one profile, relative to the lake root. */
export function deidReportFolder(profile: string): string {
  return join('_state', 'deid', profile, 'reports');
}

/**
 * Writes a run's report atomically, readable by its owner only, named by its start time so that
 * name order is time order. Returns the file's path.
 */
export async function writeDeidReport(lakeRoot: string, report: DeidRunReport): Promise<string> {
  const folder = join(lakeRoot, deidReportFolder(report.profile));
  await mkdir(folder, { recursive: true, mode: 0o700 });
  const name = `${report.startedAt.replace(/:/g, '-')}-${report.runId}.json`;
  const temporary = join(folder, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await writeFile(temporary, `${JSON.stringify(report, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  await rename(temporary, join(folder, name));
  return join(folder, name);
}

/** Reads the newest report of a profile, or returns undefined when the profile never ran in this lake. */
export async function readLatestDeidReport(lakeRoot: string, profile: string): Promise<DeidRunReport | undefined> {
  const folder = join(lakeRoot, deidReportFolder(profile));
  let names: string[];
  try {
    names = (await readdir(folder)).filter((name) => name.endsWith('.json') && !name.startsWith('.')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const newest = names.at(-1);
  if (newest === undefined) return undefined;
  const report = JSON.parse(await readFile(join(folder, newest), 'utf8')) as DeidRunReport;
  if (report.formatVersion !== 1) {
    throw new DeidRunError(`de-identification report ${join(folder, newest)} has an unknown format version`, {
      hint: 'It was written by another carelake version; run the profile again to write a new report.',
    });
  }
  return report;
}
