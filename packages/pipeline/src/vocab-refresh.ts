import {
  RUNNER,
  silentLogger,
  type DatasetDefinition,
  type Logger,
  type Principal,
} from '@carelake/core';
import { currentDatasetOf, type CommitResult } from '@carelake/tables';
import {
  compareRelease,
  readReleaseRecords,
  VocabError,
  type CodeRecord,
  type VocabProblem,
  type VocabRelease,
} from '@carelake/vocab';
import type { Lake } from './lake';
import { registerTable } from './register';
import { VocabRefreshError } from './vocab-errors';
import { identifyRelease, type ReleaseIdentity } from './vocab-release-identity';
import { locateRelease, type LocatedRelease, type OpenS3Location } from './vocab-release-files';
import { resolveReleaseLocation, type VocabSource } from './vocab-source';
import {
  readChangeReport,
  reportKeyOf,
  VocabReleaseLog,
  withRefreshLock,
  writeChangeReport,
  type ChangeReport,
  type LoadedReleaseEntry,
} from './vocab-state';
import { checkVocabDataset, readCurrentPeriods, rowOfPeriod } from './vocab-table';

export interface RefreshVocabularyOptions {
  lake: Lake;
  source: VocabSource;
  /** The dataset of the system's table, `vocab.<system>`. */
  dataset: DatasetDefinition;
  /** Folder or s3:// URI of the release, instead of the source's location. */
  release?: string;
  /** The release's version, when its files do not show it. */
  version?: string;
  /** First day the release's codes apply, `YYYY-MM-DD`, when its files do not show it. */
  effective?: string;
  /** Defaults to the runner, as for every pipeline job. */
  principal?: Principal;
  /** Opens an S3 release location; without it, s3:// locations are rejected. */
  openS3?: OpenS3Location;
  logger?: Logger;
}

export type RefreshVocabularyResult =
  | {
      outcome: 'loaded';
      entry: LoadedReleaseEntry;
      report: ChangeReport;
      /** True when an earlier refresh of this release committed its rows and then stopped, and this one finished it. */
      recovered: boolean;
    }
  | { outcome: 'already-loaded'; entry: LoadedReleaseEntry };

/** Most line problems listed in the error that rejects an unreadable release. */
const PROBLEMS_SHOWN = 5;

/**
 * Loads a release of a code system into its versioned table: compares it with the table's current
 * periods, appends the changed period versions, rebuilds `_current`, registers both tables, writes
 * a change report and records the release. Loading a release already recorded (the same files,
 * wherever they are) changes nothing. A release with an unreadable line is rejected whole,
 * because a code missing from it would be retired.
 */
export async function refreshVocabulary(options: RefreshVocabularyOptions): Promise<RefreshVocabularyResult> {
  const { lake, source, dataset } = options;
  const logger = (options.logger ?? silentLogger).child({ system: source.system });
  if (dataset.table !== source.table) {
    throw new VocabRefreshError(`the ${source.system} releases load into ${source.table}, but the dataset given is ${dataset.table}`);
  }
  checkVocabDataset(dataset);
  const location = resolveReleaseLocation(source, options.release);
  if (location === undefined) {
    throw new VocabRefreshError(`no release location for ${source.system}`, {
      position: { file: source.file, keyPath: 'location' },
      hint: 'Pass the folder of the downloaded release with --release, or set location in the source definition.',
    });
  }
  const located = await locateRelease(source, location, options.openS3 ? { openS3: options.openS3 } : {});

  return withRefreshLock(lake.store, source.system, lake.clock, async () => {
    const log = new VocabReleaseLog(lake.store, source.system);
    const loaded = await log.list();
    const same = loaded.find((entry) => entry.releaseHash === located.releaseHash);
    if (same) {
      logger.info({ version: same.version, sequence: same.sequence }, 'release already loaded');
      return { outcome: 'already-loaded', entry: same };
    }

    const records = await readRecords(source, located);
    const identity = await identifyRelease(source, located, options);
    checkReleaseOrder(source, loaded, identity, located.releaseHash);
    const previous = loaded.at(-1);
    const release: VocabRelease = { ...identity, sequence: (previous?.sequence ?? 0) + 1 };
    const job = new RefreshJob(options, logger);
    const { report, recovered } = await job.commitChanges(located, records, release, previous);

    await job.refreshCurrent();
    const entry: LoadedReleaseEntry = {
      system: source.system,
      table: source.table,
      ...release,
      releaseHash: located.releaseHash,
      files: located.files.map(({ name, sizeBytes, sha256 }) => ({ name, sizeBytes, sha256 })),
      loadedAt: lake.clock.now().toISOString(),
      principal: job.principal.name,
      counts: report.counts,
      rowsAppended: report.rowsAppended,
      reportKey: reportKeyOf(source.system, release.sequence, release.version),
    };
    await log.record(entry);
    await lake.audit.append({
      principal: job.principal.name,
      action: 'vocab.refresh',
      resources: [source.table],
      outcome: 'success',
      details: { version: release.version, effective: release.effective, sequence: release.sequence, ...report.counts },
    });
    logger.info({ version: release.version, sequence: release.sequence, rows: report.rowsAppended, ...report.counts }, 'release loaded');
    return { outcome: 'loaded', entry, report, recovered };
  });
}

/** The table work of one refresh, under the system's lock. */
class RefreshJob {
  readonly principal: Principal;

  constructor(
    private readonly options: RefreshVocabularyOptions,
    private readonly logger: Logger,
  ) {
    this.principal = options.principal ?? RUNNER;
  }

  /**
   * Compares the release with the table and appends the changes, unless an earlier refresh of
   * the same release committed them already: its commit names the release among its inputs.
   */
  async commitChanges(
    located: LocatedRelease,
    records: readonly CodeRecord[],
    release: VocabRelease,
    previous: LoadedReleaseEntry | undefined,
  ): Promise<{ report: ChangeReport; recovered: boolean }> {
    const { lake, source, dataset } = this.options;
    const inputId = `vocab-release:${located.releaseHash}`;
    const reportKey = reportKeyOf(source.system, release.sequence, release.version);
    const history = await lake.tables.snapshot(dataset.table);
    if (history?.inputs.includes(inputId)) {
      const report = await readChangeReport(lake.store, reportKey);
      if (report === undefined) {
        throw new VocabRefreshError(`${dataset.table} has the rows of this release, but its change report ${reportKey} is missing`, {
          hint: 'The report is written before the rows, so the lake was changed by hand; restore the report from a backup.',
        });
      }
      this.logger.warn({ version: release.version, sequence: release.sequence }, 'finishing a refresh that stopped after its commit');
      return { report, recovered: true };
    }

    // A refresh that stopped before rebuilding `_current` left it behind its history table.
    await this.refreshCurrent();
    const changes = compareRelease(await readCurrentPeriods(lake, dataset), records, release);
    const rows = changes.periods.map((period) => rowOfPeriod(period, release));
    const report: ChangeReport = {
      system: source.system,
      table: source.table,
      release: { ...release, releaseHash: located.releaseHash },
      previous: previous ? { version: previous.version, effective: previous.effective, sequence: previous.sequence } : null,
      baseline: changes.baseline,
      counts: changes.counts,
      examples: changes.examples,
      duplicateRecords: changes.duplicateRecords,
      rowsAppended: rows.length,
      comparedAt: lake.clock.now().toISOString(),
    };
    // Written before the rows, so that a refresh finishing this one after a crash finds it.
    await writeChangeReport(lake.store, reportKey, report);
    const result = await lake.tables.append(dataset, rows, { principal: this.principal.name, inputs: [inputId] });
    await this.recordCommit(dataset, result);
    return { report, recovered: false };
  }

  /** Rebuilds `<table>_current` when its history moved on, and registers both tables. */
  async refreshCurrent(): Promise<void> {
    const { lake, dataset } = this.options;
    const history = await lake.tables.snapshot(dataset.table);
    if (history === undefined) return;
    await registerTable(lake.catalog, dataset, history, { audit: lake.audit, principal: this.principal });

    const current = currentDatasetOf(dataset);
    const result = await lake.tables.refreshCurrent(dataset, { principal: this.principal.name, inputs: [] });
    if (result) await this.recordCommit(current, result);
    const snapshot = result?.snapshot ?? (await lake.tables.snapshot(current.table));
    if (snapshot) await registerTable(lake.catalog, current, snapshot, { audit: lake.audit, principal: this.principal });
  }

  private async recordCommit(dataset: DatasetDefinition, result: CommitResult): Promise<void> {
    if (!result.snapshot) return;
    await this.options.lake.audit.append({
      principal: this.principal.name,
      action: 'table.commit',
      resources: [dataset.table],
      outcome: 'success',
      details: { version: result.snapshot.version, rowsAdded: result.rowsAdded, files: result.snapshot.summary.filesAdded },
    });
    this.logger.info({ table: dataset.table, version: result.snapshot.version, rows: result.rowsAdded }, 'table committed');
  }
}

/** Reads every record of the release, and rejects it whole when any line cannot be read. */
async function readRecords(source: VocabSource, located: LocatedRelease): Promise<CodeRecord[]> {
  const records: CodeRecord[] = [];
  const problems: VocabProblem[] = [];
  try {
    for await (const item of readReleaseRecords(source.format, located.files)) {
      if (item.kind === 'problem') problems.push(item);
      else records.push(item.record);
    }
  } catch (error) {
    if (!(error instanceof VocabError)) throw error;
    throw new VocabRefreshError(`the ${source.system} release cannot be read: ${error.message}`, {
      cause: error,
      ...(error.position ? { position: error.position } : {}),
      ...(error.hint ? { hint: error.hint } : {}),
    });
  }
  if (problems.length > 0) {
    const listed = problems
      .slice(0, PROBLEMS_SHOWN)
      .map((problem) => `${problem.file}:${problem.line}${problem.field ? ` ${problem.field}` : ''}: ${problem.reason}`);
    throw new VocabRefreshError(
      `the ${source.system} release has ${problems.length} line(s) that cannot be read, so nothing was loaded: ${listed.join('; ')}${problems.length > PROBLEMS_SHOWN ? '; ...' : ''}`,
      { hint: 'Download the release again; a release loaded without some of its codes would retire them.' },
    );
  }
  return records;
}

/**
 * Rejects a release older than the newest loaded one, because its changes would be compared
 * against later periods, and a second release under a version already loaded.
 */
function checkReleaseOrder(
  source: VocabSource,
  loaded: readonly LoadedReleaseEntry[],
  identity: ReleaseIdentity,
  releaseHash: string,
): void {
  const sameVersion = loaded.find((entry) => entry.version === identity.version && entry.releaseHash !== releaseHash);
  if (sameVersion) {
    throw new VocabRefreshError(
      `version ${identity.version} of ${source.system} is already loaded (sequence ${sameVersion.sequence}) from different files`,
      { hint: 'A corrected or local release needs its own version: pass --version.' },
    );
  }
  const newest = loaded.at(-1);
  if (newest && identity.effective < newest.effective) {
    throw new VocabRefreshError(
      `the ${source.system} release ${identity.version} takes effect on ${identity.effective}, before the newest loaded release ${newest.version} (${newest.effective})`,
      { hint: 'Releases load oldest first; an older release cannot be compared against the codes of a newer one.' },
    );
  }
}
