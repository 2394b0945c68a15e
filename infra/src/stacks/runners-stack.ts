import { Stack, type StackProps } from 'aws-cdk-lib';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LoadedPipeline } from '@carelake/pipeline';
import { PipelineRunner } from '../constructs/pipeline-runner';
import type { PrivateNetwork } from '../constructs/private-network';
import type { RunnerBundle } from '../runner-bundle';
import { auditBucketNameOf, type LakeStack } from './lake-stack';

export interface RunnersStackProps extends StackProps {
  repositoryRoot: string;
  pipelines: LoadedPipeline[];
  bundle: RunnerBundle;
  lake: LakeStack;
  lakeBucketName: string;
  lakePrefix: string;
  network: PrivateNetwork;
  logRetention: RetentionDays;
}

/**
 * One runner per pipeline file whose `deploy.runner` is lambda. It holds no data, so a bad
 * release is rolled back by deploying this stack from the previous commit.
 */
export class RunnersStack extends Stack {
  /** Runners by pipeline name. */
  readonly runners = new Map<string, PipelineRunner>();

  constructor(scope: Construct, id: string, props: RunnersStackProps) {
    super(scope, id, props);
    // Buckets by name rather than by reference: their ARNs then read the same in this stack's
    // policies as in the reviewed acknowledgements, with no cross-stack export in between.
    const lakeBucket = Bucket.fromBucketName(this, 'LakeBucket', props.lakeBucketName);
    const auditBucket = Bucket.fromBucketName(this, 'AuditBucket', auditBucketNameOf(props.lakeBucketName));
    for (const pipeline of props.pipelines) {
      // NOTE: pipelines with deploy.runner ecs get no runner here; infra/README.md says how to run them.
      if (pipeline.deploy?.runner === 'ecs') continue;
      const stream = props.lake.streams.get(pipeline.name);
      this.runners.set(
        pipeline.name,
        new PipelineRunner(this, `Runner-${pipeline.name}`, {
          pipeline,
          repositoryRoot: props.repositoryRoot,
          bundle: props.bundle,
          lakeBucket,
          lakePrefix: props.lakePrefix,
          lakeKey: props.lake.keys.lake,
          auditBucket,
          streamKey: props.lake.keys.stream,
          logsKey: props.lake.keys.logs,
          logRetention: props.logRetention,
          vpc: props.network.vpc,
          subnets: props.network.runnerSubnets,
          securityGroup: props.network.runnerSecurityGroup,
          ...(stream !== undefined ? { stream } : {}),
        }),
      );
    }
  }
}
