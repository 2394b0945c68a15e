import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { systemClock, type LoadedConfig, type Logger } from '@carelake/core';
import { loadDatasets, requireDataset } from '@carelake/pipeline';
import {
  describeSchedule,
  loadVocabSource,
  loadVocabSources,
  refreshVocabulary,
  vocabularyStatus,
  type RefreshVocabularyResult,
  type VocabSource,
  type VocabSystemStatus,
} from '@carelake/pipeline';
import { withLake } from '../context';
import { CliUsageError } from '../errors';

type Write = (text: string) => void;

export interface VocabFolders {
  /** Folder of the `*.source.yaml` files; default `vocabularies/` beside carelake.yaml, else in the working directory. */
  sources?: string;
  /** Folder of the `*.dataset.yaml` files; default `pipelines/datasets/` in the same place. */
  datasets?: string;
}

export interface RefreshCommandOptions extends VocabFolders {
  /** A source definition to use instead of `<sources>/<system>.source.yaml`. */
  source?: string;
  release?: string;
  version?: string;
  effective?: string;
}

/** Loads one release of a system into its vocabulary table and prints the change report. */
export async function refreshVocabularyCommand(
  config: LoadedConfig,
  system: string,
  options: RefreshCommandOptions,
  logger: Logger,
  write: Write,
): Promise<void> {
  const source = sourceOf(config, system, options);
  const dataset = requireDataset(loadDatasets(datasetsFolderOf(config, options)), source.table);
  const result = await withLake(config, (lake) =>
    refreshVocabulary({
      lake,
      source,
      dataset,
      logger,
      ...(options.release !== undefined ? { release: options.release } : {}),
      ...(options.version !== undefined ? { version: options.version } : {}),
      ...(options.effective !== undefined ? { effective: options.effective } : {}),
    }),
  );
  for (const line of formatRefreshResult(result)) write(line);
}

/**
 * Prints, per source definition, the newest loaded release and whether it is overdue on `today`
 * (default: the current UTC date). Returns 1 when a release is overdue, so that a scheduled job
 * can alert on the exit code.
 */
export async function writeVocabularyStatus(
  config: LoadedConfig,
  options: Pick<VocabFolders, 'sources'> & { today?: string },
  write: Write,
): Promise<number> {
  const today = options.today ?? systemClock.now().toISOString().slice(0, 10);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) {
    throw new CliUsageError(`--today "${today}" is not a date written YYYY-MM-DD`);
  }
  const sources = loadVocabSources(sourcesFolderOf(config, options));
  const statuses = await withLake(config, (lake) => vocabularyStatus(lake.store, sources.values(), today));
  for (const line of formatStatusTable(statuses)) write(line);
  const overdue = statuses.filter((status) => status.state === 'overdue').length;
  write(`(${statuses.length} system(s), ${overdue} overdue on ${today})`);
  return overdue > 0 ? 1 : 0;
}

export function formatRefreshResult(result: RefreshVocabularyResult): string[] {
  const { entry } = result;
  if (result.outcome === 'already-loaded') {
    return [
      `${entry.table}: release ${entry.version} is already loaded (sequence ${entry.sequence}, loaded ${entry.loadedAt}); nothing changed`,
    ];
  }
  const { counts, examples } = result.report;
  const lines = [
    `${entry.table}: loaded release ${entry.version} (effective ${entry.effective}, sequence ${entry.sequence})${result.report.baseline ? ' as the first release' : ''}`,
    `  added ${counts.added}, retired ${counts.retired}, description changed ${counts.descriptionChanged}, status changed ${counts.statusChanged}, unchanged ${counts.unchanged}`,
  ];
  const labels = { added: 'added', retired: 'retired', descriptionChanged: 'description changed', statusChanged: 'status changed' } as const;
  // A baseline adds every code, so a list of some of them would tell nothing new.
  if (!result.report.baseline) {
    for (const [kind, label] of Object.entries(labels) as Array<[keyof typeof labels, string]>) {
      if (examples[kind].length > 0) {
        const more = counts[kind] > examples[kind].length ? ', ...' : '';
        lines.push(`  ${label}: ${examples[kind].join(', ')}${more}`);
      }
    }
  }
  lines.push(`  rows appended: ${entry.rowsAppended}`, `  report: ${entry.reportKey}`);
  if (result.recovered) lines.push('  (finished a refresh of this release that had stopped after its commit)');
  return lines;
}

function formatStatusTable(statuses: readonly VocabSystemStatus[]): string[] {
  const header = ['system', 'release', 'effective', 'loaded at', 'next expected', 'due by', 'state'];
  const rows = statuses.map((status) => [
    status.system,
    status.loaded?.version ?? '-',
    status.loaded?.effective ?? '-',
    status.loaded?.loadedAt.replace(/\.\d{3}Z$/, 'Z') ?? '-',
    status.nextExpected ?? '-',
    status.dueBy ?? '-',
    stateText(status),
  ]);
  const widths = header.map((title, index) => Math.max(title.length, ...rows.map((row) => (row[index] ?? '').length)));
  const render = (cells: string[]): string => cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join('  ').trimEnd();
  return [render(header), ...rows.map(render)];
}

function stateText(status: VocabSystemStatus): string {
  switch (status.state) {
    case 'overdue':
      return `OVERDUE (released ${describeSchedule(status.schedule)})`;
    case 'unscheduled':
      return `current (released ${describeSchedule(status.schedule)})`;
    case 'not-loaded':
      return 'not loaded';
    case 'current':
      return 'current';
  }
}

function sourceOf(config: LoadedConfig, system: string, options: RefreshCommandOptions): VocabSource {
  if (options.source !== undefined) {
    const source = loadVocabSource(options.source);
    if (source.system !== system) {
      throw new CliUsageError(`${options.source} defines system ${source.system}, not ${system}`, {
        hint: `Run \`carelake vocab refresh ${source.system} --source ${options.source}\`.`,
      });
    }
    return source;
  }
  const folder = sourcesFolderOf(config, options);
  const file = join(folder, `${system}.source.yaml`);
  if (!existsSync(file)) {
    const known = existsSync(folder) ? [...loadVocabSources(folder).keys()].join(', ') : '';
    throw new CliUsageError(`no source definition for ${system}: ${file} does not exist`, {
      hint: known ? `Systems defined in ${folder}: ${known}.` : 'Pass --source FILE, or --sources with the folder of the source definitions.',
    });
  }
  return loadVocabSource(file);
}

/** Returns the folder of carelake.yaml, else the working directory, where the repository layout starts. */
function projectFolderOf(config: LoadedConfig): string {
  return config.sourceFile === undefined ? process.cwd() : dirname(config.sourceFile);
}

function sourcesFolderOf(config: LoadedConfig, options: Pick<VocabFolders, 'sources'>): string {
  return options.sources ?? join(projectFolderOf(config), 'vocabularies');
}

function datasetsFolderOf(config: LoadedConfig, options: Pick<VocabFolders, 'datasets'>): string {
  return options.datasets ?? join(projectFolderOf(config), 'pipelines', 'datasets');
}
