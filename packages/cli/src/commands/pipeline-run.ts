import { dirname, join } from 'node:path';
import { RUNNER, type LoadedConfig, type Logger } from '@carelake/core';
import { loadDatasets, loadPipelineFile, runPipeline, type RunSummary } from '@carelake/pipeline';
import { withLake } from '../context';

/** Run a pipeline file against the local lake; datasets come from `datasets/` beside it. */
export async function runPipelineFile(config: LoadedConfig, file: string, logger: Logger): Promise<RunSummary> {
  const pipeline = loadPipelineFile(file);
  const datasets = loadDatasets(join(dirname(pipeline.file), 'datasets'));
  return withLake(config, (lake) => runPipeline({ lake, pipeline, datasets, principal: RUNNER, logger }));
}

export function formatRunSummary(summary: RunSummary): string {
  const tables = Object.entries(summary.rowsByTable)
    .map(([table, rows]) => `    ${table}: ${rows}`)
    .join('\n');
  return [
    `pipeline ${summary.pipeline}: ${summary.filesSeen} file(s) seen, ${summary.filesIngested} ingested, ${summary.filesAlreadyIngested} already ingested`,
    `  records in: ${summary.recordsIn}`,
    `  rows out: ${summary.rowsOut} (duplicates skipped: ${summary.rowsSkippedAsDuplicate})`,
    ...(tables ? [tables] : []),
    `  quarantined: ${summary.quarantined}`,
    `  duration: ${summary.durationMs} ms`,
  ].join('\n');
}
