import { canonicalJson, sha256Hex, type ColumnType, type DatasetDefinition, type Row } from '@carelake/core';
import { closeDuckDb, currentDatasetOf, openDuckDb, quoteLiteral, snapshotSourceSql } from '@carelake/tables';
import { CODE_STATUSES, type CodePeriod, type CodeRecord, type CodeStatus, type VocabRelease } from '@carelake/vocab';
import type { Lake } from './lake';
import { VocabRefreshError } from './vocab-errors';

/**
 * The columns every `vocab.<system>` dataset declares, with their types. The table is a history
 * table keyed by system, code and valid_from, whose versions are ordered by release_sequence, so
 * its `_current` companion holds the newest version of each validity period.
 */
const VOCAB_COLUMNS: Readonly<Record<string, ColumnType>> = {
  system: 'string',
  code: 'string',
  display: 'string',
  status: 'string',
  valid_from: 'date',
  valid_to: 'date',
  replaced_by: 'string',
  release_version: 'string',
  release_effective: 'date',
  release_sequence: 'bigint',
  record_hash: 'string',
};
const VOCAB_KEY = ['system', 'code', 'valid_from'];

/** Separates the codes of replaced_by; codes of the supported systems never contain a space. */
const REPLACED_BY_SEPARATOR = ' ';

/**
 * Checks that a dataset can hold a versioned vocabulary table, and raises `VocabRefreshError`
 * listing every column, key or order setting that differs.
 */
export function checkVocabDataset(dataset: DatasetDefinition): void {
  const problems: string[] = [];
  for (const [name, type] of Object.entries(VOCAB_COLUMNS)) {
    const column = dataset.columns[name];
    if (column === undefined) problems.push(`column ${name} (${type}) is missing`);
    else if (column.type !== type) problems.push(`column ${name} is ${column.type}, not ${type}`);
  }
  if (dataset.kind !== 'history') problems.push('kind must be history');
  if (dataset.key.join(',') !== VOCAB_KEY.join(',')) problems.push(`key must be [${VOCAB_KEY.join(', ')}]`);
  if (dataset.versionOrder.join(',') !== 'release_sequence') problems.push('versionOrder must be [release_sequence]');
  if (dataset.dedupeBy !== 'record_hash') problems.push('dedupeBy must be record_hash');
  if (problems.length > 0) {
    throw new VocabRefreshError(`${dataset.table} cannot hold a versioned vocabulary: ${problems.join('; ')}`, {
      hint: 'Compare its dataset file with pipelines/datasets/vocab.cvx.dataset.yaml.',
    });
  }
}

/** Returns the row that stores one version of a period, loaded with `release`. */
export function rowOfPeriod(period: CodePeriod, release: VocabRelease): Row {
  const replacedBy = period.replacedBy.length > 0 ? period.replacedBy.join(REPLACED_BY_SEPARATOR) : null;
  return {
    system: period.system,
    code: period.code,
    display: period.display,
    status: period.status,
    valid_from: dateOf(period.validFrom),
    valid_to: dateOf(period.validTo),
    replaced_by: replacedBy,
    release_version: release.version,
    release_effective: dateOf(release.effective),
    release_sequence: BigInt(release.sequence),
    // The sequence is part of the hash: a refresh finishing a crashed one writes the same rows,
    // which are stored once, while a later release may restore an earlier version of a period.
    record_hash: sha256Hex(canonicalJson({ period, releaseSequence: release.sequence })),
  };
}

/** Reads the current periods of a vocabulary table from its `_current` companion. */
export async function readCurrentPeriods(lake: Lake, dataset: DatasetDefinition): Promise<CodePeriod[]> {
  const rows = await queryCurrent(
    lake,
    dataset,
    'SELECT system, code, display, status, CAST(valid_from AS VARCHAR), CAST(valid_to AS VARCHAR), replaced_by',
  );
  return rows.map(([system, code, display, status, validFrom, validTo, replacedBy]) => ({
    system: String(system),
    code: String(code),
    display: display === null ? '' : String(display),
    status: statusOf(status, dataset.table),
    validFrom: validFrom === null ? null : String(validFrom),
    validTo: validTo === null ? null : String(validTo),
    replacedBy: replacedBy === null || replacedBy === '' ? [] : String(replacedBy).split(REPLACED_BY_SEPARATOR),
  }));
}

/**
 * Reads a vocabulary table's current periods as code records, for a code index. `systems`
 * narrows the rows of a table that contains several systems, such as `vocab.omop`.
 */
export async function readIndexRecords(
  lake: Lake,
  table: string,
  systems?: readonly string[],
): Promise<CodeRecord[]> {
  const where = systems === undefined ? '' : ` WHERE system IN (${systems.map(quoteLiteral).join(', ') || 'NULL'})`;
  const rows = await queryCurrent(
    lake,
    { table },
    `SELECT system, code, status, CAST(valid_from AS VARCHAR), CAST(valid_to AS VARCHAR)`,
    where,
  );
  return rows.map(([system, code, status, validFrom, validTo]) => ({
    system: String(system),
    code: String(code),
    display: '',
    status: statusOf(status, table),
    ...(validFrom === null ? {} : { validFrom: String(validFrom) }),
    ...(validTo === null ? {} : { validTo: String(validTo) }),
  }));
}

/** Runs a SELECT over the committed rows of `<table>_current`; no rows when it has no commit yet. */
async function queryCurrent(
  lake: Lake,
  dataset: Pick<DatasetDefinition, 'table'>,
  select: string,
  where = '',
): Promise<unknown[][]> {
  const currentTable = `${dataset.table}_current`;
  const snapshot = await lake.tables.snapshot(currentTable);
  if (snapshot === undefined) return [];

  const duck = await openDuckDb(lake.duckdb);
  try {
    return await lake.tables.withMaterialized(snapshot, async (pathOf) => {
      const reader = await duck.connection.runAndReadAll(`${select} FROM (${snapshotSourceSql(snapshot, pathOf)})${where}`);
      return reader.getRowsJS() as unknown[][];
    });
  } finally {
    closeDuckDb(duck);
  }
}

/** Returns the `_current` companion's name, such as `vocab.loinc_current`. */
export function currentTableOf(dataset: DatasetDefinition): string {
  return currentDatasetOf(dataset).table;
}

function statusOf(value: unknown, table: string): CodeStatus {
  const status = String(value);
  if ((CODE_STATUSES as readonly string[]).includes(status)) return status as CodeStatus;
  throw new VocabRefreshError(`${table} has a row with status "${status}", which is not a code status`, {
    hint: `Code statuses are ${CODE_STATUSES.join(', ')}; rows are written only by carelake vocab refresh.`,
  });
}

function dateOf(isoDate: string | null): Date | null {
  return isoDate === null ? null : new Date(`${isoDate}T00:00:00.000Z`);
}
