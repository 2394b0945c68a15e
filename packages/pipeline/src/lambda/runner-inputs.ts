import { dirname, join } from 'node:path';
import { pipelineAuditMirrorPrefix } from '@carelake/audit';
import { loadConfig, type DatasetDefinition, type LoadedConfig, type Logger } from '@carelake/core';
import { openLake, type OpenAwsLakeOptions } from '../aws-lake';
import { loadDatasets } from '../datasets';
import type { Lake } from '../lake';
import { loadPipelineFile, type LoadedPipeline } from '../pipeline-file';
import type { RunnerEnvironment } from './runner-environment';

/** The lake, pipeline and datasets of one runner invocation. Close the lake when done. */
export interface RunnerInputs {
  config: LoadedConfig;
  lake: Lake;
  pipeline: LoadedPipeline;
  datasets: Map<string, DatasetDefinition>;
}

/** Opens the lake that a deployed runner writes to. */
export type RunnerLakeOpener = (config: LoadedConfig, options: OpenAwsLakeOptions) => Promise<Lake>;

/**
 * Load the bundled carelake.yaml and pipeline file, point the configuration at the deployed
 * buckets and key, and open the lake on the aws backend. Datasets are read from `datasets/`
 * beside the pipeline file. The audit chain is mirrored under the pipeline's prefix in the audit
 * bucket (`pipelineAuditMirrorPrefix`), the only prefix there that the runner's role may list and write.
 */
export async function openRunnerInputs(
  environment: RunnerEnvironment,
  open: RunnerLakeOpener = openLake,
  logger?: Logger,
): Promise<RunnerInputs> {
  const pipeline = loadPipelineFile(environment.pipelineFile);
  const datasets = loadDatasets(join(dirname(pipeline.file), 'datasets'));
  const loaded = loadConfig({ file: environment.configFile, env: {} });
  const config: LoadedConfig = {
    ...loaded,
    backend: 'aws',
    keys: { provider: 'kms', keyId: environment.lakeKeyArn },
    aws: {
      region: environment.region,
      bucket: environment.lakeBucket,
      prefix: environment.lakePrefix,
      forcePathStyle: false,
      auditBucket: environment.auditBucket,
      ...(loaded.aws?.auditRetentionDays !== undefined ? { auditRetentionDays: loaded.aws.auditRetentionDays } : {}),
    },
  };
  const auditMirrorPrefix = pipelineAuditMirrorPrefix(environment.lakePrefix, pipeline.name);
  const lake = await open(config, { auditMirrorPrefix, ...(logger ? { logger } : {}) });
  return { config, lake, pipeline, datasets };
}
