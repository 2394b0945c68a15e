import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { ISecurityGroup, IVpc, SubnetSelection } from 'aws-cdk-lib/aws-ec2';
import { Rule, Schedule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { Policy, Role, ServicePrincipal, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IStream } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Code, Function as LambdaFunctionResource, Runtime, RuntimeFamily, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { deploymentOf, RUNNER_ENVIRONMENT, type LoadedPipeline } from '@carelake/pipeline';
import { bundlePathOf, type RunnerBundle } from '../runner-bundle';
import { runnerPolicyStatements } from './runner-policy';

export interface PipelineRunnerProps {
  pipeline: LoadedPipeline;
  repositoryRoot: string;
  bundle: RunnerBundle;
  lakeBucket: IBucket;
  lakePrefix: string;
  lakeKey: IKey;
  auditBucket: IBucket;
  streamKey: IKey;
  logsKey: IKey;
  logRetention: RetentionDays;
  vpc: IVpc;
  subnets: SubnetSelection;
  securityGroup: ISecurityGroup;
  /** The pipeline's stream, for a kinesis source. */
  stream?: IStream;
}

/**
 * The Lambda function that runs one pipeline, with its own role, encrypted log group and
 * dead-letter queue. A file pipeline runs on its `deploy.schedule`. An event source mapping
 * invokes a stream pipeline with batches of its stream's records, one invocation at a time per shard.
 */
export class PipelineRunner extends Construct {
  readonly function: LambdaFunctionResource;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: PipelineRunnerProps) {
    super(scope, id);
    const { pipeline } = props;
    const deploy = deploymentOf(pipeline);
    const streamed = pipeline.source.type === 'kinesis';

    const logGroup = new LogGroup(this, 'Logs', { encryptionKey: props.logsKey, retention: props.logRetention, removalPolicy: RemovalPolicy.RETAIN });
    const deadLetters = new Queue(this, 'DeadLetters', {
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: props.streamKey,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runner of pipeline ${pipeline.name}: its own lake prefixes, tables and keys only.`,
    });
    const policy = new Policy(this, 'Policy', {
      statements: [
        ...runnerPolicyStatements(this, { pipeline, lakeBucket: props.lakeBucket, lakePrefix: props.lakePrefix, lakeKey: props.lakeKey, auditBucket: props.auditBucket }),
        new PolicyStatement({ sid: 'WriteOwnLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [logGroup.logGroupArn] }),
      ],
    });
    this.role.attachInlinePolicy(policy);

    this.function = new LambdaFunctionResource(this, 'Function', {
      description: `carelake pipeline ${pipeline.name}`,
      code: Code.fromAsset(props.bundle.dir),
      handler: streamed ? props.bundle.kinesisHandler : props.bundle.scheduledHandler,
      runtime: new Runtime(props.bundle.runtimeName, RuntimeFamily.NODEJS),
      memorySize: deploy.memoryMiB,
      timeout: Duration.seconds(deploy.timeoutSeconds),
      role: this.role,
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      securityGroups: [props.securityGroup],
      logGroup,
      deadLetterQueue: deadLetters,
      // One run at a time for a file pipeline, so that two runs never land the same file. A stream
      // pipeline gets one invocation per shard, and an on-demand stream starts with 4 shards.
      reservedConcurrentExecutions: concurrencyOf(pipeline, streamed),
      environment: {
        [RUNNER_ENVIRONMENT.pipelineFile]: bundlePathOf(props.repositoryRoot, pipeline.file),
        [RUNNER_ENVIRONMENT.configFile]: 'carelake.yaml',
        [RUNNER_ENVIRONMENT.lakeBucket]: props.lakeBucket.bucketName,
        [RUNNER_ENVIRONMENT.lakePrefix]: props.lakePrefix,
        [RUNNER_ENVIRONMENT.lakeKeyArn]: props.lakeKey.keyArn,
        [RUNNER_ENVIRONMENT.auditBucket]: props.auditBucket.bucketName,
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
    this.function.node.addDependency(policy);

    if (props.stream && pipeline.source.type === 'kinesis') {
      this.function.addEventSource(
        new KinesisEventSource(props.stream, {
          startingPosition: StartingPosition.TRIM_HORIZON,
          batchSize: 1000,
          maxBatchingWindow: Duration.seconds(Math.min(pipeline.source.bufferSeconds, 300)),
          reportBatchItemFailures: true,
          // Committed ranges are looked up per shard in commit order, which is true only with one batch per shard at a time.
          parallelizationFactor: 1,
          // The handler retries a failed micro-batch from its first record. After this many tries
          // the range goes to the dead-letter queue, and its records stay in the stream for its retention.
          retryAttempts: 10_000,
          onFailure: new SqsDlq(deadLetters),
        }),
      );
    } else {
      const rule = new Rule(this, 'Schedule', { schedule: Schedule.expression(deploy.schedule), description: `Runs pipeline ${pipeline.name}` });
      rule.addTarget(new LambdaFunction(this.function, { deadLetterQueue: deadLetters, retryAttempts: 2 }));
    }
  }
}

/** Return the reserved concurrency of a runner: one for a file pipeline, one per shard for a stream. */
function concurrencyOf(pipeline: LoadedPipeline, streamed: boolean): number {
  if (!streamed) return 1;
  const shards = pipeline.source.type === 'kinesis' ? pipeline.source.shards : 1;
  return Math.max(shards, 4);
}
