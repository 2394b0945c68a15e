import { App, Validations, type Environment } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { ConfigError } from '@carelake/core';
import type { InfraInputs } from './app-inputs';
import type { InfraContext } from './context-values';
import { acknowledgeNagFindings } from './nag-acknowledgements';
import type { RunnerBundle } from './runner-bundle';
import { LakeStack } from './stacks/lake-stack';
import { NetworkStack } from './stacks/network-stack';
import { RunnersStack } from './stacks/runners-stack';

export interface CarelakeStacks {
  lake: LakeStack;
  network: NetworkStack;
  runners: RunnersStack;
}

export interface BuildCarelakeAppOptions {
  inputs: InfraInputs;
  context: InfraContext;
  bundle: RunnerBundle;
  /** Run the cdk-nag HIPAA Security and AwsSolutions packs when the app synthesizes; on by default. */
  nagChecks?: boolean;
}

/**
 * Add the stacks of a deployment to an app: the lake, then the network, then the runners, which
 * read from both. Deploy them in that order; `cdk deploy --all` follows it.
 * @throws ConfigError when neither the context nor carelake.yaml names a Region.
 */
export function buildCarelakeApp(app: App, options: BuildCarelakeAppOptions): CarelakeStacks {
  const { inputs, context, bundle } = options;
  const region = context.region ?? inputs.config.aws?.region;
  if (region === undefined) {
    throw new ConfigError('no AWS Region to deploy to', [{ keyPath: 'context.region', message: 'is missing, and carelake.yaml has no aws.region' }], {
      hint: 'Pass -c region=us-east-1 (for example), or set aws.region in carelake.yaml.',
    });
  }
  const lakeBucketName = context.lakeBucketName ?? inputs.config.aws?.bucket;
  if (lakeBucketName === undefined) {
    throw new ConfigError('no lake bucket name', [{ keyPath: 'context.lakeBucketName', message: 'is missing, and carelake.yaml has no aws.bucket' }], {
      hint: 'Pass -c lakeBucketName=NAME (globally unique), or set aws.bucket in carelake.yaml.',
    });
  }
  const env: Environment = { region, ...(context.account !== undefined ? { account: context.account } : {}) };
  const lakePrefix = context.lakePrefix ?? inputs.config.aws?.prefix ?? '';
  const logRetention = context.logRetentionDays as RetentionDays;
  const prefix = context.stackPrefix;

  const lake = new LakeStack(app, `${prefix}-Lake`, {
    env,
    description: 'carelake: keys, buckets, Glue databases, Lake Formation settings, streams, Athena workgroup',
    terminationProtection: true,
    lakeBucketName,
    lakePrefix,
    lakeAdmins: context.lakeAdmins,
    databases: inputs.databases,
    pipelines: inputs.pipelines,
    auditRetentionDays: context.auditRetentionDays,
    athenaBytesScannedCutoff: context.athenaBytesScannedCutoff,
    sftpServer: context.sftpServer,
    logRetention,
  });
  const network = new NetworkStack(app, `${prefix}-Network`, {
    env,
    description: 'carelake: private network of the pipeline runners',
    cidr: context.vpcCidr,
    maxAzs: context.maxAzs,
    internetEgress: inputs.pipelines.some((pipeline) => pipeline.source.type === 'sftp'),
    logsKey: lake.keys.logs,
    logRetention,
  });
  const runners = new RunnersStack(app, `${prefix}-Runners`, {
    env,
    description: 'carelake: pipeline runner functions, their roles, schedules and stream mappings',
    repositoryRoot: inputs.repositoryRoot,
    pipelines: inputs.pipelines,
    bundle,
    lake,
    lakeBucketName,
    lakePrefix,
    network: network.network,
    logRetention,
  });

  const stacks = { lake, network, runners };
  acknowledgeNagFindings(stacks);
  if (options.nagChecks ?? true) {
    Validations.of(app).addPlugins(new HIPAASecurityChecks(app), new AwsSolutionsChecks(app));
  }
  return stacks;
}
