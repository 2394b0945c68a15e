import type { Row } from '@carelake/core';

export interface ResidualRiskResult {
  k: number;
  quasiIdentifiers: string[];
  /** Distinct combinations of quasi-identifier values among the rows. */
  groupCount: number;
  /** Combinations shared by fewer than k rows. */
  groupsBelowK: number;
  /** Rows whose combination is shared by fewer than k rows, themselves included. */
  rowsBelowK: number;
}

/**
 * Counts the rows that are not k-anonymous over the quasi-identifier columns: rows whose
 * combination of values occurs fewer than k times. Nulls count as a value of their own.
 */
export function checkResidualRisk(rows: readonly Row[], quasiIdentifiers: readonly string[], k: number): ResidualRiskResult {
  const counts = new Map<string, number>();
  for (const row of rows) {
    const key = combinationKey(row, quasiIdentifiers);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  let groupsBelowK = 0;
  let rowsBelowK = 0;
  for (const count of counts.values()) {
    if (count < k) {
      groupsBelowK += 1;
      rowsBelowK += count;
    }
  }
  return { k, quasiIdentifiers: [...quasiIdentifiers], groupCount: counts.size, groupsBelowK, rowsBelowK };
}

function combinationKey(row: Row, columns: readonly string[]): string {
  return JSON.stringify(
    columns.map((column) => {
      const value = row[column] ?? null;
      if (value instanceof Date) return `d:${value.toISOString()}`;
      if (typeof value === 'bigint') return `n:${value.toString()}`;
      return value;
    }),
  );
}
