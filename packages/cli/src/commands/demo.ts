import { join, resolve } from 'node:path';
import { resolvePrincipal, type LoadedConfig, type Logger } from '@carelake/core';
import { withLake } from '../context';
import { formatDeidRunBrief, runDeidCommand } from './deid';
import { formatRunSummary, runPipelineFile } from './pipeline-run';
import { runQuery } from './query';

/** The repository's pipelines folder, which contains the demo pipeline and its inputs. */
export const PIPELINES_DIR = resolve(__dirname, '..', '..', '..', '..', 'pipelines');

/** The demo's query: results per test code over the tables it built, from both sources. */
export const DEMO_SQL = `
SELECT o.source_format,
       o.facility,
       o.code,
       o.code_display,
       count(*) AS results,
       round(avg(o.value_number), 1) AS mean_value,
       any_value(o.unit) AS unit,
       count(DISTINCT p.patient_key) AS patients
FROM clinical.observations_current AS o
LEFT JOIN clinical.patients_current AS p ON p.patient_key = o.patient_key
GROUP BY ALL
ORDER BY o.source_format, o.facility, o.code`;

/**
 * Run the demo pipeline over the synthetic inputs into the local lake, build the
 * Safe Harbor deid tables from it, then query the clinical tables as the
 * configured admin and print the result.
 */
export async function runDemo(config: LoadedConfig, logger: Logger, write: (text: string) => void): Promise<void> {
  const principal = resolvePrincipal(config);
  const summary = await runPipelineFile(config, join(PIPELINES_DIR, 'demo.pipeline.yaml'), logger);

  write(`lake: ${config.lakeRoot}\n`);
  write(formatRunSummary(summary));
  write(`\n${formatDeidRunBrief(await runDeidCommand(config, join(PIPELINES_DIR, 'policies', 'research.deid.yaml'), principal))}\n`);
  write(`\nquery as ${principal.name}:${DEMO_SQL}\n`);
  await withLake(config, (lake) => runQuery(lake, DEMO_SQL, { principal, format: 'table', write }));
}
