import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  RUNNER,
  sha256Hex,
  silentLogger,
  type DatasetDefinition,
  type Logger,
  type Principal,
  type Row,
} from '@carelake/core';
import type { CsvSchema } from '@carelake/csv';
import type { FetchProgress, SftpSourceOptions } from '@carelake/sftp';
import { createConformanceChecker, type ConformanceChecker, type FhirViewSet } from '@carelake/fhir';
import { ControlIdRegistry, type Hl7MappingSet } from '@carelake/hl7v2';
import { ObjectExistsError, type ObjectStore } from '@carelake/storage';
import { currentDatasetOf, validateRow, type CommitResult, type CommitContext } from '@carelake/tables';
import { checkCsvOutput } from './decode-csv';
import { decodeLandedFile, formatOfFile } from './decode';
import type { DecodedAttachment } from './decoded-file';
import { loadFhirViews, writesFhirViews } from './fhir-views';
import { loadHl7Mappings } from './hl7-mappings';
import { requireDataset } from './datasets';
import { IngestLedger, type LedgerEntry } from './ledger';
import { landFile, type LandedFile } from './landing';
import type { Lake } from './lake';
import { fhirConformanceOf, type LoadedPipeline } from './pipeline-file';
import { quarantine } from './quarantine';
import { registerTable } from './register';
import { PipelineError } from './errors';
import { applyCodeChecks, prepareCodeChecks, type CodeCheckSummary, type RunCodeChecks } from './run-code-checks';
import { fetchSftpFiles, type SftpFetchSummary } from './sftp-fetch';
import { listSourceFiles } from './source-files';
import { checkSqlTransforms, loadSqlTransforms, type SqlTransform } from './sql-transforms';
import { runSqlTransforms, sourceTableChange, type SourceTableChange } from './transform-batch';

export interface RunPipelineOptions {
  lake: Lake;
  pipeline: LoadedPipeline;
  datasets: Map<string, DatasetDefinition>;
  principal?: Principal;
  logger?: Logger;
  /** Progress of the SFTP downloads of a pipeline with an sftp source, such as for a terminal progress bar. */
  onSftpProgress?: (progress: FetchProgress) => void;
  /** Connection settings of the SFTP source to replace, for tests: sleep, randomness, timeouts. */
  sftpOverrides?: Partial<SftpSourceOptions>;
  /** Called at each `RunnerFaultPoint`, so that a test can stop the run there as a crash would. */
  onFaultPoint?: RunnerFaultHook;
}

/**
 * Points of a run where a crash must leave nothing that a restart repeats or loses.
 * `after-landing`: a file's bytes are in the landing zone and not decoded yet.
 * `before-ledger`: a batch's table commits are done and its files are not in the ingest ledger yet.
 */
export type RunnerFaultPoint = 'after-landing' | 'before-ledger';

export type RunnerFaultHook = (point: RunnerFaultPoint, detail: { landingKeys: readonly string[] }) => void | Promise<void>;

export interface RunSummary {
  pipeline: string;
  filesSeen: number;
  /** Files decoded in this run. */
  filesIngested: number;
  /** Files whose content an earlier run already ingested. */
  filesAlreadyIngested: number;
  recordsIn: number;
  rowsOut: number;
  rowsByTable: Record<string, number>;
  rowsSkippedAsDuplicate: number;
  quarantined: number;
  /** Files of which no record could be read, such as a CSV extract whose header does not match: the whole file is in quarantine. */
  filesRejected: number;
  /** Parser, mapping and conformance warnings: values mapped to null, reused control ids, repaired framing, FHIR conformance issues. */
  warnings: number;
  durationMs: number;
  /** The downloads of a pipeline with an sftp source. */
  sftp?: SftpFetchSummary;
  /** Code checks against the loaded vocabulary releases, when an output binds one. */
  codes?: CodeCheckSummary;
}

/** State that every file of one run shares: compiled mappings and views, and the control ids seen so far. */
interface RunState {
  hl7Mappings: Hl7MappingSet | undefined;
  fhirViews: FhirViewSet | undefined;
  /** The CSV schema and output table of a pipeline with `decode.schema`. */
  csv: { schema: CsvSchema; dataset: DatasetDefinition } | undefined;
  /** Created for the first FHIR file, unless `decode.conformance` is `off`. */
  conformanceChecker: ConformanceChecker | undefined;
  controlIds: ControlIdRegistry;
  logger: Logger;
  /** `ingested_at` of the file decoded last; each file's is later, so that ties follow arrival. */
  lastIngestedAt: number;
}

interface PendingFile {
  landed: LandedFile;
  /** Every name the content was listed under in this run. */
  sourceNames: string[];
  records: number;
  quarantined: number;
  rowsByTable: Record<string, number>;
}

/**
 * Run a pipeline once. Each new source file is landed, decoded and mapped, and
 * what fails goes to quarantine. Rows are committed to their tables in
 * batches and the tables registered; `_current` companions are rebuilt once at the end. A file
 * enters the ingest ledger only after its rows are committed, and files already
 * in the ledger are skipped.
 */
export async function runPipeline(options: RunPipelineOptions): Promise<RunSummary> {
  const { lake, pipeline } = options;
  const principal = options.principal ?? RUNNER;
  const logger = (options.logger ?? silentLogger).child({ pipeline: pipeline.name });
  const started = performance.now();
  if (pipeline.source.type === 'kinesis') {
    throw new PipelineError(`pipeline ${pipeline.name} reads the kinesis stream ${pipeline.source.stream}, not files`, {
      position: { file: pipeline.file, keyPath: 'source.type' },
      hint: 'Run it with carelake stream run.',
    });
  }
  // Mapping, view and transform files are compiled before any file lands, so a broken one stops the run at once.
  const { tables, outputs, transforms, fhirViews } = await preparePipelineTables(pipeline, options.datasets, lake);
  const codeChecks = await prepareCodeChecks(lake, pipeline, outputs, logger);
  const ledger = new IngestLedger(lake.store, pipeline.name);

  const summary: RunSummary = {
    pipeline: pipeline.name,
    filesSeen: 0,
    filesIngested: 0,
    filesAlreadyIngested: 0,
    recordsIn: 0,
    rowsOut: 0,
    rowsByTable: {},
    rowsSkippedAsDuplicate: 0,
    quarantined: 0,
    filesRejected: 0,
    warnings: 0,
    durationMs: 0,
  };
  const state: RunState = {
    hl7Mappings: ['fhir', 'csv'].includes(pipeline.decode.format) ? undefined : loadHl7Mappings(pipeline, options.datasets),
    csv: csvTargetOf(pipeline, outputs),
    fhirViews,
    conformanceChecker: undefined,
    // NOTE: control ids are compared within one run; a reuse across runs is stored without a warning.
    controlIds: new ControlIdRegistry(),
    logger,
    lastIngestedAt: 0,
  };
  const batch = new Map<string, Row[]>();
  let batchRows = 0;
  let pending: PendingFile[] = [];
  // Content listed twice in one run (two files with the same bytes, or a message that two
  // listeners landed at once) is decoded once. The ledger has no entry for it before the commit.
  const pendingBySha256 = new Map<string, PendingFile>();

  const flush = async (): Promise<void> => {
    if (pending.length === 0) return;
    await commitBatch(options, principal, { outputs, transforms, codeChecks }, batch, pending, summary, logger);
    await options.onFaultPoint?.('before-ledger', { landingKeys: pending.map((file) => file.landed.landingKey) });
    for (const file of pending) await ledger.record(ledgerEntryOf(file));
    batch.clear();
    batchRows = 0;
    pending = [];
    pendingBySha256.clear();
  };

  if (pipeline.source.type === 'sftp') {
    summary.sftp = await fetchSftpFiles(lake, pipeline, {
      logger,
      ...(options.onSftpProgress ? { onProgress: options.onSftpProgress } : {}),
      ...(options.sftpOverrides ? { connectOverrides: options.sftpOverrides } : {}),
    });
  }

  for (const source of await listSourceFiles(pipeline, lake.store)) {
    summary.filesSeen++;
    const bytes = await source.read();
    const sha256 = sha256Hex(bytes);

    const known = await ledger.get(sha256);
    if (known) {
      summary.filesAlreadyIngested++;
      await ledger.addSourceName(known, source.name);
      logger.debug({ sha256, file: source.name }, 'file already ingested');
      continue;
    }
    const staged = pendingBySha256.get(sha256);
    if (staged) {
      summary.filesAlreadyIngested++;
      if (!staged.sourceNames.includes(source.name)) staged.sourceNames.push(source.name);
      logger.debug({ sha256, file: source.name }, 'file already staged in this run');
      continue;
    }

    const landed = await landFile(lake.store, pipeline.name, source.name, sha256, bytes);
    await lake.audit.append({
      principal: principal.name,
      action: 'file.land',
      resources: [landed.landingKey],
      outcome: 'success',
      details: { sha256, sizeBytes: landed.sizeBytes, written: landed.written },
    });
    await options.onFaultPoint?.('after-landing', { landingKeys: [landed.landingKey] });

    const file = await decodeAndStage(options, state, landed, bytes, outputs, batch, summary);
    batchRows += Object.values(file.rowsByTable).reduce((sum, count) => sum + count, 0);
    pending.push(file);
    pendingBySha256.set(sha256, file);
    summary.filesIngested++;
    logger.info({ sha256, records: file.records, quarantined: file.quarantined }, 'file decoded');

    if (batchRows >= pipeline.batchRows) await flush();
  }
  await flush();
  await refreshCompanions(options, principal, outputs, logger);

  if (codeChecks) {
    summary.codes = { ...codeChecks.summary };
    summary.quarantined += codeChecks.summary.quarantined;
  }
  summary.durationMs = Math.round(performance.now() - started);
  await lake.audit.append({
    principal: principal.name,
    action: 'pipeline.run',
    resources: tables,
    outcome: 'success',
    details: {
      filesSeen: summary.filesSeen,
      filesIngested: summary.filesIngested,
      recordsIn: summary.recordsIn,
      rowsOut: summary.rowsOut,
      quarantined: summary.quarantined,
      warnings: summary.warnings,
      durationMs: summary.durationMs,
      ...(summary.sftp ? { sftpDownloaded: summary.sftp.downloaded, sftpFailed: summary.sftp.failed } : {}),
    },
  });
  const { pipeline: _name, ...counts } = summary;
  logger.info(counts, 'pipeline run finished');
  return summary;
}

/** The tables a pipeline writes and the compiled views and transforms that feed some of them. */
export interface PipelineTables {
  /** The pipeline's outputs, then the view tables its transforms read that the outputs leave out. */
  tables: string[];
  /** The dataset of each of `tables`, in the same order. */
  outputs: DatasetDefinition[];
  transforms: SqlTransform[];
  fhirViews: FhirViewSet | undefined;
}

/**
 * Compile a pipeline's view and transform files and find the dataset of every table it writes.
 * @throws ConfigError or PipelineError for a broken view, transform or missing dataset.
 */
export async function preparePipelineTables(
  pipeline: LoadedPipeline,
  datasets: Map<string, DatasetDefinition>,
  lake: Pick<Lake, 'duckdb'>,
): Promise<PipelineTables> {
  const transforms = await loadSqlTransforms(pipeline, lake.duckdb);
  const tables = tablesWrittenBy(pipeline, transforms);
  const viewPipeline = { ...pipeline, outputs: tables };
  const fhirViews = writesFhirViews(viewPipeline) ? loadFhirViews(viewPipeline, datasets) : undefined;
  const outputs = tables.map((table) => fhirViews?.find(table)?.dataset ?? requireDataset(datasets, table));
  await checkSqlTransforms(transforms, (table) => outputs.find((dataset) => dataset.table === table), lake.duckdb);
  return { tables, outputs, transforms, fhirViews };
}

/** Decode one landed file, quarantine its bad parts and add its valid rows to the batch. */
async function decodeAndStage(
  options: RunPipelineOptions,
  state: RunState,
  landed: LandedFile,
  bytes: Uint8Array,
  outputs: DatasetDefinition[],
  batch: Map<string, Row[]>,
  summary: RunSummary,
): Promise<PendingFile> {
  const { lake, pipeline } = options;
  const format = pipeline.decode.format === 'auto' ? formatOfFile(landed.sourceName) : pipeline.decode.format;
  if (format === 'raw') throw new PipelineError(`decode.format raw is for kinesis sources, not ${landed.sourceName}`);
  // Versions with the same event time are ordered by ingested_at, and a clock can return the same
  // millisecond for several files, so each file gets a time after the previous one's.
  state.lastIngestedAt = Math.max(lake.clock.now().getTime(), state.lastIngestedAt + 1);
  const conformance = fhirConformanceOf(pipeline);
  if (format === 'fhir' && conformance !== 'off') state.conformanceChecker ??= createConformanceChecker();
  const decoded = await decodeLandedFile(format, bytes, {
    landingKey: landed.landingKey,
    ingestedAt: new Date(state.lastIngestedAt),
    mode: pipeline.decode.mode,
    ...(state.hl7Mappings ? { hl7Mappings: state.hl7Mappings } : {}),
    controlIds: state.controlIds,
    conformance,
    ...(state.conformanceChecker ? { conformanceChecker: state.conformanceChecker } : {}),
    ...(state.fhirViews ? { fhirViews: state.fhirViews } : {}),
    ...(state.csv ? { csv: state.csv } : {}),
  });
  await storeAttachments(lake.store, decoded.attachments);
  for (const warning of decoded.mappingWarnings) {
    state.logger.debug({ code: warning.code, position: warning.position }, 'decode warning');
  }

  const file: PendingFile = {
    landed,
    sourceNames: [landed.sourceName],
    records: decoded.records,
    quarantined: 0,
    rowsByTable: {},
  };
  for (const problem of decoded.problems) {
    await quarantine(lake.store, pipeline.name, {
      landingKey: landed.landingKey,
      fileSha256: landed.sha256,
      position: { ...problem.position, file: landed.landingKey },
      stage: 'decode',
      reason: problem.reason,
      ...(problem.content !== undefined ? { content: problem.content } : {}),
    });
    file.quarantined++;
  }
  // One reason in quarantine stands for a whole lost extract here, so it must not pass unnoticed.
  if (decoded.records === 0 && decoded.problems.length > 0) {
    summary.filesRejected++;
    state.logger.warn({ sha256: landed.sha256, landingKey: landed.landingKey, problems: decoded.problems.length }, 'no record of the file could be read: the whole file is in quarantine');
  }

  for (const dataset of outputs) {
    const rows = decoded.rowsByTable.get(dataset.table) ?? [];
    const staged = batch.get(dataset.table) ?? [];
    for (const [index, row] of rows.entries()) {
      const problem = validateRow(dataset, row, index);
      if (problem) {
        await quarantine(lake.store, pipeline.name, {
          landingKey: landed.landingKey,
          fileSha256: landed.sha256,
          position: { file: landed.landingKey, record: index, ...(problem.position?.field ? { field: problem.position.field } : {}) },
          stage: 'validate',
          reason: `${dataset.table}: ${problem.message}`,
        });
        file.quarantined++;
        continue;
      }
      staged.push(row);
      file.rowsByTable[dataset.table] = (file.rowsByTable[dataset.table] ?? 0) + 1;
    }
    batch.set(dataset.table, staged);
  }

  summary.recordsIn += decoded.records;
  summary.quarantined += file.quarantined;
  summary.warnings += decoded.warnings;
  return file;
}

/**
 * Store the content that rows refer to instead of inlining it. Keys are content hashes, so an
 * attachment already stored (by an earlier run or another file) is left as it is.
 */
export async function storeAttachments(store: ObjectStore, attachments: readonly DecodedAttachment[]): Promise<void> {
  for (const attachment of attachments) {
    try {
      await store.put(attachment.key, attachment.bytes, {
        ifNoneMatch: true,
        tags: { 'media-type': attachment.mediaType },
      });
    } catch (error) {
      if (!(error instanceof ObjectExistsError)) throw error;
    }
  }
}

/** The tables of a run and the transforms that write some of them. */
interface RunTables {
  /** The run's vocabulary checks, when an output binds a loaded vocabulary. */
  codeChecks: RunCodeChecks | undefined;
  /** The datasets of the pipeline's outputs, then of the view tables its transforms read. */
  outputs: DatasetDefinition[];
  transforms: readonly SqlTransform[];
}

/**
 * Append each table's rows, run the SQL transforms over the view rows just committed and append
 * their rows, rebuild `_current` companions, and register what changed.
 */
async function commitBatch(
  options: RunPipelineOptions,
  principal: Principal,
  { outputs, transforms, codeChecks }: RunTables,
  batch: Map<string, Row[]>,
  pending: PendingFile[],
  summary: RunSummary,
  logger: Logger,
): Promise<void> {
  const { lake, pipeline } = options;
  const inputs = pending.map((file) => file.landed.sha256);
  const context = { principal: principal.name, inputs };

  const sourceTables = new Set(transforms.flatMap((transform) => transform.sources));
  const changes = new Map<string, SourceTableChange>();
  for (const dataset of outputs) {
    const before = sourceTables.has(dataset.table) ? await lake.tables.snapshot(dataset.table) : undefined;
    const decodedRows = batch.get(dataset.table) ?? [];
    const rows = codeChecks ? await applyCodeChecks(lake, pipeline.name, codeChecks, dataset, decodedRows) : decodedRows;
    const result = await appendAndRegister(options, principal, dataset, rows, context, summary, logger);
    if (sourceTables.has(dataset.table)) changes.set(dataset.table, sourceTableChange(before, result));
  }

  const byTable = new Map(outputs.map((dataset) => [dataset.table, dataset]));
  const datasetOf = (table: string): DatasetDefinition => requireDataset(byTable, table);
  const transformed = await runSqlTransforms({ tables: lake.tables, limits: lake.duckdb, transforms, changes, datasetOf });
  for (const result of transformed) {
    for (const item of result.rejected) await quarantine(lake.store, pipeline.name, item);
    summary.quarantined += result.rejected.length;
    logger.info(
      { transform: basename(result.transform.file), table: result.dataset.table, scope: result.scope, rows: result.rows.length, quarantined: result.rejected.length },
      'transform ran',
    );
    const rows = codeChecks ? await applyCodeChecks(lake, pipeline.name, codeChecks, result.dataset, result.rows) : result.rows;
    await appendAndRegister(options, principal, result.dataset, rows, context, summary, logger);
  }
}

/**
 * Rebuild the `_current` companions a run can change, once, after its last commit. A rebuild
 * reads the table's whole history, so rebuilding after every batch would make a long run
 * quadratic. Once at the end, it also reads every merge the run committed. It runs even when no
 * file was new, so that a run killed between a commit and this step is caught up by the next.
 */
async function refreshCompanions(
  options: RunPipelineOptions,
  principal: Principal,
  outputs: readonly DatasetDefinition[],
  logger: Logger,
): Promise<void> {
  for (const dataset of companionSources(outputs, options.datasets)) {
    await refreshCurrentTable(options, principal, dataset, logger);
  }
}

/**
 * Returns the history tables whose `_current` companions a write to `outputs` can change: the
 * history outputs, then every other history dataset that follows the merges of an output, such as
 * conditions following the patients that an HL7 v2 pipeline merges. Without the second kind, a
 * companion written by one pipeline would go stale when another pipeline records a merge.
 */
export function companionSources(outputs: readonly DatasetDefinition[], datasets: ReadonlyMap<string, DatasetDefinition>): DatasetDefinition[] {
  const written = new Set(outputs.map((dataset) => dataset.table));
  const followers = [...datasets.values()].filter(
    (dataset) => dataset.kind === 'history' && !written.has(dataset.table) && dataset.followMerges !== undefined && written.has(dataset.followMerges.table),
  );
  return [...outputs.filter((dataset) => dataset.kind === 'history'), ...followers];
}

/** Row counts of the commits of a run, which `appendAndRegister` adds to. */
export type CommitCounts = Pick<RunSummary, 'rowsOut' | 'rowsSkippedAsDuplicate' | 'rowsByTable'>;

/** Append rows to one table, count them, audit the commit and register the table. */
export async function appendAndRegister(
  options: Pick<RunPipelineOptions, 'lake'>,
  principal: Principal,
  dataset: DatasetDefinition,
  rows: readonly Row[],
  context: CommitContext,
  summary: CommitCounts,
  logger: Logger,
): Promise<CommitResult> {
  const { lake } = options;
  const result = await lake.tables.append(dataset, rows, context);
  summary.rowsOut += result.rowsAdded;
  summary.rowsSkippedAsDuplicate += result.rowsSkippedAsDuplicate;
  summary.rowsByTable[dataset.table] = (summary.rowsByTable[dataset.table] ?? 0) + result.rowsAdded;

  if (result.snapshot) {
    await lake.audit.append({
      principal: principal.name,
      action: 'table.commit',
      resources: [dataset.table],
      outcome: 'success',
      details: { version: result.snapshot.version, rowsAdded: result.rowsAdded, files: result.snapshot.summary.filesAdded },
    });
    logger.info({ table: dataset.table, version: result.snapshot.version, rows: result.rowsAdded }, 'table committed');
  }

  const snapshot = result.snapshot ?? (await lake.tables.snapshot(dataset.table));
  if (snapshot) await registerTable(lake.catalog, dataset, snapshot, { audit: lake.audit, principal });
  return result;
}

/** Rebuild the `_current` companion of a history table, audit the commit and register it. */
export async function refreshCurrentTable(
  options: Pick<RunPipelineOptions, 'lake' | 'datasets'>,
  principal: Principal,
  history: DatasetDefinition,
  logger: Logger,
): Promise<void> {
  const { lake } = options;
  const current = currentDatasetOf(history);
  const mergeTable = history.followMerges?.table;
  const mergeSource = mergeTable === undefined ? undefined : requireDataset(options.datasets, mergeTable);
  const result = await lake.tables.refreshCurrent(
    history,
    { principal: principal.name, inputs: [] },
    mergeSource ? { mergeSource } : {},
  );
  if (result?.snapshot) {
    await lake.audit.append({
      principal: principal.name,
      action: 'table.commit',
      resources: [current.table],
      outcome: 'success',
      details: { version: result.snapshot.version, rows: result.rowsAdded, sourceVersion: result.snapshot.sourceVersion ?? -1 },
    });
    logger.info({ table: current.table, version: result.snapshot.version }, 'current table rebuilt');
  }
  const snapshot = result?.snapshot ?? (await lake.tables.snapshot(current.table));
  if (snapshot) await registerTable(lake.catalog, current, snapshot, { audit: lake.audit, principal });
}

function ledgerEntryOf(file: PendingFile): LedgerEntry {
  return {
    sha256: file.landed.sha256,
    sizeBytes: file.landed.sizeBytes,
    landingKey: file.landed.landingKey,
    sourceNames: [...file.sourceNames].sort(),
    records: file.records,
    quarantined: file.quarantined,
    rowsByTable: file.rowsByTable,
  };
}

/** Returns the CSV schema and its output table, checked against each other, for a pipeline with `decode.schema`. */
function csvTargetOf(pipeline: LoadedPipeline, outputs: readonly DatasetDefinition[]): { schema: CsvSchema; dataset: DatasetDefinition } | undefined {
  const schema = pipeline.decode.schema;
  const [dataset] = outputs;
  if (!schema || !dataset) return undefined;
  checkCsvOutput(schema, dataset);
  return { schema, dataset };
}

/**
 * List the tables a run writes: the pipeline's outputs, then the view tables its transforms read
 * that the outputs leave out, because a transform reads its views from the lake.
 */
function tablesWrittenBy(pipeline: LoadedPipeline, transforms: readonly SqlTransform[]): string[] {
  const sources = transforms.flatMap((transform) => transform.sources);
  return [...new Set([...pipeline.outputs, ...sources])];
}
