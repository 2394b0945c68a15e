import { resolve } from 'node:path';
import type { LoadedConfig, Principal } from '@carelake/core';
import {
  loadDeidProfileFile,
  readLatestDeidReport,
  runDeidProfile,
  type DeidRunReport,
  type DeidTableRun,
} from '@carelake/pipeline';
import { withLake } from '../context';
import { CliUsageError } from '../errors';

export interface DeidRunOptions {
  /** Folder of `*.dataset.yaml` files; default `datasets` beside the profile's folder. */
  datasets?: string;
}

/** Runs a `*.deid.yaml` profile file against the lake, checking the file before the lake is opened. */
export async function runDeidCommand(config: LoadedConfig, file: string, principal: Principal, options: DeidRunOptions = {}): Promise<DeidRunReport> {
  const datasetsFolder = options.datasets === undefined ? undefined : resolve(options.datasets);
  const profile = loadDeidProfileFile(resolve(file), datasetsFolder === undefined ? {} : { datasetsFolder });
  return withLake(config, (lake) => runDeidProfile(lake, profile.path, { principal, ...(datasetsFolder !== undefined ? { datasetsFolder } : {}) }));
}

/** Prints the newest report of a profile, as text or as the stored JSON. */
export async function printDeidReport(config: LoadedConfig, profile: string, format: 'text' | 'json', write: (text: string) => void): Promise<void> {
  const report = await readLatestDeidReport(config.lakeRoot, profile);
  if (report === undefined) {
    throw new CliUsageError(`de-identification profile ${profile} has no report in this lake`, {
      hint: `Run carelake deid run pipelines/policies/${profile}.deid.yaml first; the profile is named by its file name.`,
    });
  }
  write(format === 'json' ? JSON.stringify(report, null, 2) : formatDeidReport(report));
}

/** Summarizes a run: per table the rows in and out, the columns removed and the residual-risk count. */
export function formatDeidRunSummary(report: DeidRunReport): string {
  const lines = [`deid ${report.profile}: ${report.method}, output classified ${report.classification}, run ${report.runId}`];
  for (const table of report.tables) {
    lines.push(`  ${table.source} -> ${table.output}: ${table.rowsIn} row(s) in, ${table.rowsOut} out, ${describeCommit(table)}`);
    lines.push(`    columns removed (${table.columnsRemoved.length}): ${table.columnsRemoved.join(', ') || 'none'}`);
    lines.push(`    ${describeRisk(table)}`);
  }
  if (report.crosswalk !== undefined) {
    lines.push(`  study ids: ${report.crosswalk.added} drawn, ${report.crosswalk.existing} already in ${report.crosswalk.table}`);
  }
  lines.push(`  duration: ${report.durationMs} ms`);
  return lines.join('\n');
}

/** Summarizes a run in one line per profile, for output where de-identification is a side step. */
export function formatDeidRunBrief(report: DeidRunReport): string {
  const written = report.tables.filter((table) => table.committed).length;
  const outputs = report.tables.map((table) => table.output).join(', ');
  return (
    `deid ${report.profile}: ${report.tables.length} table(s) (${outputs}), ${written} rewritten, classified ${report.classification}; ` +
    `details: carelake deid report ${report.profile}`
  );
}

/** Formats a stored report in full: the run summary, then each column's treatment and counts. */
export function formatDeidReport(report: DeidRunReport): string {
  const lines = [formatDeidRunSummary(report), `  started: ${report.startedAt} by ${report.principal}, profile file sha256 ${report.profileSha256.slice(0, 12)}`];
  for (const table of report.tables) {
    lines.push('', `${table.output} (from ${table.source} version ${table.sourceVersion}):`);
    for (const column of table.deid.columns) {
      const outputs = column.outputColumns.length === 0 ? 'removed' : `-> ${column.outputColumns.join(', ')}`;
      const kind = column.identifier === undefined ? '' : ` [${column.identifier}]`;
      lines.push(`  ${column.column}${kind}: ${column.treatment} ${outputs}; ${column.changedValues} changed, ${column.suppressedValues} nulled (${column.reason})`);
    }
    for (const text of table.deid.freeText) {
      const counts = Object.entries(text.detections).map(([kind, count]) => `${kind} ${count}`);
      lines.push(`  ${text.column}: free-text detections ${counts.join(', ') || 'none'}`);
    }
  }
  return lines.join('\n');
}

function describeCommit(table: DeidTableRun): string {
  return table.committed ? `committed as version ${table.outputVersion}` : `unchanged at version ${table.outputVersion}`;
}

function describeRisk(table: DeidTableRun): string {
  const risk = table.deid.residualRisk;
  if (risk.quasiIdentifiers.length === 0) return 'residual risk: no quasi-identifier columns to group by';
  return `residual risk: ${risk.rowsBelowK} of ${table.rowsOut} row(s) in ${risk.groupsBelowK} group(s) of fewer than ${risk.k} rows over ${risk.quasiIdentifiers.join(', ')}`;
}
