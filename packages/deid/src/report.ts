import type { IdentifierKind } from '@carelake/core';
import type { ColumnTreatment } from './plan';
import type { ResidualRiskResult } from './risk';
import type { TextIdentifierKind } from './text-detector';

/** Outcome of one run for one input column. The report contains counts and names only, never values. */
export interface ColumnReport {
  column: string;
  identifier: IdentifierKind | undefined;
  treatment: ColumnTreatment;
  outputColumns: string[];
  reason: string;
  /** Non-null input values the treatment changed or removed. */
  changedValues: number;
  /** Non-null input values that became null, such as birth years of patients aged 90 or older. */
  suppressedValues: number;
}

export interface FreeTextReport {
  column: string;
  detections: Partial<Record<TextIdentifierKind, number>>;
}

export interface DeidReport {
  table: string;
  method: 'safe-harbor' | 'limited';
  rowCount: number;
  columns: ColumnReport[];
  /** Study ids handed out under Safe Harbor; absent under a limited profile. */
  studyIds?: { reused: number; added: number };
  freeText: FreeTextReport[];
  residualRisk: ResidualRiskResult;
}
