import type { ErrorPosition, Row } from '@carelake/core';

/** A problem a decoder found in one part of a file; that part goes to quarantine. */
export interface DecodeProblem {
  position: ErrorPosition;
  reason: string;
  /** The rejected text, when the decoder can isolate it. The whole file stays in landing/ either way. */
  content?: string;
}

/** The records, rows and problems a decoder produced from one landed file. */
export interface DecodedFile {
  /** Messages or resources read, valid or not. */
  records: number;
  rowsByTable: Map<string, Row[]>;
  problems: DecodeProblem[];
  warnings: number;
}

export interface DecodeContext {
  landingKey: string;
  ingestedAt: Date;
  mode: 'lenient' | 'strict';
}

export function addRows(decoded: DecodedFile, table: string, rows: readonly Row[]): void {
  if (rows.length === 0) return;
  const existing = decoded.rowsByTable.get(table);
  if (existing) existing.push(...rows);
  else decoded.rowsByTable.set(table, [...rows]);
}

export function emptyDecodedFile(): DecodedFile {
  return { records: 0, rowsByTable: new Map(), problems: [], warnings: 0 };
}
