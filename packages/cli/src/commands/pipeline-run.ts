import { dirname, join } from 'node:path';
import { RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, runPipeline, type RunSummary } from '@carelake/pipeline';
import { createTerminalProgress, formatBytes } from '@carelake/sftp';
import { withLake } from '../context';

/** Run a pipeline file against the local lake; datasets come from `datasets/` beside it. */
export async function runPipelineFile(config: LoadedConfig, file: string, logger: Logger): Promise<RunSummary> {
  const pipeline = loadPipelineFile(file);
  const datasets = loadDatasets(join(dirname(pipeline.file), 'datasets'));
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
  const sftp = summary.sftp
    ? [
        `  sftp ${summary.sftp.host}:${summary.sftp.port}: ${summary.sftp.downloaded} downloaded (${formatBytes(summary.sftp.bytes)}), ` +
          `${summary.sftp.knownContent} with known content, ${summary.sftp.skipped} already fetched, ${summary.sftp.unstable} still being written, ` +
          `${summary.sftp.rejected} unsafe name(s), ${summary.sftp.failed} failed, ${summary.sftp.postActionFailures} post-action failure(s)`,
      ]
    : [];
  return [
    `pipeline ${summary.pipeline}: ${summary.filesSeen} file(s) seen, ${summary.filesIngested} ingested, ${summary.filesAlreadyIngested} already ingested`,
    ...sftp,
    `  records in: ${summary.recordsIn}`,
    ...(summary.codes
      ? [`  codes checked: ${summary.codes.checked} (unknown: ${summary.codes.unknown}, retired: ${summary.codes.retired}, quarantined rows: ${summary.codes.quarantined})`]
      : []),
    `  rows out: ${summary.rowsOut} (duplicates skipped: ${summary.rowsSkippedAsDuplicate})`,
    ...(tables ? [tables] : []),
    `  quarantined: ${summary.quarantined}${summary.filesRejected > 0 ? ` (${summary.filesRejected} whole file(s) unreadable: see carelake quarantine list)` : ''}`,
    `  duration: ${summary.durationMs} ms`,
  ].join('\n');
}
