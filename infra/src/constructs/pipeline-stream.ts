import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Stream, StreamEncryption, StreamMode } from 'aws-cdk-lib/aws-kinesis';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { deploymentOf, type KinesisSourceDefinition, type LoadedPipeline } from '@carelake/pipeline';

/**
 * Create the Kinesis stream of a stream pipeline, encrypted with the stream key. Its capacity mode
 * comes from the pipeline's `deploy.streamMode`, and a provisioned stream has `source.shards` shards.
 */
export function createPipelineStream(scope: Construct, pipeline: LoadedPipeline, source: KinesisSourceDefinition, key: IKey): Stream {
  const provisioned = deploymentOf(pipeline).streamMode === 'provisioned';
  return new Stream(scope, `Stream-${pipeline.name}`, {
    streamName: source.stream,
    encryption: StreamEncryption.KMS,
    encryptionKey: key,
    streamMode: provisioned ? StreamMode.PROVISIONED : StreamMode.ON_DEMAND,
    ...(provisioned ? { shardCount: source.shards } : {}),
    // Seven days: a runner that fails over a long weekend still finds its records.
    retentionPeriod: Duration.days(7),
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
