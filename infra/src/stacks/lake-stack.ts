import { Stack, type StackProps } from 'aws-cdk-lib';
import type { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { Stream } from 'aws-cdk-lib/aws-kinesis';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Bucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import type { LoadedPipeline } from '@carelake/pipeline';
import { createAthenaWorkgroup } from '../constructs/athena-workgroup';
import { LakeFormation } from '../constructs/lake-formation';
import { LakeKeys } from '../constructs/lake-keys';
import { createPipelineStream } from '../constructs/pipeline-stream';
import { createAccessLogBucket, createSecureBucket } from '../constructs/secure-bucket';
import { SftpServer } from '../constructs/sftp-server';

export interface LakeStackProps extends StackProps {
  /** Name of the lake bucket; the audit bucket is named `<lakeBucketName>-audit`. */
  lakeBucketName: string;
  lakePrefix: string;
  lakeAdmins: string[];
  databases: string[];
  pipelines: LoadedPipeline[];
  auditRetentionDays: number;
  athenaBytesScannedCutoff: number;
  sftpServer: boolean;
  logRetention: RetentionDays;
}

/**
 * What holds the data and changes rarely: keys, buckets, Glue databases, the Lake Formation
 * settings, the streams and the Athena workgroup. Everything in it outlives a `cdk destroy`.
 */
export class LakeStack extends Stack {
  readonly keys: LakeKeys;
  readonly lakeBucket: Bucket;
  readonly auditBucket: Bucket;
  readonly resultsBucket: Bucket;
  readonly lakeFormation: LakeFormation;
  readonly workgroup: CfnWorkGroup;
  /** Streams by pipeline name. */
  readonly streams = new Map<string, Stream>();

  constructor(scope: Construct, id: string, props: LakeStackProps) {
    super(scope, id, props);
    this.keys = new LakeKeys(this, 'Keys');
    const accessLogs = createAccessLogBucket(this, 'AccessLogs');
    this.lakeBucket = createSecureBucket(this, 'Lake', {
      encryptionKey: this.keys.lake,
      accessLogs,
      bucketName: props.lakeBucketName,
    });
    this.auditBucket = createSecureBucket(this, 'Audit', {
      bucketName: auditBucketNameOf(props.lakeBucketName),
      encryptionKey: this.keys.lake,
      accessLogs,
      complianceRetentionDays: props.auditRetentionDays,
    });
    this.resultsBucket = createSecureBucket(this, 'QueryResults', { encryptionKey: this.keys.lake, accessLogs });

    this.lakeFormation = new LakeFormation(this, 'LakeFormation', {
      lakeBucket: this.lakeBucket,
      lakeKey: this.keys.lake,
      lakePrefix: props.lakePrefix,
      admins: props.lakeAdmins,
      databases: props.databases,
    });
    this.workgroup = createAthenaWorkgroup(this, 'Workgroup', {
      resultsBucket: this.resultsBucket,
      resultsKey: this.keys.lake,
      bytesScannedCutoffPerQuery: props.athenaBytesScannedCutoff,
    });
    for (const pipeline of props.pipelines) {
      if (pipeline.source.type !== 'kinesis') continue;
      this.streams.set(pipeline.name, createPipelineStream(this, pipeline, pipeline.source, this.keys.stream));
    }
    if (props.sftpServer) new SftpServer(this, 'Sftp', { logsKey: this.keys.logs, logRetention: props.logRetention });
  }
}

/** Returns the audit bucket's name, derived from the lake bucket's so that other stacks refer to it without an export. */
export function auditBucketNameOf(lakeBucketName: string): string {
  return `${lakeBucketName}-audit`;
}
