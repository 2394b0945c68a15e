import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, runPipeline, type RunSummary } from '@carelake/pipeline';
import { createTerminalProgress, formatBytes } from '@carelake/sftp';
import { withLake } from '../context';
import { CliUsageError } from '../errors';

/** Run a pipeline file against the local lake; datasets come from `datasets/` beside it unless `options.datasets` names a folder. */
export async function runPipelineFile(config: LoadedConfig, file: string, logger: Logger, options: { datasets?: string } = {}): Promise<RunSummary> {
  const pipeline = loadPipelineFile(file);
  if (options.datasets !== undefined && !existsSync(options.datasets)) {
    throw new CliUsageError(`--datasets ${options.datasets}: folder not found`, { hint: 'Pass the folder that contains the *.dataset.yaml files.' });
  }
  const datasets = loadDatasets(options.datasets === undefined ? join(dirname(pipeline.file), 'datasets') : resolve(options.datasets));
  // A progress line on a terminal for long SFTP transfers; silent when stderr is not a terminal.
  const progress = createTerminalProgress();
  try {
    return await withLake(config, (lake) =>
      runPipeline({ lake, pipeline, datasets, principal: RUNNER, logger, onSftpProgress: (update) => progress.update(update) }),
    );
  } finally {
    progress.finish();
  }
}

export function formatRunSummary(summary: RunSummary): string {
  const tables = Object.entries(summary.rowsByTable)
    .map(([table, rows]) => `    ${table}: ${rows}`)
    .join('\n');
  const sftp = summary.sftp ? [`  sftp ${summary.sftp.host}:${summary.sftp.port}: ${describeSftpCounts(summary.sftp)}`] : [];
  const quarantineHint = summary.quarantined > 0 ? `; list them with carelake quarantine list --pipeline ${summary.pipeline}` : '';
  const unreadable = summary.filesRejected > 0 ? ` (${summary.filesRejected} whole file(s) unreadable)` : '';
  return [
    `pipeline ${summary.pipeline}: ${summary.filesSeen} file(s) seen, ${summary.filesIngested} ingested, ${summary.filesAlreadyIngested} already ingested`,
    ...sftp,
    `  records in: ${summary.recordsIn}`,
    ...(summary.codes
      ? [`  codes checked: ${summary.codes.checked} (unknown: ${summary.codes.unknown}, retired: ${summary.codes.retired}, quarantined rows: ${summary.codes.quarantined})`]
      : []),
    `  rows out: ${summary.rowsOut} (duplicates skipped: ${summary.rowsSkippedAsDuplicate})`,
    ...(tables ? [tables] : []),
    `  quarantined: ${summary.quarantined}${unreadable}${quarantineHint}`,
    `  duration: ${summary.durationMs} ms`,
  ].join('\n');
}

/** Describes an SFTP fetch: what was downloaded, then only the other counts that are not zero. */
function describeSftpCounts(sftp: NonNullable<RunSummary['sftp']>): string {
  const others = [
    [sftp.knownContent, 'with known content'],
    [sftp.skipped, 'already fetched'],
    [sftp.unstable, 'still being written'],
    [sftp.rejected, 'unsafe name(s)'],
    [sftp.failed, 'failed'],
    [sftp.postActionFailures, 'post-action failure(s)'],
  ] as const;
  const counts = others.filter(([count]) => count > 0).map(([count, label]) => `${count} ${label}`);
  return [`${sftp.downloaded} downloaded (${formatBytes(sftp.bytes)})`, ...counts].join(', ');
}
