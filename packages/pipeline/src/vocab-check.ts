import type { DatasetDefinition, Row, RowValue } from '@carelake/core';
import { CodeIndexBuilder, isIdentifierOf, VocabError, type CheckDate, type CodeIndex } from '@carelake/vocab';
import type { Lake } from './lake';
import { VocabCheckError } from './vocab-errors';
import { readIndexRecords } from './vocab-table';

/**
 * Column in which a dataset may record the codes of a row that failed the check, as
 * `<status>:<column>` entries joined by commas, such as `unknown:vaccine_code`. It is null when
 * every bound code is known, and written only when the dataset declares it (type string).
 */
export const CODE_FLAGS_COLUMN = 'code_flags';

/** Rows with no date are checked on this day, so against the newest release loaded. */
const NEWEST_DAY = '9999-12-31';

const TABLE_NAME_PART = /^[a-z_][a-z0-9_]*$/;

/**
 * `known`, `unknown`, `retired`: the result of the check on the row's date.
 * `other_system`: the column's `<column>_system` companion names another code system, so the
 * code was not checked. `unchecked`: no vocabulary table contains the bound system. `empty`: no code.
 */
export type CodeCheckOutcome = 'known' | 'unknown' | 'retired' | 'other_system' | 'unchecked' | 'empty';

const OUTCOME_ORDER: readonly CodeCheckOutcome[] = ['known', 'unknown', 'retired', 'other_system', 'unchecked', 'empty'];

export interface CodeCheckCount {
  table: string;
  column: string;
  vocabulary: string;
  outcome: CodeCheckOutcome;
  rows: number;
}

/** A code that failed the check. It names the column, never the code, which sits in a row of health data. */
export interface CodeFlag {
  column: string;
  vocabulary: string;
  status: 'unknown' | 'retired';
}

export interface FlaggedRow {
  /** 0-based index of the row in the rows checked. */
  index: number;
  row: Row;
  flags: CodeFlag[];
}

export interface CodeCheckResult {
  /** The rows to write: every row when flagging, the rows without a flag when quarantining. */
  rows: Row[];
  /** Rows with a flag, when quarantining; empty when flagging. */
  quarantined: FlaggedRow[];
  /** Rows with at least one flag. */
  flaggedRows: number;
  /** Per bound column and outcome, the number of rows, in column order. */
  counts: CodeCheckCount[];
}

export interface CheckCodesOptions {
  /** `flag` (the default) keeps every row; `quarantine` takes rows with a flag out. */
  mode?: 'flag' | 'quarantine';
  /** The date or timestamp column whose day each code must be valid on. Left out, codes are checked against the newest release. */
  dateColumn?: string;
}

/** The code index of the systems an output's columns bind, and where their codes came from. */
export interface VocabIndexes {
  index: CodeIndex;
  /** Per bound system with codes, the vocabulary table that contains them. */
  tables: Map<string, string>;
  /** Bound systems that no vocabulary table contains, such as `administrative-gender`; not checked. */
  missing: string[];
}

/**
 * Builds a code index from the vocabulary tables, for every system that a column of `datasets`
 * binds: `vocab.<system>`, else the system's rows of `vocab.omop`. Reads each table's
 * `_current` companion, which contains the newest version of each validity period.
 */
export async function loadVocabIndexes(lake: Lake, datasets: Iterable<DatasetDefinition>): Promise<VocabIndexes> {
  const systems = new Set<string>();
  for (const dataset of datasets) {
    for (const column of Object.values(dataset.columns)) {
      if (column.vocabulary !== undefined) systems.add(column.vocabulary);
    }
  }

  const builder = new CodeIndexBuilder();
  const tables = new Map<string, string>();
  const missing: string[] = [];
  const omopLoaded = (await lake.tables.snapshot('vocab.omop_current')) !== undefined;
  for (const system of [...systems].sort()) {
    let records = TABLE_NAME_PART.test(system) ? await readIndexRecords(lake, `vocab.${system}`) : [];
    let table = `vocab.${system}`;
    if (records.length === 0 && omopLoaded) {
      records = await readIndexRecords(lake, 'vocab.omop', [system]);
      table = 'vocab.omop';
    }
    if (records.length === 0) {
      missing.push(system);
      continue;
    }
    for (const record of records) builder.add(record);
    tables.set(system, table);
  }
  return { index: builder.build(), tables, missing };
}

/**
 * Checks the codes of each column that the dataset binds to a vocabulary, on the row's date.
 * A code is skipped when empty, or when the column's `<column>_system` companion names another
 * system (a local code beside LOINC ones). A row without a valid date is checked against the
 * newest release. Unknown and retired codes are counted, and flagged in `code_flags` when the
 * dataset declares it.
 */
export function checkCodes(
  dataset: DatasetDefinition,
  rows: readonly Row[],
  index: CodeIndex,
  options: CheckCodesOptions = {},
): CodeCheckResult {
  const dateColumn = options.dateColumn;
  if (dateColumn !== undefined && !(dateColumn in dataset.columns)) {
    throw new VocabCheckError(`${dataset.table} has no column ${dateColumn} to check codes on`, {
      position: { field: dateColumn },
      hint: `Name one of its date or timestamp columns in vocabulary.dateColumns of the pipeline file.`,
    });
  }
  const bound = Object.entries(dataset.columns).flatMap(([column, definition]) =>
    definition.vocabulary === undefined ? [] : [{ column, vocabulary: definition.vocabulary }],
  );
  const writesFlags = CODE_FLAGS_COLUMN in dataset.columns;
  const tally = new Map<string, CodeCheckCount>();
  const result: CodeCheckResult = { rows: [], quarantined: [], flaggedRows: 0, counts: [] };

  rows.forEach((row, rowIndex) => {
    const date = dateColumn === undefined ? NEWEST_DAY : checkDateOf(row[dateColumn]);
    const flags: CodeFlag[] = [];
    for (const { column, vocabulary } of bound) {
      const outcome = checkOne(dataset, row, column, vocabulary, index, date);
      count(tally, { table: dataset.table, column, vocabulary, outcome });
      if (outcome === 'unknown' || outcome === 'retired') flags.push({ column, vocabulary, status: outcome });
    }

    if (flags.length > 0) result.flaggedRows++;
    if (flags.length > 0 && options.mode === 'quarantine') {
      result.quarantined.push({ index: rowIndex, row, flags });
      return;
    }
    const flagText = flags.length > 0 ? flags.map((flag) => `${flag.status}:${flag.column}`).join(',') : null;
    result.rows.push(writesFlags ? { ...row, [CODE_FLAGS_COLUMN]: flagText } : row);
  });

  result.counts = [...tally.values()].sort(
    (left, right) =>
      bound.findIndex((entry) => entry.column === left.column) - bound.findIndex((entry) => entry.column === right.column) ||
      OUTCOME_ORDER.indexOf(left.outcome) - OUTCOME_ORDER.indexOf(right.outcome),
  );
  return result;
}

function checkOne(
  dataset: DatasetDefinition,
  row: Row,
  column: string,
  vocabulary: string,
  index: CodeIndex,
  date: CheckDate,
): CodeCheckOutcome {
  const code = textOf(row[column]);
  if (code === undefined) return 'empty';
  const systemColumn = `${column}_system`;
  const system = systemColumn in dataset.columns ? textOf(row[systemColumn]) : undefined;
  if (system !== undefined && !isIdentifierOf(vocabulary, system)) return 'other_system';

  const codes = index.forSystem(vocabulary);
  if (codes === undefined) return 'unchecked';
  try {
    return codes.check(code, date);
  } catch (error) {
    // The date column contains a value that is not a date, so the code is checked without it.
    if (!(error instanceof VocabError)) throw error;
    return codes.check(code, NEWEST_DAY);
  }
}

function checkDateOf(value: RowValue | undefined): CheckDate {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? NEWEST_DAY : value;
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  return NEWEST_DAY;
}

function textOf(value: RowValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}

function count(tally: Map<string, CodeCheckCount>, key: Omit<CodeCheckCount, 'rows'>): void {
  const id = `${key.column}\u0000${key.outcome}`;
  const entry = tally.get(id);
  if (entry === undefined) tally.set(id, { ...key, rows: 1 });
  else entry.rows++;
}
