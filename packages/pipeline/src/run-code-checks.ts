import type { DatasetDefinition, Logger, Row } from '@carelake/core';
import type { CodeIndex } from '@carelake/vocab';
import type { Lake } from './lake';
import type { LoadedPipeline } from './pipeline-file';
import { quarantine } from './quarantine';
import { checkCodes, loadVocabIndexes } from './vocab-check';
import { DEFAULT_VOCABULARY_CHECK, type VocabularyCheckSettings } from './vocab-check-option';

/** Counts of the code checks of a run, over every table whose columns bind a vocabulary. */
export interface CodeCheckSummary {
  /** Codes checked against a loaded vocabulary release. */
  checked: number;
  unknown: number;
  retired: number;
  /** Rows sent to quarantine for an unknown or retired code (`vocabulary.check: quarantine`). */
  quarantined: number;
}

/** The code index of a run and the pipeline's settings for it. */
export interface RunCodeChecks {
  index: CodeIndex;
  settings: VocabularyCheckSettings;
  summary: CodeCheckSummary;
}

/**
 * Loads the vocabulary releases that the outputs' columns bind, once per run. Returns undefined when
 * checks are off or no bound vocabulary is loaded, so that a lake without vocabularies runs as before.
 */
export async function prepareCodeChecks(
  lake: Lake,
  pipeline: LoadedPipeline,
  outputs: readonly DatasetDefinition[],
  logger: Logger,
): Promise<RunCodeChecks | undefined> {
  const settings = pipeline.vocabulary ?? DEFAULT_VOCABULARY_CHECK;
  if (settings.check === 'off') return undefined;

  const indexes = await loadVocabIndexes(lake, outputs);
  if (indexes.tables.size === 0) return undefined;
  if (indexes.missing.length > 0) logger.debug({ vocabularies: indexes.missing }, 'bound vocabularies not loaded, their codes are not checked');
  return { index: indexes.index, settings, summary: { checked: 0, unknown: 0, retired: 0, quarantined: 0 } };
}

/**
 * Checks the codes of rows about to be appended to a table, on each row's date of service, counts
 * unknown and retired codes, and returns the rows to write. Under `check: quarantine` a row with
 * such a code goes to quarantine, named by its column and never by the code.
 */
export async function applyCodeChecks(
  lake: Lake,
  pipelineName: string,
  checks: RunCodeChecks,
  dataset: DatasetDefinition,
  rows: readonly Row[],
): Promise<readonly Row[]> {
  if (rows.length === 0 || !Object.values(dataset.columns).some((column) => column.vocabulary !== undefined)) return rows;

  const dateColumn = checks.settings.dateColumns[dataset.table];
  const result = checkCodes(dataset, rows, checks.index, {
    mode: checks.settings.check === 'quarantine' ? 'quarantine' : 'flag',
    ...(dateColumn !== undefined ? { dateColumn } : {}),
  });
  for (const count of result.counts) {
    if (count.outcome === 'known' || count.outcome === 'unknown' || count.outcome === 'retired') checks.summary.checked += count.rows;
    if (count.outcome === 'unknown') checks.summary.unknown += count.rows;
    if (count.outcome === 'retired') checks.summary.retired += count.rows;
  }

  for (const flagged of result.quarantined) {
    const landingKey = typeof flagged.row['source_file'] === 'string' ? flagged.row['source_file'] : '';
    await quarantine(lake.store, pipelineName, {
      landingKey,
      fileSha256: fileSha256Of(landingKey),
      position: {
        ...(landingKey ? { file: landingKey } : {}),
        ...(typeof flagged.row['source_position'] === 'number' ? { record: flagged.row['source_position'] } : {}),
        field: flagged.flags.map((flag) => flag.column).join(','),
      },
      stage: 'validate',
      reason: `${dataset.table}: ${flagged.flags.map((flag) => `${flag.status} ${flag.vocabulary} code in ${flag.column}`).join('; ')}`,
    });
    checks.summary.quarantined++;
  }
  return result.rows;
}

/** Reads the content hash from a landing key (`landing/<pipeline>/<aa>/<sha256>/<name>`). */
function fileSha256Of(landingKey: string): string {
  const hash = landingKey.split('/')[3];
  return hash !== undefined && /^[0-9a-f]{64}$/.test(hash) ? hash : 'no-landing-file';
}
