import { sha256Hex, datasetSchema, type Classification, type DatasetDefinition, type Row } from '@carelake/core';
import type { DeidReport, OutputColumn } from '@carelake/deid';
import type { DeidTablePlan } from './profile-file';

/** Classification of the output of each method: Safe Harbor output is de-identified, a limited data set is not. */
export const DEID_CLASSIFICATIONS: Record<DeidReport['method'], Classification> = {
  'safe-harbor': 'deidentified',
  limited: 'limited',
};

/**
 * Describes an output table for the table layer and the catalog, with its columns as the
 * de-identification produced them. The table and every column get the method's classification,
 * so that tag grants on another classification reach none of them. Each column's description
 * names the input column it came from and its treatment.
 */
export function outputDatasetOf(profileName: string, plan: DeidTablePlan, columns: readonly OutputColumn[], report: DeidReport): DatasetDefinition {
  const classification = DEID_CLASSIFICATIONS[plan.profile.method];
  const origins = new Map<string, string>();
  for (const column of report.columns) {
    for (const output of column.outputColumns) origins.set(output, `From ${plan.source}.${column.column}: ${column.reason}.`);
  }
  const method = plan.profile.method === 'safe-harbor' ? 'HIPAA Safe Harbor' : 'limited data set';
  return datasetSchema.parse({
    table: plan.output,
    description: `${method} copy of ${plan.source}, rebuilt by carelake deid run with profile ${profileName}.`,
    ...(plan.sourceDataset.owner !== undefined ? { owner: plan.sourceDataset.owner } : {}),
    ...(plan.sourceDataset.steward !== undefined ? { steward: plan.sourceDataset.steward } : {}),
    ...(plan.sourceDataset.domain !== undefined ? { domain: plan.sourceDataset.domain } : {}),
    classification,
    source: { pipeline: `deid:${profileName}`, inputs: [plan.source] },
    columns: Object.fromEntries(
      columns.map((column) => [
        column.name,
        { type: column.type, classification, description: origins.get(column.name) ?? `From ${plan.source}.` },
      ]),
    ),
  });
}

/**
 * Orders output rows by their own values. The order of a rebuild then does not depend on how the
 * source was read, and it does not follow the order of patient keys or record numbers either.
 */
export function sortRows(rows: readonly Row[], columns: readonly OutputColumn[]): Row[] {
  const keyed = rows.map((row) => ({ row, key: rowKey(row, columns) }));
  keyed.sort((a, b) => compareText(a.key, b.key));
  return keyed.map((entry) => entry.row);
}

/** SHA-256 of the rows in order, recorded with each commit so that an unchanged rebuild commits nothing. */
export function rowsSha256(rows: readonly Row[], columns: readonly OutputColumn[]): string {
  return sha256Hex(`${columns.map((column) => `${column.name}:${column.type}`).join(',')}\n${rows.map((row) => rowKey(row, columns)).join('\n')}`);
}

function rowKey(row: Row, columns: readonly OutputColumn[]): string {
  return JSON.stringify(
    columns.map((column) => {
      const value = row[column.name] ?? null;
      if (value instanceof Date) return `d:${value.toISOString()}`;
      if (typeof value === 'bigint') return `n:${value.toString()}`;
      return value;
    }),
  );
}

/** Compares by UTF-16 code units, which unlike localeCompare gives the same order everywhere. */
function compareText(a: string, b: string): number {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
