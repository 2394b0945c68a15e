import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { BlockPublicAccess, Bucket, BucketEncryption, ObjectLockRetention, ObjectOwnership, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface SecureBucketProps {
  /** Customer-managed key of the bucket's default SSE-KMS encryption. */
  encryptionKey: IKey;
  /** Bucket that receives the server access logs, under a prefix named after `id`. */
  accessLogs: IBucket;
  bucketName?: string;
  /** Days of S3 Object Lock in compliance mode on every new object version. */
  complianceRetentionDays?: number;
}

/**
 * Create a bucket with SSE-KMS under a customer-managed key, public access blocked, TLS 1.2 or
 * later required by its bucket policy, versioning and server access logging. It has no lifecycle
 * rules because `carelake lifecycle apply` owns them, and it outlives the stack.
 */
export function createSecureBucket(scope: Construct, id: string, props: SecureBucketProps): Bucket {
  return new Bucket(scope, id, {
    ...(props.bucketName !== undefined ? { bucketName: props.bucketName } : {}),
    encryption: BucketEncryption.KMS,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: true,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    serverAccessLogsBucket: props.accessLogs,
    serverAccessLogsPrefix: `${id}/`,
    removalPolicy: RemovalPolicy.RETAIN,
    ...(props.complianceRetentionDays !== undefined
      ? { objectLockEnabled: true, objectLockDefaultRetention: ObjectLockRetention.compliance(Duration.days(props.complianceRetentionDays)) }
      : {}),
  });
}

/**
 * Create the bucket that receives server access logs. S3 delivers access logs only to buckets whose
 * default encryption is SSE-S3, so this one bucket cannot use the customer-managed key.
 */
export function createAccessLogBucket(scope: Construct, id: string): Bucket {
  return new Bucket(scope, id, {
    encryption: BucketEncryption.S3_MANAGED,
    blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
    objectOwnership: ObjectOwnership.BUCKET_OWNER_PREFERRED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    versioned: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
