import type { LoadedConfig, Principal } from '@carelake/core';
import type { Lake } from '@carelake/pipeline';
import { AthenaQueryEngine } from '@carelake/query';
import { CliUsageError } from '../errors';
import { loadArrowWriter } from '../result-arrow-loader';
import type { TextFormat } from '../output-format';
import { checkQueryOutput, openQueryControls, runQuery, writeText, type RunQueryOptions } from './query';

/** Workgroup of `carelake query` on AWS when `aws.athena` is absent: the one the CDK app in infra/ creates. */
export const DEFAULT_ATHENA_WORKGROUP = 'carelake';

/** Glue database of unqualified table names when `aws.athena.database` is absent. */
export const DEFAULT_ATHENA_DATABASE = 'clinical';

/**
 * The principal that audit events of Athena queries name. Athena and Lake Formation act as the
 * caller's IAM identity, which CloudTrail records under the QueryExecutionId the event carries.
 */
export const IAM_CALLER: Principal = Object.freeze({ name: 'iam-caller', role: 'user', groups: [] });

/** Notice printed when `--as` is given on the aws backend, where it changes nothing. */
export const AS_IGNORED_ON_AWS =
  'note: --as has no effect on the aws backend: Athena and Lake Formation apply the grants of your IAM identity';

/**
 * Run one SQL statement on the backend of the lake: DuckDB under the principal's grants locally,
 * Athena on AWS, where Lake Formation applies the grants of the caller's IAM identity and
 * `options.principal` is not used. Resolves with the number of rows written.
 */
export async function runLakeQuery(config: LoadedConfig, lake: Lake, sql: string, options: RunQueryOptions): Promise<number> {
  return config.backend === 'aws' ? runAthenaQuery(config, lake, sql, options) : runQuery(lake, sql, options);
}

/**
 * Run one SQL statement in the Athena workgroup of `aws.athena` and write its result as it is
 * paged in, with the writers of the local backend. Ctrl-C and `--timeout` stop the query in
 * Athena too. One `query.run` audit event names the QueryExecutionId and the SQL's hash.
 */
export async function runAthenaQuery(config: LoadedConfig, lake: Lake, sql: string, options: RunQueryOptions): Promise<number> {
  if (options.format === 'parquet') {
    throw new CliUsageError('--format parquet is not available on the aws backend', {
      hint: 'Use --format arrow --out FILE, csv or jsonl; Athena also keeps the CSV result of every query in the workgroup result location.',
    });
  }
  const aws = config.aws;
  if (aws === undefined) throw new CliUsageError('carelake.yaml has no aws section', { hint: 'Add aws.region and aws.bucket to carelake.yaml.' });
  const out = await checkQueryOutput(options);

  const controls = openQueryControls(options, out);
  let engine: AthenaQueryEngine | undefined;
  try {
    // The engine builds its client from the region alone, because aws.endpoint names an S3 endpoint.
    engine = await AthenaQueryEngine.open({
      region: aws.region,
      workGroup: aws.athena?.workgroup ?? DEFAULT_ATHENA_WORKGROUP,
      database: aws.athena?.database ?? DEFAULT_ATHENA_DATABASE,
      ...(aws.athena?.outputLocation === undefined ? {} : { outputLocation: aws.athena.outputLocation }),
      audit: lake.audit,
      clock: lake.clock,
    });
    const result = await engine.query(sql, {
      principal: IAM_CALLER,
      signal: controls.signal,
      ...(options.limit !== undefined ? { limit: options.limit } : {}),
    });
    if (options.format === 'arrow') return await loadArrowWriter()(result, out as string);
    return await writeText(result, options.format as TextFormat, out, options.write);
  } finally {
    controls.dispose();
    await engine?.close();
  }
}
